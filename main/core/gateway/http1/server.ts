import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createNetServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer, type TLSSocket } from 'node:tls';
import type { Duplex } from 'node:stream';
import { Http1Connection, type Http1Handlers, type Http1Timeouts } from './connection.js';
import { loadLlhttp } from './llhttp.js';
import { declaresBody } from './request-headers.js';
import type { GatewayRequest } from './types.js';

export interface Http1ServerOptions extends Http1Timeouts {
  tls: { cert: Buffer | string; key: Buffer | string } | null;
  /**
   * Serve with node:http, as where Node's parser is out of reach. Unset: as the environment
   * says (PORTCULLIS_GATEWAY_HTTP=node, the escape hatch should the lean server ever misbehave).
   */
  nodeHttp?: boolean;
}

/** Node's parser, looked up once. */
const llhttp = loadLlhttp();

/** Which HTTP server answers: `lean` over Node's parser, or node:http. */
export function http1Engine(nodeHttp?: boolean): 'lean' | 'node:http' {
  return llhttp && !(nodeHttp ?? process.env.PORTCULLIS_GATEWAY_HTTP === 'node') ? 'lean' : 'node:http';
}

/** How often deadlines are checked: often enough to cut slowloris promptly. */
const sweepEvery = (t: Http1Timeouts): number => Math.max(100, Math.min(1_000, Math.floor(t.headersTimeoutMs / 4)));

/**
 * The HTTP/1.1 server under a gateway listener, plain or TLS. A net (or tls) server whose
 * connections are read by Http1Connection where Node's parser is reachable; node:http with
 * the same handlers and limits otherwise. Either way the listener sees GatewayRequest and a
 * response it can write, and accepted sockets come as `connection` (and `secureConnection`).
 */
export function createHttp1Server(options: Http1ServerOptions, handlers: Http1Handlers): Server {
  const engine = http1Engine(options.nodeHttp) === 'lean' ? llhttp : null;
  if (!engine) return nodeHttpServer(options, handlers);
  const live = new Set<Http1Connection>();
  const serve = (socket: Socket | TLSSocket): void => {
    if (socket.destroyed) return;
    socket.setNoDelay(true);
    const connection = new Http1Connection(socket, engine, options, handlers);
    live.add(connection);
    socket.once('close', () => live.delete(connection));
  };
  const server = options.tls
    ? createTlsServer({ cert: options.tls.cert, key: options.tls.key, handshakeTimeout: options.headersTimeoutMs, allowHalfOpen: true }, serve)
    : createNetServer({ allowHalfOpen: true, noDelay: true }, serve);
  // One sweep per listener rather than a timer per connection or request.
  const sweep = setInterval(() => {
    const now = performance.now();
    for (const c of live) c.checkTimeouts(now);
  }, sweepEvery(options));
  sweep.unref();
  server.once('close', () => clearInterval(sweep));
  return server;
}

function nodeHttpServer(options: Http1ServerOptions, handlers: Http1Handlers): Server {
  const settings = {
    headersTimeout: options.headersTimeoutMs,
    requestTimeout: options.requestTimeoutMs,
    keepAliveTimeout: options.keepAliveTimeoutMs,
    maxHeaderSize: options.maxHeaderBytes,
    connectionsCheckingInterval: sweepEvery(options),
    noDelay: true,
  };
  const tls = options.tls;
  const server = tls ? createHttpsServer({ ...settings, cert: tls.cert, key: tls.key, handshakeTimeout: options.headersTimeoutMs }) : createHttpServer(settings);
  const request = (req: IncomingMessage, res: ServerResponse): void => handlers.request(fromNode(req), res);
  server.on('request', request);
  // Continue is the pipeline's to send, once the request passed its checks.
  server.on('checkContinue', request);
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => handlers.upgrade(fromNode(req), socket, head));
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    const busy = Boolean((socket as Duplex & { _httpMessage?: unknown })._httpMessage);
    // Bytes after a request that said Connection: close: node:http processes none of them
    // (RFC 9112 §9.6) and closes after the answer in flight, which must not be cut off.
    if (err.code === 'HPE_CLOSED_CONNECTION' && busy) return;
    handlers.clientError(err.code ?? 'HPE_INVALID', socket, busy || err.code === 'ECONNRESET');
  });
  return server;
}

function fromNode(req: IncomingMessage): GatewayRequest {
  return { method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, socket: req.socket, body: declaresBody(req.headers) ? req : null };
}
