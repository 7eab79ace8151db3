import { connect, type Socket } from 'node:net';
import type { Readable } from 'node:stream';
import { MalformedResponse, ResponseParser, type ResponseHead, type ResponseSink } from './response-parser.js';

/** One request for the upstream: what forwarding built from the client's request. */
export interface UpstreamRequest {
  path: string;
  method: string;
  /** Flat name/value list, lower-case names. */
  headers: string[];
  /** Sent with its content-length when `headers` has one, else chunked; null: no body. */
  body: Readable | null;
}

/** What one exchange hears, in undici's original handler shape (the gateway's Exchange). */
export interface UpstreamHandler {
  /** Before each attempt (a retried request hears it again, with that attempt's abort). */
  onConnect(abort: (err?: Error) => void): void;
  /** The final answer's head; informational (1xx) heads are skipped. */
  onHeaders(statusCode: number, headers: string[], resume: () => void, statusText: string): void;
  /** Decoded body bytes; false pauses the upstream until `resume` is called. */
  onData(chunk: Buffer): boolean;
  onComplete(): void;
  onError(err: Error): void;
  /**
   * Whether bytes given to onData are still referenced after it returned (queued on a slow
   * client). Asked only when the pool reuses its read buffer: true, or no answer, and the next
   * read gets a fresh buffer instead of overwriting them.
   */
  retained?(): boolean;
}

export interface UpstreamPoolOptions {
  port: number;
  /** Open connections at most; further requests wait their turn. */
  connections: number;
  keepAliveTimeoutMs: number;
  /** The upstream must have sent an answer's head this long after the request. */
  headersTimeoutMs: number;
  maxHeadBytes?: number;
  /**
   * Read every socket into one reused buffer rather than a new 64 KB one per read: large
   * answers otherwise make the garbage collector run a full mark-compact every few dozen
   * requests (measured: one every 50 ms at 2,000 64 KB answers a second, 3–8 ms each).
   */
  reuseReadBuffer?: boolean;
}

const READ_SIZE = 64 * 1024;

/** An exchange that failed, with a code forwarding turns into a clear answer. */
export class UpstreamError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

const UNSAFE = /[\r\n\0]/;

const closedByGateway = (): UpstreamError => new UpstreamError('the gateway closed the connection', 'UPSTREAM_CLOSED');

/**
 * Keep-alive HTTP/1.1 to one loopback upstream. The gateway's hot path used undici's Pool;
 * this does only what forwarding needs (one request per connection at a time, no redirects,
 * no retries beyond a dead idle connection, no decompression) and costs the event loop
 * about a third less per request, which is most of the gap to a native proxy.
 */
export class UpstreamPool {
  private readonly idle: Connection[] = [];
  private readonly busy = new Set<Connection>();
  private readonly queue: Array<{ request: UpstreamRequest; head: string; handler: UpstreamHandler; retried: boolean }> = [];
  private readonly timer: NodeJS.Timeout;
  private open = 0;
  private closing = false;
  private keepAliveMs: number;

  constructor(private readonly options: UpstreamPoolOptions) {
    this.keepAliveMs = options.keepAliveTimeoutMs;
    // One coarse sweep instead of a timer per request: idle sockets age out, late heads fail.
    const every = Math.max(50, Math.min(1_000, Math.floor(Math.min(options.headersTimeoutMs, options.keepAliveTimeoutMs) / 4)));
    this.timer = setInterval(() => this.sweep(), every);
    this.timer.unref();
  }

  get stats(): { open: number; idle: number; queued: number } {
    return { open: this.open, idle: this.idle.length, queued: this.queue.length };
  }

  /** Throws, sending nothing, when the path or a header could split the request. */
  dispatch(request: UpstreamRequest, handler: UpstreamHandler): void {
    if (this.closing) throw new UpstreamError('the upstream pool is closed', 'UPSTREAM_CLOSED');
    this.start({ request, head: requestHead(request), handler, retried: false });
  }

