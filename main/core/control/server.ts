import { chmodSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Actor } from '../api.js';
import type { Envelope } from '../contract/errors.js';
import type { Dispatch } from '../dispatch.js';
import type { EventBus } from '../events.js';
import { statusForError } from './http-status.js';
import { createTcpGuard, type GuardVerdict } from './tcp-guard.js';

export type ControlListen =
  | { kind: 'socket'; path: string }
  | { kind: 'tcp'; port: number; token: string };

export interface ControlServerOptions {
  dispatch: Dispatch;
  bus: EventBus;
  listen: ControlListen;
  actor: (req: IncomingMessage) => Actor;
  /** Answers requests outside /api/ (the browser face's static files). */
  fallback?: (req: IncomingMessage, res: ServerResponse) => void;
}

export interface ControlServer {
  /** The TCP port, or null for a socket. */
  port: number | null;
  close(): Promise<void>;
}

const MAX_BODY = 1024 * 1024;
const CALL_PREFIX = '/api/call/';
/** A client that stops reading events is dropped rather than buffered without bound. */
const MAX_WS_BUFFER = 16 * 1024 * 1024;

/**
 * The control server, generic over the contract: `POST /api/call/<method>` with JSON arguments
 * answers an Envelope; `/api/events` is a WebSocket carrying every event. Served on a 0600
 * Unix socket for the CLI and, for `portcullis serve`, on 127.0.0.1 for the browser.
 */
export async function startControlServer(options: ControlServerOptions): Promise<ControlServer> {
  const { listen } = options;
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: 64 * 1024,
    handleProtocols: (protocols) => (protocols.has('portcullis') ? 'portcullis' : false),
  });
  const server = createServer({ requestTimeout: 120_000 }, (req, res) =>
    // A request must never take the server down: anything unexpected is a 500 for that request.
    handle(req, res).catch(() => {
      if (!res.headersSent) sendJson(res, 500, { ok: false, error: { code: 'internal', message: 'internal error' } });
      else res.destroy();
    }),
  );
  let guard: ReturnType<typeof createTcpGuard> | null = null;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = req.url ?? '/';
    if (!url.startsWith('/api/')) {
      const verdict = guard ? guard.page(req) : { ok: true as const };
      if (!verdict.ok) return refuse(res, verdict);
      if (options.fallback) return options.fallback(req, res);
      return sendJson(res, 404, { ok: false, error: { code: 'not_found', message: `no such path: ${url.split('?')[0]}` } });
    }
    if (guard) {
      const verdict = guard.call(req);
      if (!verdict.ok) return refuse(res, verdict);
    }
    if (req.method !== 'POST' || !url.startsWith(CALL_PREFIX)) {
      return sendJson(res, 404, {
        ok: false,
        error: { code: 'unknown_method', message: 'calls are POST /api/call/<method> with a JSON body' },
      });
    }
    const method = safeDecode(url.slice(CALL_PREFIX.length).split('?')[0] ?? '');
    const body = await readBody(req);
    if (!body.ok) return sendJson(res, body.status, { ok: false, error: { code: 'invalid_args', message: body.message } });
    const reply = await options.dispatch(method, body.value, { actor: options.actor(req) });
    sendJson(res, reply.ok ? 200 : statusForError[reply.error.code], reply);
  };

  server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    const verdict: GuardVerdict = guard ? guard.upgrade(req) : { ok: true };
    if (!verdict.ok || (req.url ?? '').split('?')[0] !== '/api/events') {
      const status = verdict.ok ? 404 : verdict.status;
      socket.end(`HTTP/1.1 ${status} Refused\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => attach(ws));
  });

  const attach = (ws: WebSocket): void => {
    const unsubscribe = options.bus.subscribe((event, payload) => {
      if (ws.readyState !== ws.OPEN) return;
      if (ws.bufferedAmount > MAX_WS_BUFFER) {
        ws.close(1013, 'too far behind: reconnect');
        return;
      }
      ws.send(JSON.stringify({ event, payload }));
    });
    ws.on('close', unsubscribe);
    ws.on('error', unsubscribe);
    // Clients only listen; anything they send is ignored.
  };

  if (listen.kind === 'socket') {
    if (process.platform !== 'win32') rmSync(listen.path, { force: true });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      // Created private before anyone can connect: umask first, chmod after for certainty.
      const previous = process.umask(0o177);
      server.listen(listen.path, () => {
        process.umask(previous);
        resolve();
      });
    });
    if (process.platform !== 'win32') chmodSync(listen.path, 0o600);
  } else {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(listen.port, '127.0.0.1', () => resolve());
    });
    const port = (server.address() as { port: number }).port;
    guard = createTcpGuard({ port, token: listen.token });
  }

  const port = listen.kind === 'tcp' ? (server.address() as { port: number }).port : null;
  return {
    port,
    close: () => closeServer(server, wss, listen),
  };
}

async function closeServer(server: Server, wss: WebSocketServer, listen: ControlListen): Promise<void> {
  for (const client of wss.clients) client.terminate();
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
  if (listen.kind === 'socket' && process.platform !== 'win32') rmSync(listen.path, { force: true });
}

type Body = { ok: true; value: unknown } | { ok: false; status: number; message: string };

function readBody(req: IncomingMessage): Promise<Body> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY && !done) {
        done = true;
        resolve({ ok: false, status: 413, message: `request body over ${MAX_BODY} bytes` });
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (done) return;
      done = true;
      const text = Buffer.concat(chunks).toString('utf8');
      if (text.trim() === '') return resolve({ ok: true, value: {} });
      try {
        resolve({ ok: true, value: JSON.parse(text) });
      } catch (err) {
        resolve({ ok: false, status: 400, message: `request body is not valid JSON: ${(err as Error).message}` });
      }
    });
    req.on('error', () => {
      if (!done) resolve({ ok: false, status: 400, message: 'request body could not be read' });
      done = true;
    });
  });
}

function refuse(res: ServerResponse, verdict: Extract<GuardVerdict, { ok: false }>): void {
  sendJson(res, verdict.status, { ok: false, error: { code: 'forbidden', message: verdict.message } });
}

function sendJson(res: ServerResponse, status: number, body: Envelope<unknown>): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  res.end(text);
}

/** A method name that is not valid percent-encoding is simply an unknown method. */
function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
