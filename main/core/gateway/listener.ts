import type { Server, Socket } from 'node:net';
import type { Server as TlsServer, TLSSocket } from 'node:tls';
import type { Duplex } from 'node:stream';
import type { AccessEntry, TokenVerifier, UpstreamAuth } from '../ports.js';
import { clientAddress, normalizeAddress } from './client-address.js';
import { cookieName, findCredential, OUR_PARAM, withoutParams, type Presented } from './credentials.js';
import { upstreamHeaders, type ForwardContext } from './forward-headers.js';
import { HostAllowlist, hostPort, isStateChanging, originMatchesHost } from './host-rules.js';
import { forwardHttp } from './http-forward.js';
import { createHttp1Server } from './http1/server.js';
import type { ClientSocket, GatewayRequest, GatewayResponse } from './http1/types.js';
import { listen } from './listen.js';
import type { GatewayLimits } from './limits.js';
import { clientErrorRejection, reject, sendRejection, writeRawRejection, type Rejection } from './rejection.js';
import { SlidingWindow } from './sliding-window.js';
import type { TlsMaterial } from './tls.js';
import { UpstreamPool } from './upstream-pool.js';
import { tunnelUpgrade } from './ws-tunnel.js';

export const HEALTH_PATH = '/.portcullis/health';
const HEALTH_QUERY = `${HEALTH_PATH}?`;

/** Where the upstream is right now; not running → 503 without trying it. */
export type UpstreamTarget = { ok: true; port: number } | { ok: false; message: string };

export interface ListenerConfig {
  serverId: string;
  serverName: string;
  mode: 'lan' | 'public';
  /** The address to listen on ("::" or "0.0.0.0" for every interface). */
  bind: string;
  port: number;
  /** The names and addresses clients may use in Host (the port is added). */
  hostNames: () => string[];
  limits: GatewayLimits;
  trustedProxies: ReadonlySet<string>;
  /** Serve HTTPS with this certificate; null: plain HTTP. */
  tls: TlsMaterial | null;
}

export interface ListenerDeps {
  tokens: TokenVerifier;
  upstreamAuth: UpstreamAuth;
  upstream: (serverId: string) => UpstreamTarget;
  record: (entry: AccessEntry) => void;
}

type Authenticated = { tokenId: string; label: string; source: Presented & { kind: 'token' } };

interface Checked {
  client: string;
  auth: Authenticated;
  target: { port: number };
}

/**
 * One exposed server's listener: the request pipeline of DESIGN.md in its order, in front of
 * the loopback upstream. It tracks every socket it accepted, so lock down can end them all —
 * open SSE streams and WebSocket tunnels included — the moment it is asked.
 */
export class ExposureListener {
  private readonly server: Server;
  private readonly sockets = new Set<Duplex>();
  /** Which token each connection last authenticated with, to end it when the token dies. */
  private readonly socketToken = new WeakMap<Duplex, string>();
  /** Open connections per client address (by the TCP peer: a proxy counts as one client). */
  private readonly perClient = new Map<string, number>();
  private readonly allow: HostAllowlist;
  private readonly rate: SlidingWindow;
  private readonly failures: SlidingWindow;
  private readonly cookie: string;
  private pool: { port: number; pool: UpstreamPool } | null = null;
  /** The upstream's Host header, kept while its port stays the same. */
  private upstreamHost: { port: number; host: string } | null = null;
  private lastRefresh = 0;
  private closed = false;

  private constructor(
    private readonly config: ListenerConfig,
    private readonly deps: ListenerDeps,
    readonly port: number,
    server: Server,
  ) {
    this.server = server;
    const l = config.limits;
    this.allow = new HostAllowlist(port, config.hostNames);
    this.rate = new SlidingWindow(l.rateLimit, l.rateWindowMs, l.maxTrackedClients);
    this.failures = new SlidingWindow(l.maxAuthFailures, l.authFailureWindowMs, l.maxTrackedClients);
    this.cookie = cookieName(port);
    // The TLS layer over an accepted socket is a socket of its own: lock down and token
    // revocation must find it (requests see it as req.socket), not only the raw one under it.
    if (config.tls) {
      server.on('secureConnection', (socket: TLSSocket) => this.track(socket));
      server.on('tlsClientError', (err: NodeJS.ErrnoException, socket: TLSSocket) => this.onTlsError(err, socket));
    }
  }