  /** Idle sockets go, waiting requests end; running exchanges finish. */
  close(): Promise<void> {
    this.shut();
    if (this.busy.size === 0) return Promise.resolve();
    return Promise.all([...this.busy].map((c) => c.closed)).then(() => undefined);
  }

  /** Every socket goes now, running exchanges included. */
  destroy(): Promise<void> {
    this.shut();
    for (const c of this.busy) c.fail(closedByGateway());
    return Promise.resolve();
  }

  private shut(): void {
    this.closing = true;
    clearInterval(this.timer);
    for (const c of this.idle.splice(0)) c.destroy();
    // Waiting requests were meant for an upstream that is going away: they end now, not never.
    for (const q of this.queue.splice(0)) q.handler.onError(closedByGateway());
  }

  private start(job: { request: UpstreamRequest; head: string; handler: UpstreamHandler; retried: boolean }): void {
    let conn = this.idle.pop();
    while (conn && conn.dead) conn = this.idle.pop();
    if (!conn) {
      if (this.open >= this.options.connections) {
        this.queue.push(job);
        return;
      }
      conn = this.connect();
    }
    this.busy.add(conn);
    conn.run(job.request, job.head, job.handler, job.retried);
  }

  private connect(): Connection {
    this.open++;
    const conn = new Connection(this, this.options.port, this.options.maxHeadBytes ?? 64 * 1024, this.options.reuseReadBuffer ?? false);
    void conn.closed.then(() => {
      this.open--;
      this.busy.delete(conn);
      const i = this.idle.indexOf(conn);
      if (i !== -1) this.idle.splice(i, 1);
      this.next();
    });
    return conn;
  }

  /** An exchange ended; a reusable connection waits for the next request. */
  released(conn: Connection, reusable: boolean, keepAliveHintMs: number | null): void {
    this.busy.delete(conn);
    if (keepAliveHintMs !== null) this.keepAliveMs = Math.min(this.options.keepAliveTimeoutMs, keepAliveHintMs);
    if (!reusable || this.closing) {
      conn.destroy();
      return;
    }
    const job = this.queue.shift();
    if (job) {
      this.busy.add(conn);
      conn.run(job.request, job.head, job.handler, job.retried);
      return;
    }
    conn.idleSince = Date.now();
    this.idle.push(conn);
  }

  /** A reused connection was found dead before it answered: the request goes again, once. */
  retry(request: UpstreamRequest, head: string, handler: UpstreamHandler): void {
    if (this.closing) {
      handler.onError(closedByGateway());
      return;
    }
    this.start({ request, head, handler, retried: true });
  }

  private next(): void {
    if (this.closing) return;
    while (this.queue.length > 0 && this.open < this.options.connections) {
      const job = this.queue.shift() as (typeof this.queue)[number];
      this.start(job);
    }
  }

  private sweep(): void {
    const now = Date.now();
    for (let i = this.idle.length - 1; i >= 0; i--) {
      const c = this.idle[i] as Connection;
      if (now - c.idleSince >= this.keepAliveMs) {
        this.idle.splice(i, 1);
        c.destroy();
      }
    }
    for (const c of this.busy) {
      if (c.awaitingHeadSince > 0 && now - c.awaitingHeadSince >= this.options.headersTimeoutMs) {
        c.fail(new UpstreamError(`the upstream sent no answer within ${this.options.headersTimeoutMs} ms`, 'UPSTREAM_HEADERS_TIMEOUT'));
      }
    }
  }
}

/** The request line and fields; our framing header is added when the body has no length. */
function requestHead(r: UpstreamRequest): string {
  if (UNSAFE.test(r.path) || UNSAFE.test(r.method)) throw new UpstreamError('the request target holds a control character', 'UPSTREAM_INVALID_REQUEST');
  let head = `${r.method} ${r.path} HTTP/1.1\r\n`;
  let length = false;
  const h = r.headers;
  for (let i = 0; i < h.length; i += 2) {
    const name = h[i] as string;
    const value = h[i + 1] as string;
    if (UNSAFE.test(value) || UNSAFE.test(name)) throw new UpstreamError(`the request header ${name} holds a control character`, 'UPSTREAM_INVALID_REQUEST');
    if (name === 'content-length') length = true;
    head += `${name}: ${value}\r\n`;
  }
  if (r.body && !length) head += 'transfer-encoding: chunked\r\n';
  return `${head}\r\n`;
}

