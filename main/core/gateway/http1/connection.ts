import { Readable } from 'node:stream';
import type { Llhttp, NativeParser } from './llhttp.js';
import { declaresBody, headerBlock } from './request-headers.js';
import { Http1Response, type ResponseLine } from './response.js';
import type { ClientSocket, GatewayRequest, GatewayResponse } from './types.js';

export interface Http1Timeouts {
  /** A request's headers must be complete this long after it began (slowloris). */
  headersTimeoutMs: number;
  /** The whole request, body included. */
  requestTimeoutMs: number;
  /** An idle keep-alive connection is closed after this. */
  keepAliveTimeoutMs: number;
  maxHeaderBytes: number;
}

export interface Http1Handlers {
  request(req: GatewayRequest, res: GatewayResponse): void;
  upgrade(req: GatewayRequest, socket: ClientSocket, head: Buffer): void;
  /**
   * What could not be parsed or came too slowly (a parser code `HPE_…`, or
   * `ERR_HTTP_REQUEST_TIMEOUT`). `busy`: a response is already under way on it, so only
   * closing is left.
   */
  clientError(code: string, socket: ClientSocket, busy: boolean): void;
}

/** Where a connection stands, for its timeouts. */
const enum Phase {
  /** Reading a request's head (a fresh connection too: it must start one in time). */
  Head,
  /** The head is in, the body is still coming. */
  Body,
  /** The request is in; its answer is being written. */
  Answering,
  /** Keep-alive, between requests. */
  Idle,
}

class RequestBody extends Readable {
  constructor(private readonly socket: ClientSocket) {
    super();
    // Why a body ended early is for whoever reads it; one nobody reads must not crash the app.
    this.on('error', () => undefined);
  }

  override _read(): void {
    this.socket.resume();
  }
}

/** llhttp's code for bytes after a request that said `Connection: close`. */
const CLOSED_CONNECTION = 'HPE_CLOSED_CONNECTION';

/** Pipelined requests of one connection being answered at once; more wait their turn. */
const MAX_IN_FLIGHT = 8;

/** A request whose head was more than one Host: RFC 9112 §3.2 requires 400. */
const DUPLICATE_HOST = 'HPE_DUPLICATE_HOST';
/** An HTTP/1.1 request without Host: 400 too (RFC 9112 §3.2), as node:http answers it. */
const MISSING_HOST = 'HPE_MISSING_HOST';
/** A method the parser knows but this runtime's table does not name: refused, never guessed. */
const UNKNOWN_METHOD = 'HPE_UNKNOWN_METHOD';

/**
 * One client connection served over Node's llhttp parser: requests in, responses out in
 * order (pipelined ones wait their turn), bodies streamed with backpressure, upgrades handed
 * over with the bytes that followed their head. It is what node:http does for a server,
 * minus the per-request objects and events the gateway does not use: the whole gateway
 * spends 15–20 % less CPU per small request than over node:http (bench:gateway, gw-node-http).
 */
export class Http1Connection implements ResponseLine {
  readonly keepAliveS: number;
  private readonly parser: NativeParser;
  private readonly queue: Http1Response[] = [];
  /** Pipelined requests beyond MAX_IN_FLIGHT, handed on as earlier answers finish. */
  private readonly waiting: Array<{ req: GatewayRequest; res: Http1Response }> = [];
  private phase = Phase.Head;
  private since: number;
  private body: RequestBody | null = null;
  private heads: string[] = [];
  private partialUrl = '';
  private upgrading: GatewayRequest | null = null;
  private failure: string | null = null;
  /** Nothing more is read: an error, an upgrade, or a response that closes the connection. */
  private stopped = false;
  /** The client ended its side: close ours once the answers are out. */
  private clientEnded = false;
  /** Our own socket listeners, kept to be removed (and only they) when an upgrade takes the socket. */
  private readonly onSocketData = (data: Buffer): void => this.onData(data);
  private readonly onSocketEnd = (): void => this.onEnd();
  private readonly onSocketDrain = (): void => this.queue[0]?.drained();

