/**
 * Real sockets on both sides of the gateway: an upstream HTTP + WebSocket server on loopback
 * that records what it received, an in-test ClientTokens (SHA-256 hashes, constant-time
 * compare, revocation that fires onInvalidated, like the secrets module's), an audit sink that
 * keeps everything, and an Exposure built from them.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, request, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import { afterAll } from 'vitest';
import { WebSocketServer } from 'ws';
import type { ExposureChange } from '../../main/core/contract/exposure.js';
import { Exposure, type ExposureDeps, type PersistedExposure } from '../../main/core/gateway/exposure.js';
import { defaultLimits, type GatewayLimits } from '../../main/core/gateway/limits.js';
import type { UpstreamTarget } from '../../main/core/gateway/listener.js';
import {
  KeychainUnavailableError,
  type AccessEntry,
  type AuditEntry,
  type AuditPort,
  type ClientTokens,
  type TokenCheck,
} from '../../main/core/ports.js';

interface Row {
  serverId: string;
  id: string;
  label: string;
  hash: Buffer;
  expiresAt: number | null;
  revoked: boolean;
}

export class TestTokens implements ClientTokens {
  private readonly rows: Row[] = [];
  private readonly listeners = new Set<(serverId: string, tokenId: string) => void>();
  keychainAvailable = true;
  private next = 1;

  mint(serverId: string, label: string, expiresInMs: number | null = null): { id: string; secret: string } {
    const secret = randomBytes(32).toString('base64url');
    const id = `tok-${this.next++}`;
    this.rows.push({ serverId, id, label, hash: sha(secret), expiresAt: expiresInMs === null ? null : Date.now() + expiresInMs, revoked: false });
    return { id, secret };
  }

  revoke(tokenId: string): void {
    const row = this.rows.find((r) => r.id === tokenId);
    if (!row) throw new Error(`no token ${tokenId}`);
    row.revoked = true;
    for (const l of this.listeners) l(row.serverId, row.id);
  }

  verify(serverId: string, presented: string): TokenCheck {
    const hash = sha(presented);
    let found: Row | undefined;
    // Every row is compared, so the time taken does not say which one matched.
    for (const row of this.rows) if (row.serverId === serverId && timingSafeEqual(row.hash, hash)) found = row;
    if (!found) return { ok: false, reason: 'unknown' };
    if (found.revoked) return { ok: false, reason: 'revoked' };
    if (found.expiresAt !== null && found.expiresAt <= Date.now()) return { ok: false, reason: 'expired' };
    return { ok: true, tokenId: found.id, label: found.label };
  }

  onInvalidated(listener: (serverId: string, tokenId: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async ensureClientToken(serverId: string): Promise<{ created: { id: string; label: string; secret: string } | null }> {
    if (!this.keychainAvailable) throw new KeychainUnavailableError('the Secret Service is not running');
    const valid = this.rows.some((r) => r.serverId === serverId && !r.revoked && (r.expiresAt === null || r.expiresAt > Date.now()));
    if (valid) return { created: null };
    const { id, secret } = this.mint(serverId, 'default');
    return { created: { id, label: 'default', secret } };
  }
}

const sha = (s: string): Buffer => createHash('sha256').update(s).digest();

export class TestAudit implements AuditPort {
  readonly records: AuditEntry[] = [];
  readonly accesses: AccessEntry[] = [];
  /** Set to make every durable record fail, as a full or read-only disk would. */
  unwritable = false;
  async record(entry: AuditEntry): Promise<void> {
    if (this.unwritable) throw new Error('ENOSPC: no space left on device');
    this.records.push(entry);
  }
  access(entry: AccessEntry): void {
    this.accesses.push(entry);
  }
}

/** What the upstream saw of each request. */
export interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  bytes: number;
}

export interface Upstream {
  port: number;
  seen: Seen[];
  /** Bytes received so far on /upload, counted as they arrive. */
  uploadBytes: () => number;
  /** Open SSE responses, to send events to. */
  sse: ServerResponse[];
  server: Server;
}