/** One socket to the upstream, carrying one exchange at a time. */
class Connection implements ResponseSink {
  readonly socket: Socket;
  readonly closed: Promise<void>;
  private readonly parser: ResponseParser;
  private handler: UpstreamHandler | null = null;
  private request: UpstreamRequest | null = null;
  private requestText = '';
  private retried = false;
  private used = false;
  private bodySent = true;
  private completed: { reusable: boolean } | null = null;
  private keepAliveHint: number | null = null;
  private paused = false;
  /** The buffer reads land in when it is reused; null: the next read takes a new one. */
  private readBuffer: Buffer | null = null;
  /** Stops sending a body the upstream no longer waits for. */
  private detachBody: (() => void) | null = null;
  dead = false;
  idleSince = 0;
  awaitingHeadSince = 0;

  constructor(
    private readonly pool: UpstreamPool,
    port: number,
    maxHeadBytes: number,
    reuseReadBuffer: boolean,
  ) {
    this.parser = new ResponseParser(this, maxHeadBytes);
    const onread = reuseReadBuffer
      ? { buffer: (): Buffer => (this.readBuffer ??= Buffer.allocUnsafeSlow(READ_SIZE)), callback: (n: number, buf: Buffer) => this.onRead(n, buf) }
      : undefined;
    this.socket = connect({ port, host: '127.0.0.1', noDelay: true, ...(onread ? { onread } : {}) });
    this.closed = new Promise((resolve) => this.socket.once('close', () => resolve()));
    if (!reuseReadBuffer) this.socket.on('data', (chunk: Buffer) => this.onSocketData(chunk));
    this.socket.on('error', (err) => this.onSocketEnd(err));
    this.socket.on('end', () => this.onSocketEnd(null));
    this.socket.on('close', () => this.onSocketEnd(null));
  }

  run(request: UpstreamRequest, head: string, handler: UpstreamHandler, retried: boolean): void {
    this.request = request;
    this.requestText = head;
    this.handler = handler;
    this.retried = retried;
    this.completed = null;
    this.keepAliveHint = null;
    this.awaitingHeadSince = Date.now();
    this.parser.expect(request.method);
    // Bound to this exchange: a late abort from one that ended must not end the next one.
    handler.onConnect((err) => {
      if (this.handler === handler) this.fail(err ?? new UpstreamError('the exchange was aborted', 'UPSTREAM_ABORTED'));
    });
    if (this.handler !== handler) return;
    this.socket.write(head, 'latin1');
    const body = request.body;
    this.bodySent = body === null;
    if (body) this.sendBody(body, !head.endsWith('transfer-encoding: chunked\r\n\r\n'));
  }

  private sendBody(body: Readable, withLength: boolean): void {
    const socket = this.socket;
    const onData = (chunk: Buffer): void => {
      if (chunk.length === 0) return;
      let ok: boolean;
      if (withLength) {
        ok = socket.write(chunk);
      } else {
        // Size line, data and CRLF as one write: each is always written, whatever the buffer says.
        socket.cork();
        socket.write(`${chunk.length.toString(16)}\r\n`, 'latin1');
        socket.write(chunk);
        ok = socket.write('\r\n', 'latin1');
        socket.uncork();
      }
      if (!ok) {
        body.pause();
        socket.once('drain', () => body.resume());
      }
    };
    const onEnd = (): void => {
      cleanup();
      if (!withLength) socket.write('0\r\n\r\n', 'latin1');
      this.bodySent = true;
    };
    const onError = (err: Error): void => {
      cleanup();
      this.fail(err);
    };
    const cleanup = (): void => {
      this.detachBody = null;
      body.off('data', onData);
      body.off('end', onEnd);
      body.off('error', onError);
    };
    this.detachBody = () => {
      cleanup();
      // The rest of the client's body is read and dropped (still within its limit), so the
      // client's connection is not left stalled mid-upload.
      body.on('error', () => undefined);
      body.resume();
    };
    body.on('data', onData);
    body.once('end', onEnd);
    body.once('error', onError);
  }

