/**
 * An incremental HTTP/1.1 response parser for the gateway's loopback upstream: the head
 * (status line and header fields), then the body framed as RFC 9112 §6.3 says — none, a
 * content length, chunked (decoded here) or up to the end of the connection. It is strict:
 * anything it cannot read exactly is an error, and the connection is then never reused, so a
 * confused upstream can at worst lose its own answer.
 */

export interface ResponseHead {
  status: number;
  statusText: string;
  /** Field names and values as sent, flat: name, value, name, value … */
  headers: string[];
  /** `Keep-Alive: timeout=N` in milliseconds: how long the upstream keeps an idle socket. */
  keepAliveMs: number | null;
}

export interface ResponseSink {
  head(head: ResponseHead): void;
  /** Decoded body bytes (chunk framing removed). */
  data(chunk: Buffer): void;
  /** The answer is complete; `reusable`: the connection may carry another request. */
  end(reusable: boolean): void;
}

export class MalformedResponse extends Error {
  readonly code = 'UPSTREAM_MALFORMED';
}

const enum State {
  Head,
  Length,
  ChunkSize,
  ChunkData,
  ChunkDataEnd,
  Trailers,
  UntilClose,
  Done,
}

const CR = 13;
const LF = 10;
const STATUS_LINE = /^HTTP\/1\.([01]) ([1-9]\d\d)(?: ([^\r\n]*))?$/;
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** What Node's writeHead accepts in a value: a value it would refuse is refused here first. */
const BAD_VALUE = /[^\t\x20-\x7e\x80-\xff]/;
const KEEP_ALIVE_TIMEOUT = /(?:^|[,;\s])timeout=(\d{1,9})/i;
const CHUNK_SIZE = /^([0-9A-Fa-f]{1,12})[ \t]*(?:;[^\r\n]*)?$/;
/** A chunk-size or trailer line longer than this is not a real one. */
const MAX_LINE = 8 * 1024;

export class ResponseParser {
  private state = State.Done;
  private noBody = false;
  private pending: Buffer | null = null;
  private remaining = 0;
  private reusable = false;
  private trailerBytes = 0;

  constructor(
    private readonly sink: ResponseSink,
    private readonly maxHeadBytes: number,
  ) {}

  /** A request went out: its answer is next. A HEAD request's answer has no body. */
  expect(method: string): void {
    this.state = State.Head;
    this.noBody = method === 'HEAD';
    this.pending = null;
  }

  /** The answer has begun (a head, or part of one, has arrived). */
  get started(): boolean {
    return this.state !== State.Head || this.pending !== null;
  }

  /** The body runs until the connection ends: its end is the answer's end. */
  get endsAtClose(): boolean {
    return this.state === State.UntilClose;
  }

  /**
   * Feed bytes as they arrive. Returns the bytes left over after a complete answer (an
   * upstream that sent more than it announced), or null. Throws MalformedResponse.
   */
  execute(data: Buffer): Buffer | null {
    let at = 0;
    while (at < data.length) {
      switch (this.state) {
        case State.Head: {
          at = this.readHead(data, at);
          break;
        }
        case State.Length: {
          const chunk = this.take(data, at);
          at += chunk.length;
          this.sink.data(chunk);
          if (this.remaining === 0) {
            this.state = State.Done;
            this.sink.end(this.reusable);
          }
          break;
        }
        case State.ChunkSize:
        case State.Trailers:
        case State.ChunkDataEnd: {
          at = this.readLine(data, at);
          break;
        }
        case State.ChunkData: {
          const chunk = this.take(data, at);
          at += chunk.length;
          if (this.remaining === 0) this.state = State.ChunkDataEnd;
          this.sink.data(chunk);
          break;
        }
        case State.UntilClose: {
          this.sink.data(at === 0 ? data : data.subarray(at));
          return null;
        }
        case State.Done:
          return data.subarray(at);
      }
    }
    return null;
  }

  /** The connection ended: completes a body that runs until then; anything else was cut short. */
  close(): boolean {
    if (this.state !== State.UntilClose) return false;
    this.state = State.Done;
    this.sink.end(false);
    return true;
  }

  /** As much of the body (or chunk) still due as `data` holds from `at`. */
  private take(data: Buffer, at: number): Buffer {
    const n = Math.min(this.remaining, data.length - at);
    this.remaining -= n;
    return data.subarray(at, at + n);
  }

  private readHead(data: Buffer, at: number): number {
    const before = this.pending?.length ?? 0;
    const buf = this.pending ? Buffer.concat([this.pending, at === 0 ? data : data.subarray(at)]) : at === 0 ? data : data.subarray(at);
    // The end of the head may straddle two reads: look again from just before the old end.
    const end = buf.indexOf('\r\n\r\n', Math.max(0, before - 3), 'latin1');
    if (end === -1) {
      if (buf.length > this.maxHeadBytes) throw new MalformedResponse(`the response head is larger than ${this.maxHeadBytes} bytes`);
      this.pending = Buffer.from(buf);
      return data.length;
    }
    if (end > this.maxHeadBytes) throw new MalformedResponse(`the response head is larger than ${this.maxHeadBytes} bytes`);
    this.pending = null;
    this.parseHead(buf.toString('latin1', 0, end));
    // Where the body begins, in `data`'s own offsets.
    return at + (end + 4 - before);
  }