  constructor(
    readonly socket: ClientSocket & { pause(): void; resume(): void; cork(): void; uncork(): void },
    private readonly http: Llhttp,
    private readonly limits: Http1Timeouts,
    private readonly handlers: Http1Handlers,
  ) {
    this.keepAliveS = Math.max(1, Math.floor(limits.keepAliveTimeoutMs / 1000));
    this.since = performance.now();
    const P = http.Parser;
    const parser = new P();
    parser.initialize(P.REQUEST, {}, limits.maxHeaderBytes, 0);
    parser[P.kOnMessageBegin] = (): void => this.onMessageBegin();
    parser[P.kOnHeaders] = (headers: string[], url: string): void => this.onHeaders(headers, url);
    parser[P.kOnHeadersComplete] = (
      major: number,
      minor: number,
      headers: string[] | undefined,
      method: number,
      url: string | undefined,
      _status: unknown,
      _statusText: unknown,
      upgrade: boolean,
      keepAlive: boolean,
    ): number => this.onHeadersComplete(major, minor, headers, method, url, upgrade, keepAlive);
    parser[P.kOnBody] = (chunk: Buffer): void => this.onBody(chunk);
    parser[P.kOnMessageComplete] = (): void => this.onMessageComplete();
    this.parser = parser;
    socket.on('data', this.onSocketData);
    socket.on('end', this.onSocketEnd);
    socket.on('drain', this.onSocketDrain);
    socket.on('error', () => undefined);
    socket.once('close', () => this.onClose());
  }

  /** Called by the server's sweep: ends a connection past its deadline. */
  checkTimeouts(now: number): void {
    if (this.stopped) return;
    const age = now - this.since;
    if (this.phase === Phase.Head ? age > this.limits.headersTimeoutMs : this.phase === Phase.Body && age > this.limits.requestTimeoutMs) {
      this.fail('ERR_HTTP_REQUEST_TIMEOUT');
    } else if (this.phase === Phase.Idle && age > this.limits.keepAliveTimeoutMs) {
      this.stop();
      this.socket.destroy();
    }
  }

  responseDone(res: Http1Response, close: boolean): void {
    if (this.queue[0] === res) this.queue.shift();
    if (close || (this.clientEnded && this.queue.length === 0)) {
      this.stop();
      this.waiting.length = 0;
      for (const waiting of this.queue.splice(0)) waiting.abort();
      this.closeWhenFlushed();
      return;
    }
    const next = this.queue[0];
    if (next) next.activate();
    else if (this.phase === Phase.Answering) this.toIdle();
    const held = this.waiting.shift();
    if (held) {
      // A body that is behind pauses the socket again at its next chunk.
      if (this.waiting.length === 0) this.socket.resume();
      this.dispatch(held.req, held.res);
    }
  }

  // ---- parser callbacks ----------------------------------------------------------------

  private onMessageBegin(): void {
    this.phase = Phase.Head;
    this.since = performance.now();
  }

  private onHeaders(headers: string[], url: string): void {
    // A head of many fields arrives in parts before it completes.
    for (const h of headers) this.heads.push(h);
    this.partialUrl += url;
  }

  private onHeadersComplete(
    major: number,
    minor: number,
    headers: string[] | undefined,
    methodIndex: number,
    url: string | undefined,
    upgrade: boolean,
    keepAlive: boolean,
  ): number {
    // Nothing after a refused request is served: the connection answers it and closes.
    if (this.stopped || this.failure) return 1;
    const raw = headers ?? this.heads;
    const target = url || this.partialUrl;
    this.heads = [];
    this.partialUrl = '';
    const { headers: fields, duplicateHost } = headerBlock(raw);
    if (duplicateHost || (fields.host === undefined && major === 1 && minor === 1)) {
      this.failure = duplicateHost ? DUPLICATE_HOST : MISSING_HOST;
      return 1;
    }
    const method = this.http.methods.get(methodIndex);
    if (method === undefined) {
      this.failure = UNKNOWN_METHOD;
      return 1;
    }
    const body = declaresBody(fields) && !upgrade ? new RequestBody(this.socket) : null;
    const req: GatewayRequest = { method, url: target, headers: fields, socket: this.socket, body };
    if (upgrade) {
      // CONNECT counts as an upgrade to llhttp; the gateway refuses it as it refuses other non-path targets.
      this.upgrading = req;
      return 2;
    }
    this.body = body;
    this.phase = body ? Phase.Body : Phase.Answering;
    const res = new Http1Response(this, method === 'HEAD', keepAlive, major === 1 && minor === 0);
    this.queue.push(res);
    if (this.queue.length === 1) res.activate();
    if (this.queue.length > MAX_IN_FLIGHT) {
      // A deep pipeline waits here, unread further, instead of each request taking an upstream
      // connection and holding its answer in memory.
      this.waiting.push({ req, res });
      this.socket.pause();
    } else this.dispatch(req, res);
    return 0;
  }