  // ---- ResponseSink: what the parser found -------------------------------------------

  head(h: ResponseHead): void {
    this.awaitingHeadSince = 0;
    this.used = true;
    // Give up an idle socket a second before the upstream would: never reuse one it closed.
    if (h.keepAliveMs !== null) this.keepAliveHint = Math.max(0, h.keepAliveMs - 1000);
    const handler = this.handler;
    handler?.onHeaders(h.status, h.headers, () => this.resume(handler), h.statusText);
  }

  data(chunk: Buffer): void {
    if (chunk.length === 0 || !this.handler) return;
    if (!this.handler.onData(chunk) && !this.paused) {
      this.paused = true;
      this.socket.pause();
    }
  }

  end(reusable: boolean): void {
    this.completed = { reusable };
  }

  // ---- the socket --------------------------------------------------------------------

  private onRead(length: number, buffer: Buffer): boolean {
    const handler = this.handler;
    this.onSocketData(buffer.subarray(0, length));
    // Bytes of this read still queued somewhere (a client that is behind) must not be
    // overwritten by the next read: that one gets a new buffer, the old one goes with them.
    if (handler?.retained?.() !== false) this.readBuffer = null;
    return true;
  }

  private onSocketData(chunk: Buffer): void {
    if (!this.handler) {
      // Bytes nobody asked for: this connection cannot be trusted with a request.
      this.destroy();
      return;
    }
    let extra: Buffer | null;
    try {
      extra = this.parser.execute(chunk);
    } catch (err) {
      this.fail(err instanceof MalformedResponse ? new UpstreamError(`the upstream's answer is malformed: ${err.message}`, err.code) : (err as Error));
      return;
    }
    if (this.completed) {
      // Bytes past the answer's end, or an answer before the whole body went: not reusable.
      if ((extra && extra.length > 0) || !this.bodySent) this.completed.reusable = false;
      this.finish();
    }
  }

  private onSocketEnd(err: Error | null): void {
    if (this.dead) return;
    const handler = this.handler;
    if (handler && !err && this.parser.endsAtClose) {
      this.parser.close();
      this.finish();
      return;
    }
    this.dead = true;
    this.socket.destroy();
    this.detachBody?.();
    if (!handler) return;
    const request = this.request as UpstreamRequest;
    this.handler = null;
    this.request = null;
    // A kept-alive socket the upstream had already closed: nothing reached it, so a request
    // without a body can go again on a fresh connection.
    if (this.used && !this.retried && !this.parser.started && request.body === null) {
      this.pool.retry(request, this.requestText, handler);
      return;
    }
    const code = (err as NodeJS.ErrnoException | null)?.code;
    handler.onError(
      err && code
        ? err
        : new UpstreamError(
            this.parser.started ? 'the upstream closed the connection before its answer was complete' : 'the upstream closed the connection without answering',
            'UPSTREAM_CLOSED',
          ),
    );
  }

  private finish(): void {
    this.detachBody?.();
    const handler = this.handler;
    const reusable = this.completed?.reusable ?? false;
    this.handler = null;
    this.request = null;
    this.completed = null;
    this.awaitingHeadSince = 0;
    if (this.paused) {
      this.paused = false;
      this.socket.resume();
    }
    handler?.onComplete();
    this.pool.released(this, reusable && !this.dead, this.keepAliveHint);
  }

  private resume(handler: UpstreamHandler | null): void {
    if (this.paused && handler !== null && this.handler === handler) {
      this.paused = false;
      this.socket.resume();
    }
  }

  /** The exchange failed or was aborted: the socket goes, the handler hears why. */
  fail(err: Error): void {
    this.detachBody?.();
    const handler = this.handler;
    this.handler = null;
    this.request = null;
    this.destroy();
    handler?.onError(err);
  }

  destroy(): void {
    this.dead = true;
    this.socket.destroy();
  }
}