  private parseHead(text: string): void {
    const lines = text.split('\r\n');
    const m = STATUS_LINE.exec(lines[0] as string);
    if (!m) throw new MalformedResponse('the response status line is not HTTP/1.x');
    const status = Number(m[2]);
    const headers: string[] = [];
    let length: string | null = null;
    let chunked = false;
    let encoded = false;
    let close = m[1] === '0';
    let keepAlive = false;
    let keepAliveMs: number | null = null;
    for (let i = 1; i < lines.length; i++) {
      const line = lines[i] as string;
      const colon = line.indexOf(':');
      // No colon, or a continuation line (obsolete folding): not a field this parser accepts.
      if (colon <= 0) throw new MalformedResponse('a response header line has no field name');
      const name = line.slice(0, colon);
      if (!TOKEN.test(name)) throw new MalformedResponse('a response header name is not a token');
      const value = line.slice(colon + 1).trim();
      if (BAD_VALUE.test(value)) throw new MalformedResponse(`the response header ${name} holds a control character`);
      const lower = name.toLowerCase();
      if (lower === 'content-length') {
        if (!/^\d{1,15}$/.test(value) || (length !== null && length !== value)) throw new MalformedResponse('the response content-length is not one number');
        length = value;
      } else if (lower === 'transfer-encoding') {
        encoded = true;
        // Only the last coding decides the framing (RFC 9112 §6.3).
        chunked = /(?:^|,)\s*chunked\s*$/i.test(value);
      } else if (lower === 'keep-alive') {
        const m = KEEP_ALIVE_TIMEOUT.exec(value);
        if (m) keepAliveMs = Number(m[1]) * 1000;
      } else if (lower === 'connection') {
        for (const token of value.toLowerCase().split(',')) {
          const t = token.trim();
          if (t === 'close') close = true;
          else if (t === 'keep-alive') keepAlive = true;
        }
      }
      headers.push(name, value);
    }
    if (m[1] === '0' && keepAlive) close = false;
    if (status < 200) {
      // Informational (100 Continue, 103 Early Hints): the real answer follows.
      if (status === 101) throw new MalformedResponse('the upstream switched protocols on a plain request');
      this.state = State.Head;
      return;
    }
    this.reusable = !close;
    if (this.noBody || status === 204 || status === 304) {
      this.state = State.Done;
      this.sink.head({ status, statusText: m[3] ?? '', headers, keepAliveMs });
      this.sink.end(this.reusable);
      return;
    }
    if (encoded) {
      // A length beside an encoding is a smuggling shape: the encoding wins, the length goes,
      // and the connection is not trusted with another request.
      if (length !== null) {
        this.reusable = false;
        dropField(headers, 'content-length');
      }
      this.state = chunked ? State.ChunkSize : State.UntilClose;
      if (!chunked) this.reusable = false;
    } else if (length !== null) {
      this.remaining = Number(length);
      this.state = State.Length;
    } else {
      this.state = State.UntilClose;
      this.reusable = false;
    }
    this.sink.head({ status, statusText: m[3] ?? '', headers, keepAliveMs });
    if (this.state === State.Length && this.remaining === 0) {
      this.state = State.Done;
      this.sink.end(this.reusable);
    }
  }

  /** A CRLF-ended line of the chunked framing: a size, the end of a chunk's data, or a trailer. */
  private readLine(data: Buffer, at: number): number {
    const lf = data.indexOf(LF, at);
    const piece = data.subarray(at, lf === -1 ? data.length : lf + 1);
    const buf = this.pending ? Buffer.concat([this.pending, piece]) : piece;
    if (lf === -1) {
      if (buf.length > MAX_LINE) throw new MalformedResponse('a chunked framing line is too long');
      this.pending = Buffer.from(buf);
      return data.length;
    }
    this.pending = null;
    if (buf.length < 2 || buf[buf.length - 2] !== CR) throw new MalformedResponse('a chunked framing line does not end in CRLF');
    const line = buf.toString('latin1', 0, buf.length - 2);
    if (this.state === State.ChunkDataEnd) {
      if (line.length !== 0) throw new MalformedResponse('a chunk is longer than its size says');
      this.state = State.ChunkSize;
    } else if (this.state === State.ChunkSize) {
      const m = CHUNK_SIZE.exec(line);
      if (!m) throw new MalformedResponse('a chunk size is not a hexadecimal number');
      this.remaining = parseInt(m[1] as string, 16);
      if (this.remaining === 0) {
        this.state = State.Trailers;
        this.trailerBytes = 0;
      } else {
        this.state = State.ChunkData;
      }
    } else {
      // Trailers are read past, not forwarded: the client's answer is already under way.
      this.trailerBytes += buf.length;
      if (this.trailerBytes > this.maxHeadBytes) throw new MalformedResponse('the response trailers are too large');
      if (line.length === 0) {
        this.state = State.Done;
        this.sink.end(this.reusable);
      }
    }
    return lf + 1;
  }
}

function dropField(headers: string[], lower: string): void {
  for (let i = headers.length - 2; i >= 0; i -= 2) {
    if ((headers[i] as string).toLowerCase() === lower) headers.splice(i, 2);
  }
}