  private dispatch(req: GatewayRequest, res: Http1Response): void {
    try {
      this.handlers.request(req, res);
    } catch {
      this.socket.destroy();
    }
  }

  private onBody(chunk: Buffer): void {
    // A body nobody reads any more (its answer is out, its connection closing) is dropped.
    if (this.body && !this.body.destroyed && !this.body.push(chunk)) this.socket.pause();
  }

  private onMessageComplete(): void {
    // Trailer fields arrive like header parts: they must not become the next request's headers.
    this.heads = [];
    this.partialUrl = '';
    const body = this.body;
    this.body = null;
    if (body && !body.destroyed) body.push(null);
    if (this.phase === Phase.Body) this.phase = Phase.Answering;
    if (this.phase === Phase.Answering && this.queue.length === 0) this.toIdle();
  }

  // ---- socket events -------------------------------------------------------------------

  private onData(data: Buffer): void {
    if (this.stopped) return;
    let parsed: number | Error;
    try {
      parsed = this.parser.execute(data);
    } catch {
      // A callback threw (a bug of ours, not the client's): this connection ends, the app does not.
      this.stop();
      this.socket.destroy();
      return;
    }
    if (parsed instanceof Error) {
      const code = (parsed as NodeJS.ErrnoException).code ?? 'HPE_INVALID';
      if (code === CLOSED_CONNECTION && this.queue.length > 0) {
        // Bytes after a request that said Connection: close are not processed (RFC 9112 §9.6),
        // but the answer due to that request still goes out, then the connection closes.
        // Failing here threw away the answer to a request the upstream had already done.
        this.stop();
        return;
      }
      this.fail(code);
      return;
    }
    if (this.failure) {
      this.fail(this.failure);
      return;
    }
    const upgrade = this.upgrading;
    if (upgrade) {
      this.upgrading = null;
      this.stop();
      if (this.queue.length > 0) {
        // An upgrade pipelined behind an unanswered request: nothing sane to do but close.
        this.socket.destroy();
        return;
      }
      // The tunnel owns the socket now. 'end' too: left here, a client half-closing its side
      // of a tunnel made us end ours, cutting off what the upstream still had to send (node:http
      // lets go of the socket the same way). Only our listeners: net.Socket has its own 'end'.
      this.socket.off('data', this.onSocketData);
      this.socket.off('end', this.onSocketEnd);
      this.socket.off('drain', this.onSocketDrain);
      this.handlers.upgrade(upgrade, this.socket, data.subarray(parsed));
    }
  }

  private onEnd(): void {
    this.clientEnded = true;
    // A body cut short is no body: whoever reads it hears so.
    this.body?.destroy(new Error('the client ended the connection mid-request'));
    this.body = null;
    if (this.queue.length === 0 && !this.upgrading) {
      this.stop();
      this.closeWhenFlushed();
    }
  }

  /**
   * Ends our side and lets go of the socket once the answer is flushed, as node:http does: with
   * half-open sockets allowed, a client that never closes its side would otherwise hold it forever.
   */
  private closeWhenFlushed(): void {
    const socket = this.socket as ClientSocket & { end(): void; writableFinished: boolean };
    socket.end();
    if (socket.writableFinished) socket.destroy();
    else socket.once('finish', () => socket.destroy());
  }

  private onClose(): void {
    this.stop();
    this.body?.destroy(new Error('the connection closed mid-request'));
    this.body = null;
    for (const res of this.queue.splice(0)) res.abort();
    this.waiting.length = 0;
  }

  private fail(code: string): void {
    this.stop();
    this.body?.destroy(new Error('the request could not be read'));
    this.body = null;
    this.handlers.clientError(code, this.socket, this.queue.length > 0);
  }

  private toIdle(): void {
    this.phase = Phase.Idle;
    this.since = performance.now();
  }

  private stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.parser.free();
  }
}
