/**
 * The processes `bench/gateway.ts` measures, one role per child process so each proxy gets
 * its own event loop as it would in real use:
 *   upstream           a stand-in AI server: /small (JSON), /big (64 KB), /sse (timed events), WS echo
 *   gateway UP TOKEN   Portcullis's listener: auth, limits and the real audit journal on;
 *                      HTTPS when BENCH_TLS_CERT and BENCH_TLS_KEY name a certificate and key
 *   bare UP           the gateway's forwarding alone (node:http + its upstream pool, no checks, no journal):
 *                      the floor any Node gateway starts from
 *   httpproxy UP TOKEN [keepalive]  a bearer-checking proxy on http-proxy-3 (what JupyterHub and
 *                      Vite use), with its defaults or with a keep-alive agent
 * Each prints `ready PORT` once it listens.
 */
import { Agent, createServer } from 'node:http';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createProxyServer } from 'http-proxy-3';
import { WebSocketServer } from 'ws';
import { AuditJournal } from '../main/core/audit/journal.js';
import { defaultLimits } from '../main/core/gateway/limits.js';
import { forwardHttp } from '../main/core/gateway/http-forward.js';
import { createHttp1Server } from '../main/core/gateway/http1/server.js';
import { ExposureListener } from '../main/core/gateway/listener.js';
import { loadTls } from '../main/core/gateway/tls.js';
import { UpstreamPool } from '../main/core/gateway/upstream-pool.js';
import type { TokenVerifier } from '../main/core/ports.js';
import { activeTokenRecord } from '../main/core/secrets/records.js';
import { TokenRegistry } from '../main/core/secrets/token-registry.js';

const [role, upArg, token, variant] = process.argv.slice(2);
const upstreamPort = Number(upArg);
const ready = (port: number): void => void process.stdout.write(`ready ${port}\n`);

const small = JSON.stringify({ id: 'cmpl-1', object: 'text_completion', model: 'pico-1', choices: [{ text: 'hello', index: 0 }] });
const big = Buffer.alloc(64 * 1024, 'a');

/** Wall-clock milliseconds with sub-millisecond resolution, comparable across processes. */
const nowMs = (): number => performance.timeOrigin + performance.now();

function upstream(): void {
  const server = createServer((req, res) => {
    if (req.url === '/small') {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(small) });
      res.end(small);
    } else if (req.url === '/big') {
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': big.length });
      res.end(big);
    } else if (req.url?.startsWith('/sse')) {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      res.flushHeaders();
      let n = 0;
      const timer = setInterval(() => {
        if (n++ >= 200) {
          clearInterval(timer);
          res.end();
          return;
        }
        res.write(`data: ${nowMs()}\n\n`);
      }, 5);
      res.on('close', () => clearInterval(timer));
    } else {
      res.writeHead(404).end();
    }
  });
  // An echo for the lock-down measurement's WebSockets.
  new WebSocketServer({ server }).on('connection', (ws) => ws.on('message', (data) => ws.send(data)));
  server.keepAliveTimeout = 30_000;
  server.listen(0, '127.0.0.1', () => ready((server.address() as { port: number }).port));
}

/** The app's own token registry (hashes in memory, constant-time compare), holding one token. */
function verifier(secret: string): TokenVerifier {
  const registry = new TokenRegistry();
  registry.put([activeTokenRecord({ id: 'b3e1c0ffee', serverId: 'bench', label: 'bench', secret })]);
  return registry;
}

async function gateway(): Promise<void> {
  const journal = new AuditJournal({ home: mkdtempSync(join(tmpdir(), 'pc-bench-')) });
  // As in the app, where the panel feeds every record to the live `audit.records` stream.
  journal.onRecords(() => undefined);
  const listener = await ExposureListener.open(
    {
      serverId: 'bench',
      serverName: 'bench',
      mode: 'lan',
      bind: '127.0.0.1',
      port: 0,
      hostNames: () => ['127.0.0.1', 'localhost'],
      // LAN defaults, but a rate limit one load generator on one address cannot reach: the
      // limiter still runs on every request, it just never says no.
      limits: { ...defaultLimits('lan'), rateLimit: 1_000_000_000 },
      trustedProxies: new Set(),
      tls: process.env.BENCH_TLS_CERT && process.env.BENCH_TLS_KEY ? loadTls({ certFile: process.env.BENCH_TLS_CERT, keyFile: process.env.BENCH_TLS_KEY }) : null,
    },
    {
      tokens: verifier(token as string),
      upstreamAuth: () => null,
      upstream: () => ({ ok: true, port: upstreamPort }),
      record: (entry) => journal.access(entry),
    },
  );
  ready(listener.port);
}

/**
 * The gateway's own forwarding with nothing in front of it: what Node itself costs. Over
 * node:http by default (the floor any Node proxy starts from); `lean` serves it with the
 * gateway's own HTTP/1.1 server instead.
 */
function bare(): void {
  const pool = new UpstreamPool({ port: upstreamPort, connections: 512, keepAliveTimeoutMs: 4_000, headersTimeoutMs: 300_000 });
  const host = `127.0.0.1:${upstreamPort}`;
  const server = createHttp1Server(
    { headersTimeoutMs: 60_000, requestTimeoutMs: 300_000, keepAliveTimeoutMs: 30_000, maxHeaderBytes: 16_384, tls: null, nodeHttp: variant !== 'lean' },
    {
      request: (req, res) => {
        const headers: string[] = ['host', host];
        for (const name in req.headers) {
          const value = req.headers[name];
          if (typeof value === 'string' && name !== 'host' && name !== 'connection' && name !== 'authorization') headers.push(name, value);
        }
        forwardHttp(pool, req, res, req.url, headers, 1 << 20, 'bench', () => undefined);
      },
      upgrade: (_req, socket) => socket.destroy(),
      clientError: (_code, socket) => socket.destroy(),
    },
  );
  server.listen(0, '127.0.0.1', () => ready((server.address() as { port: number }).port));
}

function httpProxy(): void {
  const proxy = createProxyServer({
    target: `http://127.0.0.1:${upstreamPort}`,
    // Without an agent http-proxy-3 sends `Connection: close` upstream: its defaults, as Vite
    // and configurable-http-proxy use it. "keepalive" tunes it the way nginx is tuned here.
    ...(variant === 'keepalive' ? { agent: new Agent({ keepAlive: true, maxSockets: 512 }) } : {}),
  });
  proxy.on('error', (_err, _req, res) => {
    if ('writeHead' in res && !res.headersSent) res.writeHead(502);
    res.end();
  });
  const expected = `Bearer ${token}`;
  const server = createServer((req, res) => {
    if (req.headers.authorization !== expected) {
      res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"unauthorized"}');
      return;
    }
    proxy.web(req, res);
  });
  server.keepAliveTimeout = 30_000;
  server.listen(0, '127.0.0.1', () => ready((server.address() as { port: number }).port));
}

if (role === 'upstream') upstream();
else if (role === 'gateway') void gateway();
else if (role === 'httpproxy') httpProxy();
else if (role === 'bare') bare();
else {
  process.stderr.write(`unknown role ${role}\n`);
  process.exit(2);
}

// A clean exit on a signal, so `node --cpu-prof` can write its profile when asked to look.
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => process.exit(0));
