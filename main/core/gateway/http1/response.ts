import { EventEmitter } from 'node:events';
import { STATUS_CODES } from 'node:http';
import type { GatewayResponse, OutgoingHeaders } from './types.js';

/** What a response needs of the connection it is written on. */
export interface ResponseLine {
  readonly socket: {
    write(data: string | Buffer, cb?: () => void): boolean;
    write(data: string, encoding: 'latin1', cb?: () => void): boolean;
    cork(): void;
    uncork(): void;
    destroy(): void;
    readonly writableLength: number;
    readonly writableHighWaterMark: number;
  };
  /** Keep-alive idle time the client is told about, in seconds. */
  readonly keepAliveS: number;
  /** The response was handed to the socket whole; `close`: the connection ends after it. */
  responseDone(res: Http1Response, close: boolean): void;
}

let dateText = '';
let dateSecond = 0;

/** The Date header (RFC 9110 §6.6.1), rebuilt at most once a second. */
function httpDate(): string {
  const now = Date.now();
  const second = Math.floor(now / 1000);
  if (second !== dateSecond) {
    dateSecond = second;
    dateText = new Date(now).toUTCString();
  }
  return dateText;
}

const UNSAFE_TEXT = /[\r\n]/;

/**
 * Up to this size a chunk is copied before it is written (after its head into one buffer, for
 * a whole small body): cheaper than a second write, and the caller's buffer — the upstream's
 * reused read buffer — is then never referenced by a queued write. Larger chunks go by reference.
 */
const SMALL_CHUNK = 16 * 1024;

/**
 * One response on a keep-alive HTTP/1.1 connection, written straight to the socket: the
 * head with the first chunk in one write, chunked framing when the length is unknown (an SSE
 * stream), and nothing for HEAD, 204 and 304. A response behind another on a pipelined
 * connection holds its output (and says `false`, pausing its upstream) until its turn.
 */
export class Http1Response extends EventEmitter implements GatewayResponse {
  headersSent = false;
  destroyed = false;
  writableFinished = false;
  private head: string | null = null;
  private chunked = false;
  private bodyless: boolean;
  private close: boolean;
  private ended = false;
  private active = false;
  /** A caller's buffer was written or held as it is, not copied. */
  private byReference = false;
  /** A Continue asked for before this response's turn. */
  private continueDue = false;
  /** Output waiting for this response's turn. */
  private held: Array<string | Buffer> = [];

  constructor(
    private readonly line: ResponseLine,
    head: boolean,
    private readonly keepAlive: boolean,
    private readonly http10: boolean,
  ) {
    super();
    this.bodyless = head;
    this.close = !keepAlive;
  }

  /**
   * Whether a buffer handed to write/end may still be referenced here (queued on a slow
   * socket, or held behind a pipelined answer): its owner must not reuse it yet.
   */
  holdsCallerBytes(): boolean {
    return this.byReference && this.writableLength > 0;
  }

  get writableLength(): number {
    if (!this.active) return this.held.reduce((n, piece) => n + piece.length, 0);
    return this.line.socket.writableLength;
  }

  writeHead(status: number, statusText: string | undefined, headers: OutgoingHeaders): this {
    if (this.headersSent) return this;
    this.headersSent = true;
    const text = statusText && !UNSAFE_TEXT.test(statusText) ? statusText : (STATUS_CODES[status] ?? '');
    let out = `HTTP/1.1 ${status} ${text}\r\n`;
    let length = false;
    let date = false;
    const add = (name: string, value: string): void => {
      const lower = name.length === 14 || name.length === 10 || name.length === 4 ? name.toLowerCase() : '';
      if (lower === 'content-length') length = true;
      else if (lower === 'date') date = true;
      else if (lower === 'connection') {
        // Our own answers ask for the connection to close after a body we will not read.
        if (value.toLowerCase() === 'close') this.close = true;
        return;
      }
      out += `${name}: ${value}\r\n`;
    };
    if (Array.isArray(headers)) for (let i = 0; i < headers.length; i += 2) add(headers[i] as string, headers[i + 1] as string);
    else for (const name in headers) add(name, String(headers[name]));
    if (status === 204 || status === 304 || status < 200) this.bodyless = true;
    else if (!length) {
      // No length: chunked for HTTP/1.1, the end of the connection for HTTP/1.0.
      if (this.http10) this.close = true;
      else if (!this.bodyless) {
        this.chunked = true;
        out += 'transfer-encoding: chunked\r\n';
      }
    }
    if (!date) out += `date: ${httpDate()}\r\n`;
    if (this.close) out += 'connection: close\r\n\r\n';
    // As node:http words it: clients such as undici take the timeout as their idle limit.
    else out += `connection: keep-alive\r\nkeep-alive: timeout=${this.line.keepAliveS}\r\n\r\n`;
    this.head = out;
    return this;
  }