  static async open(config: ListenerConfig, deps: ListenerDeps): Promise<ExposureListener> {
    const l = config.limits;
    // Requests reach the instance once it exists; it does before any socket can be read.
    let self: ExposureListener | null = null;
    const server = createHttp1Server(
      {
        headersTimeoutMs: l.headersTimeoutMs,
        requestTimeoutMs: l.requestTimeoutMs,
        keepAliveTimeoutMs: l.keepAliveTimeoutMs,
        maxHeaderBytes: l.maxHeaderBytes,
        tls: config.tls ? { cert: config.tls.cert, key: config.tls.key } : null,
      },
      {
        request: (req, res) => (self ? self.onRequest(req, res) : req.socket.destroy()),
        upgrade: (req, socket, head) => (self ? self.onUpgrade(req, socket, head) : socket.destroy()),
        clientError: (code, socket, busy) => (self ? self.onClientError(code, socket, busy) : socket.destroy()),
      },
    );
    server.maxConnections = l.maxConnections;
    // Connections accepted before the instance exists are handed over to it.
    const early = new Set<Duplex>();
    const holdEarly = (socket: Socket): void => void early.add(socket);
    server.on('connection', holdEarly);
    const port = await listen(server, config.bind, config.port);
    const listener = new ExposureListener(config, deps, port, server);
    self = listener;
    server.off('connection', holdEarly);
    for (const s of early) if (!s.destroyed) listener.accept(s as Socket);
    server.on('connection', (socket: Socket) => listener.accept(socket));
    return listener;
  }

  /** The address really bound (every-interface IPv6 may have fallen back to IPv4). */
  get bind(): string {
    return this.config.bind;
  }

  get connectionCount(): number {
    return this.sockets.size;
  }

  get encrypted(): boolean {
    return this.config.tls !== null;
  }

  /** A renewed certificate: new handshakes use it, open connections keep theirs. */
  renewTls(tls: TlsMaterial): void {
    if (this.config.tls && 'setSecureContext' in this.server) (this.server as TlsServer).setSecureContext({ cert: tls.cert, key: tls.key });
  }

  /** Lock down: no new connections, and every open one — streams and tunnels too — destroyed now. */
  close(): Promise<void> {
    this.closed = true;
    const done = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    const pool = this.pool?.pool;
    this.pool = null;
    return Promise.all([done, pool?.destroy()]).then(() => undefined);
  }

  /** The names clients may use in Host changed (settings): re-read them. */
  refreshHosts(): void {
    this.allow.refresh();
  }

  /** A token was revoked or expired: connections it opened (streams, tunnels) end now. */
  endToken(tokenId: string): void {
    for (const socket of this.sockets) if (this.socketToken.get(socket) === tokenId) socket.destroy();
  }

  /** A new client connection: refused at once when its address already holds its share. */
  private accept(socket: Socket): void {
    const address = normalizeAddress(socket.remoteAddress);
    const open = this.perClient.get(address) ?? 0;
    if (open >= this.config.limits.maxConnectionsPerClient) {
      socket.destroy();
      return;
    }
    this.perClient.set(address, open + 1);
    socket.once('close', () => {
      const left = (this.perClient.get(address) ?? 1) - 1;
      if (left > 0) this.perClient.set(address, left);
      else this.perClient.delete(address);
    });
    this.track(socket);
  }

  private track(socket: Duplex): void {
    if (this.closed) {
      socket.destroy();
      return;
    }
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
  }

  // ---- the pipeline --------------------------------------------------------------------