/** The stand-in AI server: JSON, echo, upload counting, SSE on demand, WebSocket echo. */
export async function startUpstream(): Promise<Upstream> {
  const seen: Seen[] = [];
  const sse: ServerResponse[] = [];
  let uploaded = 0;
  const server = createServer((req, res) => {
    const entry: Seen = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, bytes: 0 };
    seen.push(entry);
    if (req.url === '/sse') {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      res.flushHeaders();
      sse.push(res);
      return;
    }
    if (req.url?.startsWith('/pattern?')) {
      // Deterministic bytes, different per seed and offset, in 64 KB writes (or `piece` bytes,
      // one per turn of the event loop when `spaced`, so the gateway reads them one by one): a
      // byte that reaches the client from the wrong answer or the wrong place cannot pass unseen.
      const q = new URLSearchParams(req.url.slice('/pattern?'.length));
      const total = Number(q.get('bytes'));
      const seed = Number(q.get('seed'));
      const size = Number(q.get('piece') ?? 64 * 1024);
      const spaced = q.has('spaced');
      res.writeHead(200, { 'content-type': 'application/octet-stream', ...(q.has('chunked') ? {} : { 'content-length': total }) });
      let sent = 0;
      const pump = (): void => {
        while (sent < total) {
          const piece = patternBytes(seed, sent, Math.min(size, total - sent));
          sent += piece.length;
          if (!res.write(piece)) return void res.once('drain', pump);
          if (spaced) return void setImmediate(pump);
        }
        res.end();
      };
      pump();
      return;
    }
    req.on('data', (c: Buffer) => {
      entry.bytes += c.length;
      if (req.url === '/upload') uploaded += c.length;
    });
    req.on('end', () => {
      const body = JSON.stringify({ method: req.method, url: req.url, bytes: entry.bytes });
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'set-cookie': ['a=1', 'b=2'] });
      res.end(body);
    });
  });
  const wss = new WebSocketServer({ server });
  wss.on('connection', (ws, req) => {
    seen.push({ method: 'WS', url: req.url ?? '', headers: req.headers, bytes: 0 });
    ws.on('message', (data, binary) => ws.send(data, { binary }));
    // A client's garbage frames (the mangled-input test sends some) end that socket, not the test run.
    ws.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  afterAll(async () => {
    for (const c of wss.clients) c.terminate();
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });
  return { port: (server.address() as { port: number }).port, seen, uploadBytes: () => uploaded, sse, server };
}

/** The bytes /pattern sends for `seed` from `offset` on. */
export function patternBytes(seed: number, offset: number, length: number): Buffer {
  const out = Buffer.allocUnsafe(length);
  for (let i = 0; i < length; i++) {
    const at = offset + i;
    out[i] = ((at >>> 8) * 7 + at * 13 + seed * 101) & 0xff;
  }
  return out;
}

export interface Harness {
  exposure: Exposure;
  tokens: TestTokens;
  audit: TestAudit;
  upstream: Upstream;
  changes: ExposureChange[];
  store: Map<string, PersistedExposure>;
  /** Server name → id; every server forwards to the one upstream. */
  ids: Record<string, string>;
  /** Marks a server stopped (503) or running. */
  setRunning(name: string, running: boolean): void;
  /** Points a server at a port nothing listens on (502). */
  setPort(name: string, port: number): void;
}

export async function startHarness(options: { limits?: Partial<GatewayLimits>; deps?: Partial<ExposureDeps> } = {}): Promise<Harness> {
  const upstream = await startUpstream();
  const tokens = new TestTokens();
  const audit = new TestAudit();
  const changes: ExposureChange[] = [];
  const store = new Map<string, PersistedExposure>();
  const servers = new Map<string, { id: string; name: string; port: number; running: boolean }>();
  for (const name of ['alpha', 'beta', 'gamma']) servers.set(name, { id: `id-${name}`, name, port: upstream.port, running: true });
  const byId = (id: string) => [...servers.values()].find((s) => s.id === id);
  const exposure = new Exposure({
    tokens,
    audit,
    upstreamAuth: (id) => (id === 'id-gamma' ? { header: 'Authorization', value: 'token upstream-own-secret' } : null),
    servers: {
      resolve: (name) => {
        const s = servers.get(name);
        if (!s) throw Object.assign(new Error(`no server named "${name}"`), { code: 'not_found' });
        return { id: s.id, name: s.name, port: s.port };
      },
      target: (id): UpstreamTarget => {
        const s = byId(id);
        if (!s) return { ok: false, message: 'gone' };
        return s.running ? { ok: true, port: s.port } : { ok: false, message: `${s.name} is stopped: start it, then try again` };
      },
    },
    store: {
      load: () => Object.fromEntries(store),
      save: (id, state) => (state ? store.set(id, state) : store.delete(id)),
    },
    onChange: (c) => changes.push(c),
    onAccess: () => undefined,
    limits: (mode) => ({ ...defaultLimits(mode), ...options.limits }),
    ...options.deps,
  });
  afterAll(() => exposure.shutdown());
  return {
    exposure,
    tokens,
    audit,
    upstream,
    changes,
    store,
    ids: Object.fromEntries([...servers.values()].map((s) => [s.name, s.id])),
    setRunning: (name, running) => void ((servers.get(name) as { running: boolean }).running = running),
    setPort: (name, port) => void ((servers.get(name) as { port: number }).port = port),
  };
}

export const actor = { kind: 'cli', user: 'test' } as const;

export interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** One HTTP request from a chosen loopback source address, over a fresh connection. */
export function call(
  port: number,
  options: { host?: string; path?: string; method?: string; headers?: Record<string, string>; body?: string; from?: string; to?: string } = {},
): Promise<Reply> {
  const to = options.to ?? '127.0.0.2';
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: to,
        port,
        path: options.path ?? '/json',
        method: options.method ?? 'GET',
        headers: { host: options.host ?? `${to}:${port}`, ...options.headers },
        localAddress: options.from,
        agent: false,
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

export const bearer = (secret: string): Record<string, string> => ({ authorization: `Bearer ${secret}` });