  flushHeaders(): void {
    if (this.head === null) return;
    this.out(this.head);
    this.head = null;
  }

  write(data: Buffer): boolean {
    if (this.ended || this.destroyed) return false;
    if (this.bodyless || data.length === 0) {
      this.flushHeaders();
      return this.active;
    }
    const chunk = this.own(data);
    if (!this.active) {
      this.flushHeaders();
      if (this.chunked) this.held.push(`${chunk.length.toString(16)}\r\n`, chunk, '\r\n');
      else this.held.push(chunk);
      return false;
    }
    const socket = this.line.socket;
    socket.cork();
    this.flushHeaders();
    if (this.chunked) {
      socket.write(`${chunk.length.toString(16)}\r\n`);
      socket.write(chunk);
      socket.write('\r\n');
    } else socket.write(chunk);
    socket.uncork();
    // Judged after uncork: a corked write of a large chunk says "full" even when the kernel then
    // takes it all at once, and pausing the upstream for nothing costs two syscalls a chunk.
    return socket.writableLength < socket.writableHighWaterMark;
  }

  end(chunk?: Buffer | string): this {
    if (this.ended || this.destroyed) return this;
    if (!this.headersSent) this.writeHead(200, undefined, {});
    const body = chunk === undefined || chunk.length === 0 || this.bodyless ? null : typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    if (!this.active || this.chunked) {
      if (body) this.write(body);
      else this.flushHeaders();
      this.ended = true;
      if (this.chunked) this.out('0\r\n\r\n');
      if (this.active) this.line.socket.write('', () => this.finished());
      return this;
    }
    this.ended = true;
    const socket = this.line.socket;
    const head = this.head;
    this.head = null;
    const done = (): void => this.finished();
    if (head !== null && body !== null && body.length <= SMALL_CHUNK) {
      // The usual small answer: head and body in one buffer, one write, no writev.
      const out = Buffer.allocUnsafe(head.length + body.length);
      out.write(head, 0, 'latin1');
      body.copy(out, head.length);
      socket.write(out, done);
    } else if (body !== null) {
      socket.cork();
      if (head !== null) socket.write(head, 'latin1');
      socket.write(this.own(body), done);
      socket.uncork();
    } else socket.write(head ?? '', 'latin1', done);
    return this;
  }

  destroy(): this {
    this.line.socket.destroy();
    return this;
  }

  writeContinue(): void {
    if (this.headersSent) return;
    if (this.active) this.line.socket.write('HTTP/1.1 100 Continue\r\n\r\n');
    // Behind another answer on a pipelined connection: invited once its turn comes.
    else this.continueDue = true;
  }

  /** Its turn on the connection: what it held goes out, and a paused upstream may go on. */
  activate(): void {
    this.active = true;
    if (this.continueDue && !this.headersSent) this.line.socket.write('HTTP/1.1 100 Continue\r\n\r\n');
    const held = this.held;
    this.held = [];
    if (held.length > 0) {
      const socket = this.line.socket;
      socket.cork();
      for (const piece of held) {
        if (typeof piece === 'string') socket.write(piece, 'latin1');
        else socket.write(piece);
      }
      socket.uncork();
    }
    if (this.ended) this.line.socket.write('', () => this.finished());
    else if (held.length > 0) this.emit('drain');
  }

  /** The connection under it went away before it was finished. */
  abort(): void {
    if (this.destroyed || this.writableFinished) return;
    this.destroyed = true;
    this.held = [];
    this.emit('close');
  }

  drained(): void {
    if (this.active && !this.ended) this.emit('drain');
  }

  /** A small chunk copied (from Node's buffer pool), a large one taken by reference and noted. */
  private own(chunk: Buffer): Buffer {
    if (chunk.length <= SMALL_CHUNK) return Buffer.from(chunk);
    this.byReference = true;
    return chunk;
  }

  private out(data: string | Buffer): boolean {
    if (!this.active) {
      this.held.push(data);
      return false;
    }
    // Header text is latin1, byte for byte what the upstream sent (node:http writes it so too).
    return typeof data === 'string' ? this.line.socket.write(data, 'latin1') : this.line.socket.write(data);
  }

  private finished(): void {
    if (this.destroyed || this.writableFinished) return;
    this.writableFinished = true;
    this.line.responseDone(this, this.close);
    this.emit('finish');
    this.emit('close');
  }
}