  private onRequest(req: GatewayRequest, res: GatewayResponse): void {
    const started = performance.now();
    const client = clientAddress(req, this.config.trustedProxies);
    const url = req.url;
    if (url === HEALTH_PATH || url.startsWith(HEALTH_QUERY)) {
      this.health(req, res, client, started);
      return;
    }
    if (url[0] !== '/') {
      // Absolute-form (proxy) and asterisk-form targets: this is no forward proxy.
      this.deny(req, res, client, '-', started, { status: 400, error: 'bad_request', message: 'the request target must be a path' });
      return;
    }
    const checked = this.check(req, client, url, false);
    if ('status' in checked) {
      this.deny(req, res, client, url, started, checked);
      return;
    }
    if ('login' in checked) return this.browserLogin(req, res, client, url, started, checked.login);
    const { auth, target } = checked;
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > this.config.limits.maxBodyBytes) {
      const r = reject.tooLarge(`the request body is larger than the limit of ${this.config.limits.maxBodyBytes} bytes`);
      this.deny(req, res, client, url, started, r, 'body too large', auth);
      return;
    }
    // A keep-alive connection usually sends one token over and over: written only when it changes.
    if (this.socketToken.get(req.socket) !== auth.tokenId) this.socketToken.set(req.socket, auth.tokenId);
    const path = withoutParams(url, OUR_PARAM);
    const headers = upstreamHeaders(req, this.forwardContext(req, auth, target.port, false));
    forwardHttp(this.poolFor(target.port), req, res, path, headers, this.config.limits.maxBodyBytes, this.config.serverName, (result) => {
      this.record(req, client, url, started, result.status, result.bytesIn, result.bytesOut, auth, result.reason);
    });
  }

  private onUpgrade(req: GatewayRequest, socket: ClientSocket, head: Buffer): void {
    const started = performance.now();
    const client = clientAddress(req, this.config.trustedProxies);
    const url = req.url;
    const checked: ReturnType<ExposureListener['check']> =
      url[0] === '/' ? this.check(req, client, url, true) : { status: 400, error: 'bad_request', message: 'the request target must be a path' };
    if ('status' in checked || 'login' in checked) {
      const r = 'login' in checked ? reject.unauthorized('upgrades need the token in a header or cookie') : checked;
      const bytes = writeRawRejection(socket, r);
      this.record(req, client, url, started, r.status, head.length, bytes, null, r.error);
      return;
    }
    const { auth, target } = checked;
    this.socketToken.set(socket, auth.tokenId);
    const headers = upstreamHeaders(req, this.forwardContext(req, auth, target.port, true));
    tunnelUpgrade(
      req,
      socket,
      head,
      target.port,
      withoutParams(url, OUR_PARAM),
      headers,
      this.config.serverName,
      (upstream) => this.track(upstream),
      (result) => this.record(req, client, url, started, result.status, result.bytesIn, result.bytesOut, auth, result.reason),
    );
  }

  /**
   * Host allowlist → Origin → failed-auth lockout → authentication → rate limit → upstream
   * state. The lockout is consulted before the token is even looked at, so a locked-out
   * address learns nothing more, even with a right guess.
   */
  private check(req: GatewayRequest, client: string, url: string, upgrade: boolean): Checked | Rejection | { login: Authenticated } {
    const host = req.headers.host;
    if (!this.hostAllowed(host)) {
      return reject.misdirected('this listener does not answer to that Host name: use one of the URLs Portcullis shows for this server');
    }
    if ((upgrade || isStateChanging(req.method)) && !originMatchesHost(req.headers.origin, host, this.config.tls !== null)) {
      return reject.forbidden('cross-origin requests are refused: the Origin must match the address you connect to');
    }
    const locked = this.failures.check(client);
    if (!locked.ok) {
      return reject.tooMany(`too many failed authentications from ${client}; try again in ${locked.retryAfterS} s`, locked.retryAfterS);
    }
    const allowQuery = !upgrade && (req.method === 'GET' || req.method === 'HEAD');
    const presented = findCredential(req.headers, url, this.cookie, allowQuery);
    if (presented.kind !== 'token') {
      this.failures.hit(client);
      return reject.unauthorized(
        presented.kind === 'none'
          ? 'a Portcullis token is required: send "Authorization: Bearer <token>" or "X-Portcullis-Token: <token>"'
          : 'the token is malformed: send it exactly as issued, with no spaces inside',
      );
    }
    const verdict = this.deps.tokens.verify(this.config.serverId, presented.token);
    if (!verdict.ok) {
      this.failures.hit(client);
      return reject.unauthorized('the token is not valid for this server (unknown, revoked or expired)');
    }
    const auth = { tokenId: verdict.tokenId, label: verdict.label, source: presented };
    const rate = this.rate.hit(client);
    if (!rate.ok) return reject.tooMany(`too many requests from ${client}; try again in ${rate.retryAfterS} s`, rate.retryAfterS);
    if (presented.source === 'query') return { login: auth };
    const target = this.deps.upstream(this.config.serverId);
    if (!target.ok) return reject.unavailable(target.message);
    return { client, auth, target };
  }

  private hostAllowed(host: string | undefined): boolean {
    if (this.allow.has(host)) return true;
    // An address may have appeared since the listener opened (DHCP, a VPN coming up).
    const now = Date.now();
    if (this.config.mode === 'public' && now - this.lastRefresh > 5_000) {
      this.lastRefresh = now;
      this.allow.refresh();
      return this.allow.has(host);
    }
    return false;
  }

  /** `?portcullis_token=` once: an HttpOnly cookie for this listener and the URL without it. */
  private browserLogin(req: GatewayRequest, res: GatewayResponse, client: string, url: string, started: number, auth: Authenticated): void {
    res.writeHead(303, undefined, {
      location: withoutParams(url, OUR_PARAM),
      'set-cookie': `${this.cookie}=${auth.source.token}; HttpOnly; SameSite=Strict; Path=/${this.config.tls ? '; Secure' : ''}`,
      'cache-control': 'no-store',
      'content-length': 0,
    });
    res.end();
    this.record(req, client, url, started, 303, 0, 0, auth, 'token exchanged for a cookie');
  }

  private health(req: GatewayRequest, res: GatewayResponse, client: string, started: number): void {
    const up = this.deps.upstream(this.config.serverId);
    const text = JSON.stringify({ status: up.ok ? 'ok' : 'unavailable', server: this.config.serverName, mode: this.config.mode });
    res.writeHead(200, undefined, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store' });
    res.end(text);
    this.record(req, client, HEALTH_PATH, started, 200, 0, Buffer.byteLength(text), null, 'health');
  }

  private deny(
    req: GatewayRequest,
    res: GatewayResponse,
    client: string,
    url: string,
    started: number,
    r: Rejection,
    reason: string = r.error,
    auth: Authenticated | null = null,
  ): void {
    // A body we refuse is not read: the connection closes after the answer.
    const close = r.close || req.body !== null;
    const bytes = sendRejection(res, close ? { ...r, close: true } : r);
    if (close) res.once('finish', () => req.socket.destroy());
    this.record(req, client, url, started, r.status, 0, bytes, auth, reason);
  }

  private onClientError(code: string, socket: ClientSocket, busy: boolean): void {
    if (!socket.writable || busy) {
      socket.destroy();
      return;
    }
    const r = clientErrorRejection(code, this.config.limits.maxHeaderBytes);
    this.rejectRaw(socket as Socket, r, r.error);
  }

  /** Answers on a socket no request was parsed from, and records it (no method or path known). */
  private rejectRaw(socket: Socket, r: Rejection, reason: string): void {
    const bytes = writeRawRejection(socket, r);
    this.deps.record({
      server: this.config.serverName,
      mode: this.config.mode,
      client: normalizeAddress(socket.remoteAddress),
      method: '-',
      path: '-',
      status: r.status,
      bytesIn: 0,
      bytesOut: bytes,
      durationMs: 0,
      reason,
    });
  }

  /**
   * A handshake that failed. The common mistake — http:// to an HTTPS listener — gets a plain
   * HTTP answer saying so (written on the raw socket: no TLS was agreed), and a record; other
   * failures (a client that distrusts the certificate, garbage) are only closed.
   */
  private onTlsError(err: NodeJS.ErrnoException, socket: TLSSocket): void {
    const raw = err.code === 'ERR_SSL_HTTP_REQUEST' ? this.rawSocketOf(socket) : undefined;
    if (!raw) {
      socket.destroy();
      return;
    }
    this.rejectRaw(raw, reject.httpsRequired(), 'plain HTTP on an HTTPS listener');
  }

  /** The accepted TCP socket under a TLS one (same peer address and port); only on errors, so a scan is fine. */
  private rawSocketOf(tls: TLSSocket): Socket | undefined {
    for (const s of this.sockets) {
      const candidate = s as Socket;
      if (candidate !== tls && candidate.remotePort === tls.remotePort && candidate.remoteAddress === tls.remoteAddress && !('encrypted' in candidate)) return candidate;
    }
    return undefined;
  }

  // ---- helpers ---------------------------------------------------------------------------

  private forwardContext(req: GatewayRequest, auth: Authenticated, port: number, upgrade: boolean): ForwardContext {
    const peer = normalizeAddress(req.socket.remoteAddress);
    const trusted = this.config.trustedProxies;
    return {
      credential: auth.source.source,
      cookieName: this.cookie,
      peer,
      trustedPeer: trusted.size > 0 && trusted.has(peer),
      upstreamHost: this.hostFor(port),
      upstreamAuth: this.deps.upstreamAuth(this.config.serverId),
      upgrade,
      proto: this.config.tls ? 'https' : 'http',
    };
  }

  private hostFor(port: number): string {
    if (this.upstreamHost?.port !== port) this.upstreamHost = { port, host: hostPort('127.0.0.1', port) };
    return this.upstreamHost.host;
  }

  private poolFor(port: number): UpstreamPool {
    if (this.pool?.port === port) return this.pool.pool;
    void this.pool?.pool.close();
    // Keep-alive to the loopback upstream; no timeouts on bodies: token streams may pause long.
    const pool = new UpstreamPool({
      port,
      connections: this.config.limits.maxConnections,
      keepAliveTimeoutMs: 4_000,
      headersTimeoutMs: this.config.limits.requestTimeoutMs,
      reuseReadBuffer: true,
    });
    this.pool = { port, pool };
    return pool;
  }

  private record(
    req: GatewayRequest,
    client: string,
    url: string,
    started: number,
    status: number,
    bytesIn: number,
    bytesOut: number,
    auth: Authenticated | null,
    reason: string | undefined,
  ): void {
    const entry: AccessEntry = {
      server: this.config.serverName,
      mode: this.config.mode,
      client,
      method: req.method,
      path: withoutParams(url),
      status,
      bytesIn,
      bytesOut,
      durationMs: Math.round((performance.now() - started) * 100) / 100,
    };
    if (auth) {
      entry.tokenId = auth.tokenId;
      entry.tokenLabel = auth.label;
    }
    if (reason !== undefined) entry.reason = reason;
    this.deps.record(entry);
  }
}
