import { randomBytes } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { UpstreamPool, type UpstreamHandler, type UpstreamPoolOptions, type UpstreamRequest } from '../../main/core/gateway/upstream-pool.js';
import { freePort } from '../helpers/ports.js';
import { waitFor } from '../helpers/wait.js';

// The gateway's own HTTP/1.1 client, checked against a scripted upstream on real loopback
// sockets: every answer below is the exact bytes a (sometimes broken) server sends, and every
// request is asserted on the exact bytes the server received.

interface SeenRequest {
  head: string;
  /** The body as framed on the wire (chunked framing kept). */
  body: Buffer;
}

/** What the upstream does with one complete request: raw bytes to send, or a script. */
type Reply = string | Buffer | ((socket: Socket, request: SeenRequest) => void);

class UpstreamConnection {
  readonly chunks: Buffer[] = [];
  readonly requests: SeenRequest[] = [];
  closed = false;
  pending = Buffer.alloc(0);
  constructor(readonly socket: Socket) {}
  get raw(): Buffer {
    return Buffer.concat(this.chunks);
  }
}

/** A loopback server that records every connection and answers requests from a script queue. */
class FakeUpstream {
  readonly connections: UpstreamConnection[] = [];
  /** Taken one per complete request, in arrival order, whatever the connection. */
  readonly replies: Reply[] = [];
  /** Used when `replies` is empty; null: the request gets no answer. */
  fallback: Reply | null = null;
  open = 0;
  maxOpen = 0;
  port = 0;
  private readonly server: Server = createServer((socket) => this.accept(socket));

  async listen(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as { port: number }).port;
  }

  async close(): Promise<void> {
    for (const c of this.connections) c.socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  get requests(): SeenRequest[] {
    return this.connections.flatMap((c) => c.requests);
  }

  private accept(socket: Socket): void {
    const conn = new UpstreamConnection(socket);
    socket.setNoDelay(true);
    this.connections.push(conn);
    this.open++;
    this.maxOpen = Math.max(this.maxOpen, this.open);
    socket.on('data', (chunk: Buffer) => {
      conn.chunks.push(chunk);
      conn.pending = Buffer.concat([conn.pending, chunk]);
      this.take(conn);
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      conn.closed = true;
      this.open--;
    });
  }

  /** Splits complete requests (head, then a content-length or chunked body) off the buffer. */
  private take(conn: UpstreamConnection): void {
    for (;;) {
      const end = conn.pending.indexOf('\r\n\r\n');
      if (end === -1) return;
      const head = conn.pending.toString('latin1', 0, end + 4);
      const rest = conn.pending.subarray(end + 4);
      let bodyLength = 0;
      const length = /\r\ncontent-length: *(\d+)/i.exec(head);
      if (length) {
        bodyLength = Number(length[1]);
      } else if (/\r\ntransfer-encoding: *chunked/i.test(head)) {
        try {
          const framed = decodeChunked(rest);
          if (framed === null) return;
          bodyLength = framed.length;
        } catch {
          // Broken framing: hand the test everything so it can show what arrived.
          bodyLength = rest.length;
        }
      }
      if (rest.length < bodyLength) return;
      const request = { head, body: Buffer.from(rest.subarray(0, bodyLength)) };
      conn.pending = Buffer.from(rest.subarray(bodyLength));
      conn.requests.push(request);
      const reply = this.replies.shift() ?? this.fallback;
      if (reply === null) continue;
      if (typeof reply === 'function') reply(conn.socket, request);
      else conn.socket.write(reply);
    }
  }
}

/** Decodes a complete chunked body (no trailers); null while incomplete; throws on bad framing. */
function decodeChunked(buf: Buffer): { payload: Buffer; length: number } | null {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const eol = buf.indexOf('\r\n', at);
    if (eol === -1) return null;
    const sizeLine = buf.toString('latin1', at, eol);
    if (!/^[0-9a-fA-F]+$/.test(sizeLine)) throw new Error(`bad chunk size line ${JSON.stringify(sizeLine.slice(0, 40))}`);
    const size = parseInt(sizeLine, 16);
    at = eol + 2;
    if (size === 0) {
      if (buf.length < at + 2) return null;
      if (buf.toString('latin1', at, at + 2) !== '\r\n') throw new Error('bytes after the last chunk');
      return { payload: Buffer.concat(parts), length: at + 2 };
    }
    if (buf.length < at + size + 2) return null;
    parts.push(buf.subarray(at, at + size));
    if (buf.toString('latin1', at + size, at + size + 2) !== '\r\n') throw new Error(`chunk of ${size} bytes not followed by CRLF`);
    at += size + 2;
  }
}

/** A handler that records everything the pool tells it, in order. */
class Recorder implements UpstreamHandler {
  readonly events: string[] = [];
  readonly chunks: Buffer[] = [];
  status: number | null = null;
  headers: string[] = [];
  statusText = '';
  completed = false;
  error: (Error & { code?: string }) | null = null;
  abort: ((err?: Error) => void) | null = null;
  resume: (() => void) | null = null;
  readonly settled: Promise<Recorder>;
  private settle: () => void = () => undefined;

  /** `dataResult` decides what onData returns (false: backpressure). */
  constructor(private readonly dataResult: (r: Recorder) => boolean = () => true) {
    this.settled = new Promise((resolve) => (this.settle = () => resolve(this)));
  }

  onConnect(abort: (err?: Error) => void): void {
    this.events.push('connect');
    this.abort = abort;
  }
  onHeaders(statusCode: number, headers: string[], resume: () => void, statusText: string): void {
    this.events.push('headers');
    this.status = statusCode;
    this.headers = headers;
    this.resume = resume;
    this.statusText = statusText;
  }
  onData(chunk: Buffer): boolean {
    this.events.push('data');
    this.chunks.push(Buffer.from(chunk));
    return this.dataResult(this);
  }
  onComplete(): void {
    this.events.push('complete');
    this.completed = true;
    this.settle();
  }
  onError(err: Error & { code?: string }): void {
    this.events.push('error');
    this.error = err;
    this.settle();
  }

  get body(): Buffer {
    return Buffer.concat(this.chunks);
  }
  /** The event order with runs of 'data' collapsed: how many chunks is the transport's business. */
  get shape(): string[] {
    return this.events.filter((e, i) => !(e === 'data' && this.events[i - 1] === 'data'));
  }
}

const OK = 'HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok';

let upstreams: FakeUpstream[] = [];
let pools: UpstreamPool[] = [];

afterEach(async () => {
  await Promise.all(pools.map((p) => p.destroy()));
  await Promise.all(upstreams.map((u) => u.close()));
  pools = [];
  upstreams = [];
});

async function setup(options: Partial<UpstreamPoolOptions> = {}): Promise<{ upstream: FakeUpstream; pool: UpstreamPool }> {
  const upstream = new FakeUpstream();
  await upstream.listen();
  upstreams.push(upstream);
  const pool = new UpstreamPool({ port: upstream.port, connections: 4, keepAliveTimeoutMs: 10_000, headersTimeoutMs: 10_000, ...options });
  pools.push(pool);
  return { upstream, pool };
}

function request(upstream: FakeUpstream, overrides: Partial<UpstreamRequest> = {}): UpstreamRequest {
  return { path: '/', method: 'GET', headers: ['host', `127.0.0.1:${upstream.port}`], body: null, ...overrides };
}

function send(pool: UpstreamPool, req: UpstreamRequest, recorder = new Recorder()): Promise<Recorder> {
  pool.dispatch(req, recorder);
  return recorder.settled;
}

/** Writes `text` one byte per TCP write, each after the previous one left, so every read is split. */
function dribble(text: string): Reply {
  return (socket) =>
    void (async () => {
      for (const byte of Buffer.from(text, 'latin1')) {
        if (socket.destroyed) return;
        await new Promise((resolve) => socket.write(Buffer.of(byte), resolve));
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
}

/** The upstream's answer once it is no longer reading: its socket's send queue stops moving. */
async function upstreamBlocked(socket: Socket): Promise<void> {
  let last = -1;
  let stable = 0;
  await waitFor(
    () => {
      const left = socket.writableLength;
      stable = left > 0 && left === last ? stable + 1 : 0;
      last = left;
      return stable >= 4;
    },
    15_000,
    'the upstream to be blocked by the paused reader',
  );
}

const ANSWER =
  'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nX-Multi: a\r\nX-Multi: b\r\nX-Pad:   padded  \r\nContent-Length: 11\r\n\r\nhello world';
const ANSWER_HEADERS = ['Content-Type', 'text/plain', 'X-Multi', 'a', 'X-Multi', 'b', 'X-Pad', 'padded', 'Content-Length', '11'];

function hasField(headers: string[], lower: string): boolean {
  return headers.some((h, i) => i % 2 === 0 && h.toLowerCase() === lower);
}

describe('UpstreamPool answers', () => {
  it('delivers a content-length answer exactly and reuses the connection for the next request', async () => {
    const { upstream, pool } = await setup();
    upstream.replies.push(ANSWER, ANSWER);
    for (const path of ['/one', '/two']) {
      const r = await send(pool, request(upstream, { path }));
      expect(r.shape).toEqual(['connect', 'headers', 'data', 'complete']);
      expect(r.status).toBe(200);
      expect(r.statusText).toBe('OK');
      expect(r.headers).toEqual(ANSWER_HEADERS);
      expect(r.body.toString()).toBe('hello world');
    }
    expect(upstream.connections).toHaveLength(1);
    expect(upstream.connections[0]?.requests).toHaveLength(2);
    expect(pool.stats).toEqual({ open: 1, idle: 1, queued: 0 });
  });

  it('reads the same answer when it arrives one byte at a time', async () => {
    const { upstream, pool } = await setup();
    upstream.replies.push(dribble(ANSWER), dribble(ANSWER));
    for (let i = 0; i < 2; i++) {
      const r = await send(pool, request(upstream));
      expect(r.error).toBeNull();
      expect(r.status).toBe(200);
      expect(r.statusText).toBe('OK');
      expect(r.headers).toEqual(ANSWER_HEADERS);
      expect(r.body.toString()).toBe('hello world');
    }
    expect(upstream.connections).toHaveLength(1);
  });

  it('decodes a chunked answer with chunk extensions and trailers, then reuses the connection', async () => {
    const { upstream, pool } = await setup();
    upstream.replies.push(
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n6\r\n world\r\nA\r\n0123456789\r\n0\r\nX-Trailer: t\r\n\r\n',
      OK,
    );
    const r = await send(pool, request(upstream));
    expect(r.shape).toEqual(['connect', 'headers', 'data', 'complete']);
    expect(r.body.toString()).toBe('hello world0123456789');
    const next = await send(pool, request(upstream));
    expect(next.body.toString()).toBe('ok');
    expect(upstream.connections).toHaveLength(1);
  });

  it('skips 100 Continue and 103 Early Hints and reports only the final head', async () => {
    const { upstream, pool } = await setup();
    upstream.replies.push(
      'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok',
    );
    const r = await send(pool, request(upstream));
    expect(r.events.filter((e) => e === 'headers')).toHaveLength(1);
    expect(r.status).toBe(200);
    expect(r.headers).toEqual(['Content-Length', '2']);
    expect(r.body.toString()).toBe('ok');
    expect(r.completed).toBe(true);
  });

  it('completes a HEAD answer at its head although it announces a length, and reuses the connection', async () => {
    const { upstream, pool } = await setup();
    upstream.replies.push('HTTP/1.1 200 OK\r\ncontent-length: 10\r\n\r\n', OK);
    const head = await send(pool, request(upstream, { method: 'HEAD' }));
    expect(head.shape).toEqual(['connect', 'headers', 'complete']);
    expect(head.headers).toEqual(['content-length', '10']);
    // Had the pool waited for 10 body bytes, this answer would be eaten as that body.
    const next = await send(pool, request(upstream));
    expect(next.body.toString()).toBe('ok');
    expect(upstream.connections).toHaveLength(1);
  });

  it('completes 204 and 304 answers without a body and reuses the connection', async () => {
    const { upstream, pool } = await setup();
    upstream.replies.push('HTTP/1.1 204 No Content\r\n\r\n', 'HTTP/1.1 304 Not Modified\r\nETag: "x"\r\nContent-Length: 5\r\n\r\n', OK);
    const noContent = await send(pool, request(upstream));
    expect(noContent.status).toBe(204);
    expect(noContent.shape).toEqual(['connect', 'headers', 'complete']);
    const notModified = await send(pool, request(upstream));
    expect(notModified.status).toBe(304);
    expect(notModified.shape).toEqual(['connect', 'headers', 'complete']);
    const next = await send(pool, request(upstream));
    expect(next.body.toString()).toBe('ok');
    expect(upstream.connections).toHaveLength(1);
  });

  it('ends a close-delimited body at the end of the connection and opens a new one next', async () => {
    const { upstream, pool } = await setup();
    upstream.replies.push((socket) => socket.end('HTTP/1.1 200 OK\r\n\r\nhello world'), OK);
    const r = await send(pool, request(upstream));
    expect(r.shape).toEqual(['connect', 'headers', 'data', 'complete']);
    expect(r.body.toString()).toBe('hello world');
    const next = await send(pool, request(upstream));
    expect(next.body.toString()).toBe('ok');
    expect(upstream.connections).toHaveLength(2);
  });

  it.each([
    ['said connection: close', 'HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nhi'],
    ['was HTTP/1.0', 'HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nhi'],
  ])('does not reuse a connection whose answer %s', async (_name, answer) => {
    const { upstream, pool } = await setup();
    // The upstream keeps its socket open: only the answer tells the pool not to reuse it.
    upstream.replies.push(answer, OK);
    const r = await send(pool, request(upstream));
    expect(r.body.toString()).toBe('hi');
    const next = await send(pool, request(upstream));
    expect(next.body.toString()).toBe('ok');
    expect(upstream.connections).toHaveLength(2);
    await waitFor(() => upstream.connections[0]?.closed, 5_000, 'the pool to close the connection: close socket');
  });

  it.each([
    ['a bad status line', 'HTTP/1.1 2x0 OK\r\ncontent-length: 0\r\n\r\n'],
    ['a header line without a colon', 'HTTP/1.1 200 OK\r\nbogus header\r\ncontent-length: 0\r\n\r\n'],
    ['an obs-fold continuation line', 'HTTP/1.1 200 OK\r\nx-a: 1\r\n more: folded\r\ncontent-length: 0\r\n\r\n'],
    ['a NUL in a header value', 'HTTP/1.1 200 OK\r\nx-a: a\0b\r\ncontent-length: 0\r\n\r\n'],
    ['a bare CR in a header value', 'HTTP/1.1 200 OK\r\nx-a: a\rb\r\ncontent-length: 0\r\n\r\n'],
    ['a head larger than maxHeadBytes', `HTTP/1.1 200 OK\r\nx-big: ${'a'.repeat(5_000)}\r\ncontent-length: 0\r\n\r\n`],
    ['an unfinished head already larger than maxHeadBytes', `HTTP/1.1 200 OK\r\nx-big: ${'a'.repeat(5_000)}`],
    ['two different content-length values', 'HTTP/1.1 200 OK\r\ncontent-length: 3\r\ncontent-length: 4\r\n\r\nabcd'],
  ])('fails an answer with %s as UPSTREAM_MALFORMED and uses a fresh connection next', async (_name, answer) => {
    // A long headers timeout: the error must come from reading the answer, not from waiting.
    const { upstream, pool } = await setup({ maxHeadBytes: 4_096, headersTimeoutMs: 20_000 });
    upstream.replies.push(answer, OK);
    const bad = await send(pool, request(upstream));
    expect(bad.error?.code).toBe('UPSTREAM_MALFORMED');
    expect(bad.completed).toBe(false);
    await waitFor(() => upstream.connections[0]?.closed, 5_000, 'the pool to drop the confused connection');
    const next = await send(pool, request(upstream));
    expect(next.body.toString()).toBe('ok');
    expect(upstream.connections).toHaveLength(2);
  });

  it('lets chunked win over content-length, drops the length, and does not reuse the connection', async () => {
    const { upstream, pool } = await setup();
    upstream.replies.push('HTTP/1.1 200 OK\r\nContent-Length: 100\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n', OK);
    const r = await send(pool, request(upstream));
    expect(r.completed).toBe(true);
    expect(r.body.toString()).toBe('hello');
    expect(hasField(r.headers, 'content-length')).toBe(false);
    expect(hasField(r.headers, 'transfer-encoding')).toBe(true);
    const next = await send(pool, request(upstream));
    expect(next.body.toString()).toBe('ok');
    expect(upstream.connections).toHaveLength(2);
  });

  it('completes an answer followed by extra bytes, then never reuses that connection', async () => {
    const { upstream, pool } = await setup();
    upstream.replies.push('HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nokEXTRA', OK);
    const r = await send(pool, request(upstream));
    expect(r.shape).toEqual(['connect', 'headers', 'data', 'complete']);
    expect(r.body.toString()).toBe('ok');
    const next = await send(pool, request(upstream));
    expect(next.body.toString()).toBe('ok');
    expect(upstream.connections).toHaveLength(2);
  });
});

describe('UpstreamPool requests', () => {
  it('sends a body with its content-length as exactly those bytes', async () => {
    const { upstream, pool } = await setup();
    upstream.replies.push(OK);
    // Large enough that the socket pushes back while the body is written.
    const payload = randomBytes(300_000);
    const pieces = [payload.subarray(0, 10), payload.subarray(10, 200_000), payload.subarray(200_000)];
    const headers = ['host', `127.0.0.1:${upstream.port}`, 'content-length', String(payload.length)];
    const r = await send(pool, request(upstream, { method: 'POST', headers, body: Readable.from(pieces) }));
    expect(r.completed).toBe(true);
    const seen = upstream.connections[0] as UpstreamConnection;
    const got = seen.requests[0] as SeenRequest;
    expect(got.head).toBe(`POST / HTTP/1.1\r\nhost: 127.0.0.1:${upstream.port}\r\ncontent-length: ${payload.length}\r\n\r\n`);
    expect(got.body.equals(payload)).toBe(true);
    expect(seen.raw.length).toBe(got.head.length + payload.length);
  });

  it('frames a body without a length as valid chunked encoding of exactly its bytes', async () => {
    const { upstream, pool } = await setup();
    upstream.replies.push(OK);
    // An empty piece must not end the body early; a big piece makes the socket push back.
    const pieces = [Buffer.from('abc'), Buffer.alloc(0), randomBytes(100_000), Buffer.from('xyz')];
    const r = await send(pool, request(upstream, { method: 'POST', body: Readable.from(pieces) }));
    expect(r.completed).toBe(true);
    const got = upstream.requests[0] as SeenRequest;
    expect(got.head).toBe(`POST / HTTP/1.1\r\nhost: 127.0.0.1:${upstream.port}\r\ntransfer-encoding: chunked\r\n\r\n`);
    const decoded = decodeChunked(got.body);
    expect(decoded?.payload.equals(Buffer.concat(pieces))).toBe(true);
    expect(decoded?.length).toBe(got.body.length);
    expect(got.body.subarray(-5).toString()).toBe('0\r\n\r\n');
  });

  it('writes the request head byte for byte: method, path, every header in order, CRLF', async () => {
    const { upstream, pool } = await setup();
    upstream.replies.push(OK);
    const host = `127.0.0.1:${upstream.port}`;
    // Duplicate names stay separate and in place; a latin1 value keeps its single byte.
    const headers = ['host', host, 'x-a', '1', 'accept', '*/*', 'x-a', '2', 'x-empty', '', 'x-latin', 'caf\u00e9'];
    await send(pool, request(upstream, { method: 'DELETE', path: '/v1/x?a=1&b=%20', headers }));
    const expected = Buffer.concat([
      Buffer.from(`DELETE /v1/x?a=1&b=%20 HTTP/1.1\r\nhost: ${host}\r\nx-a: 1\r\naccept: */*\r\nx-a: 2\r\nx-empty: \r\nx-latin: caf`),
      Buffer.of(0xe9),
      Buffer.from('\r\n\r\n'),
    ]);
    expect(upstream.connections[0]?.raw.toString('latin1')).toBe(expected.toString('latin1'));
  });

  it('refuses a request that could split the head, sending nothing', async () => {
    const { upstream, pool } = await setup();
    const host = ['host', `127.0.0.1:${upstream.port}`];
    const unsafe: UpstreamRequest[] = [
      request(upstream, { headers: [...host, 'x-a', 'a\r\nx-injected: 1'] }),
      request(upstream, { headers: [...host, 'x-a\n', 'a'] }),
      request(upstream, { headers: [...host, 'x-a', 'a\0b'] }),
      request(upstream, { path: '/x HTTP/1.1\r\nx-injected: 1\r\n\r\nGET /evil' }),
    ];
    for (const req of unsafe) {
      const r = new Recorder();
      expect(() => pool.dispatch(req, r)).toThrow();
      expect(r.events).toEqual([]);
    }
    upstream.replies.push(OK);
    const fine = await send(pool, request(upstream, { path: '/fine' }));
    expect(fine.body.toString()).toBe('ok');
    // The only bytes the upstream ever received are the valid request's.
    expect(upstream.connections).toHaveLength(1);
    expect(upstream.connections[0]?.raw.toString('latin1')).toBe(`GET /fine HTTP/1.1\r\nhost: 127.0.0.1:${upstream.port}\r\n\r\n`);
  });
});

describe('UpstreamPool connections', () => {
  it('notices an idle connection the upstream closed and serves the next request on a new one', async () => {
    const { upstream, pool } = await setup();
    upstream.replies.push(OK, OK);
    await send(pool, request(upstream));
    upstream.connections[0]?.socket.end();
    // The server's socket closes fully only once the pool has closed its side too.
    await waitFor(() => upstream.connections[0]?.closed, 5_000, 'the pool to close the ended idle socket');
    await waitFor(() => pool.stats.open === 0, 5_000, 'the pool to forget the closed socket');
    const next = await send(pool, request(upstream));
    expect(next.error).toBeNull();
    expect(next.body.toString()).toBe('ok');
    expect(upstream.connections).toHaveLength(2);
  });

  it('retries a GET once on a fresh connection when the reused one closes without answering', async () => {
    const { upstream, pool } = await setup();
    upstream.replies.push(OK, (socket) => socket.end(), OK);
    await send(pool, request(upstream));
    const r = await send(pool, request(upstream, { path: '/again' }));
    expect(r.error).toBeNull();
    expect(r.body.toString()).toBe('ok');
    expect(upstream.connections).toHaveLength(2);
    expect(upstream.connections[0]?.requests.map((q) => q.head.split('\r\n')[0])).toEqual(['GET / HTTP/1.1', 'GET /again HTTP/1.1']);
    expect(upstream.connections[1]?.requests.map((q) => q.head.split('\r\n')[0])).toEqual(['GET /again HTTP/1.1']);
  });

  it('does not retry a POST with a body when the reused connection closes without answering', async () => {
    const { upstream, pool } = await setup();
    upstream.replies.push(OK, (socket) => socket.end());
    // Would a retry happen anyway, it would be answered: the POST must still fail.
    upstream.fallback = OK;
    await send(pool, request(upstream));
    const headers = ['host', `127.0.0.1:${upstream.port}`, 'content-length', '7'];
    const post = await send(pool, request(upstream, { method: 'POST', headers, body: Readable.from([Buffer.from('payload')]) }));
    expect(post.error?.code).toBe('UPSTREAM_CLOSED');
    expect(post.completed).toBe(false);
    // A later request settles any retry that might still be under way before counting.
    const after = await send(pool, request(upstream, { path: '/after' }));
    expect(after.body.toString()).toBe('ok');
    expect(upstream.requests.filter((q) => q.head.startsWith('POST '))).toHaveLength(1);
  });

  it('closes idle connections after keepAliveTimeoutMs', async () => {
    const { upstream, pool } = await setup({ keepAliveTimeoutMs: 200 });
    upstream.replies.push(OK);
    await send(pool, request(upstream));
    await waitFor(() => upstream.connections[0]?.closed, 5_000, 'the idle socket to be closed');
    await waitFor(() => pool.stats.open === 0, 5_000, 'the pool to count it gone');
  });

  it("gives up an idle socket before the upstream's own Keep-Alive timeout, however long its own is", async () => {
    const { upstream, pool } = await setup({ keepAliveTimeoutMs: 60_000 });
    upstream.replies.push('HTTP/1.1 200 OK\r\ncontent-length: 2\r\nkeep-alive: timeout=1\r\n\r\nok');
    await send(pool, request(upstream));
    // The upstream never closes it here: the pool does, a second before the upstream would.
    await waitFor(() => upstream.connections[0]?.closed, 5_000, 'the pool to close the idle socket');
    await waitFor(() => pool.stats.open === 0, 5_000, 'the pool to count it gone');
  });

  it('opens at most `connections` sockets and queues the rest until all complete', async () => {
    const { upstream, pool } = await setup({ connections: 2 });
    upstream.fallback = (socket) => setTimeout(() => socket.write(OK), 50);
    const recorders = [0, 1, 2, 3, 4].map(() => new Recorder());
    recorders.forEach((r, i) => pool.dispatch(request(upstream, { path: `/${i}` }), r));
    expect(pool.stats.queued).toBe(3);
    const done = await Promise.all(recorders.map((r) => r.settled));
    expect(done.map((r) => r.body.toString())).toEqual(['ok', 'ok', 'ok', 'ok', 'ok']);
    expect(upstream.maxOpen).toBeLessThanOrEqual(2);
    expect(upstream.connections).toHaveLength(2);
    expect(upstream.requests.map((q) => q.head.split(' ')[1]).sort()).toEqual(['/0', '/1', '/2', '/3', '/4']);
  });

  it('reports ECONNREFUSED when nothing listens on the port', async () => {
    const port = await freePort();
    const pool = new UpstreamPool({ port, connections: 1, keepAliveTimeoutMs: 1_000, headersTimeoutMs: 1_000 });
    pools.push(pool);
    const r = new Recorder();
    pool.dispatch({ path: '/', method: 'GET', headers: ['host', `127.0.0.1:${port}`], body: null }, r);
    await r.settled;
    expect(r.error?.code).toBe('ECONNREFUSED');
    expect(r.shape).toEqual(['connect', 'error']);
    await waitFor(() => pool.stats.open === 0, 5_000, 'the failed socket to be forgotten');
  });
});

describe('UpstreamPool flow control and failure', () => {
  it('stops delivering body bytes while the handler pushes back, then delivers all of them', async () => {
    const { upstream, pool } = await setup();
    // Bigger than what the kernel buffers on loopback, so the upstream must block.
    const payload = randomBytes(16 * 1024 * 1024);
    const answering: { socket?: Socket } = {};
    upstream.replies.push((socket) => {
      answering.socket = socket;
      socket.write(`HTTP/1.1 200 OK\r\ncontent-length: ${payload.length}\r\n\r\n`);
      socket.write(payload);
    });
    let pushBack = true;
    const r = new Recorder(() => !pushBack);
    pool.dispatch(request(upstream), r);
    await waitFor(() => r.chunks.length > 0, 10_000, 'the first body chunk');
    await upstreamBlocked(answering.socket as Socket);
    expect(r.chunks).toHaveLength(1);
    expect(r.completed).toBe(false);
    pushBack = false;
    r.resume?.();
    await r.settled;
    expect(r.completed).toBe(true);
    expect(r.body.length).toBe(payload.length);
    expect(r.body.equals(payload)).toBe(true);
  });

  it('stops reading a chunked answer while the handler pushes back, then delivers all of it', async () => {
    const { upstream, pool } = await setup();
    // Many small chunks, as a token stream sends them.
    const payload = randomBytes(16 * 1024 * 1024);
    const framed: Buffer[] = [];
    for (let at = 0; at < payload.length; at += 4_096) {
      const piece = payload.subarray(at, at + 4_096);
      framed.push(Buffer.from(`${piece.length.toString(16)}\r\n`), piece, Buffer.from('\r\n'));
    }
    framed.push(Buffer.from('0\r\n\r\n'));
    const answering: { socket?: Socket } = {};
    upstream.replies.push((socket) => {
      answering.socket = socket;
      socket.write('HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n');
      socket.write(Buffer.concat(framed));
    });
    let pushBack = true;
    const r = new Recorder(() => !pushBack);
    pool.dispatch(request(upstream), r);
    await waitFor(() => r.chunks.length > 0, 10_000, 'the first body chunk');
    await upstreamBlocked(answering.socket as Socket);
    // What was already read from the socket may still be handed over; nothing beyond that.
    expect(r.body.length).toBeLessThan(256 * 1024);
    pushBack = false;
    r.resume?.();
    await r.settled;
    expect(r.completed).toBe(true);
    expect(r.body.equals(payload)).toBe(true);
  });

  it('abort() mid-answer closes the upstream socket and never completes', async () => {
    const { upstream, pool } = await setup();
    upstream.replies.push('HTTP/1.1 200 OK\r\ncontent-length: 1000\r\n\r\nfirst');
    const r = new Recorder();
    pool.dispatch(request(upstream), r);
    await waitFor(() => r.chunks.length > 0, 5_000, 'the first body bytes');
    r.abort?.(new Error('client left'));
    await waitFor(() => upstream.connections[0]?.closed, 5_000, 'the upstream to see its socket closed');
    await r.settled;
    expect(r.completed).toBe(false);
    expect(r.error?.message).toBe('client left');
    await waitFor(() => pool.stats.open === 0, 5_000, 'the aborted socket to be forgotten');
  });

  it('a stale abort() from a finished exchange leaves the next exchange on that connection alone', async () => {
    // The gateway aborts when its client leaves, which can be after the upstream answer completed.
    const { upstream, pool } = await setup();
    const answering: { socket?: Socket } = {};
    upstream.replies.push(OK, (socket) => {
      answering.socket = socket;
      socket.write('HTTP/1.1 200 OK\r\ncontent-length: 4\r\n\r\nab');
    });
    const first = await send(pool, request(upstream));
    const second = new Recorder();
    pool.dispatch(request(upstream), second);
    await waitFor(() => second.chunks.length > 0, 5_000, 'the second answer to start');
    first.abort?.(new Error('first client left late'));
    answering.socket?.write('cd');
    await second.settled;
    expect(second.error).toBeNull();
    expect(second.body.toString()).toBe('abcd');
  });

  it('fails with UPSTREAM_HEADERS_TIMEOUT when the upstream never answers, closing the socket', async () => {
    const { upstream, pool } = await setup({ headersTimeoutMs: 300 });
    const r = await send(pool, request(upstream));
    expect(r.error?.code).toBe('UPSTREAM_HEADERS_TIMEOUT');
    expect(r.shape).toEqual(['connect', 'error']);
    expect(upstream.requests).toHaveLength(1);
    await waitFor(() => upstream.connections[0]?.closed, 5_000, 'the timed-out socket to be closed');
  });

  it('destroy() during an exchange closes the socket, fails the exchange and leaves nothing open', async () => {
    const { upstream, pool } = await setup();
    upstream.replies.push('HTTP/1.1 200 OK\r\ncontent-length: 1000\r\n\r\nfirst');
    const r = new Recorder();
    pool.dispatch(request(upstream), r);
    await waitFor(() => r.chunks.length > 0, 5_000, 'the first body bytes');
    await pool.destroy();
    await waitFor(() => upstream.connections[0]?.closed, 5_000, 'the upstream to see its socket closed');
    await waitFor(() => pool.stats.open === 0, 5_000, 'no open sockets');
    await r.settled;
    expect(r.completed).toBe(false);
    expect(r.error).not.toBeNull();
  });

  it('close() lets the running exchange finish and settles the queued one', async () => {
    const { upstream, pool } = await setup({ connections: 1 });
    const answering: { socket?: Socket } = {};
    upstream.replies.push((socket) => {
      answering.socket = socket;
      socket.write('HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\nhel');
    });
    upstream.fallback = OK;
    const first = new Recorder();
    const queued = new Recorder();
    pool.dispatch(request(upstream), first);
    pool.dispatch(request(upstream, { path: '/queued' }), queued);
    await waitFor(() => first.chunks.length > 0, 5_000, 'the first answer to start');
    const closed = pool.close();
    answering.socket?.write('lo');
    await first.settled;
    expect(first.body.toString()).toBe('hello');
    // The queued request either runs or fails; it must not hang its client forever.
    await waitFor(() => queued.completed || queued.error !== null, 5_000, 'the queued request to settle');
    await closed;
  });
});

describe('upstream pool: one reused read buffer per socket', () => {
  /** Keeps the chunks as given (no copy), as a response queued on a slow client does. */
  class Keeper extends Recorder {
    readonly kept: Buffer[] = [];
    constructor(private readonly says: boolean) {
      super();
    }
    override onData(chunk: Buffer): boolean {
      this.kept.push(chunk);
      return super.onData(chunk);
    }
    retained(): boolean {
      return this.says;
    }
  }

  /** 1 MB in 16 writes, each after the previous one has been read: many separate reads. */
  const slowBody = (body: Buffer) => (socket: Socket): void => {
    socket.write(`HTTP/1.1 200 OK\r\ncontent-length: ${body.length}\r\n\r\n`);
    let at = 0;
    const next = (): void => {
      if (at >= body.length) return;
      socket.write(body.subarray(at, at + 65_536));
      at += 65_536;
      setTimeout(next, 2);
    };
    next();
  };

  it('gives the next read a fresh buffer while an exchange still holds the last one, so held bytes stay intact', async () => {
    const { upstream, pool } = await setup({ reuseReadBuffer: true });
    const body = randomBytes(1024 * 1024);
    upstream.replies.push(slowBody(body));
    const keeper = (await send(pool, request(upstream), new Keeper(true))) as Keeper;
    expect(keeper.completed).toBe(true);
    expect(Buffer.concat(keeper.kept).equals(body)).toBe(true);
    expect(new Set(keeper.kept.map((c) => c.buffer)).size).toBe(keeper.kept.length);
  });

  it('reads into the same buffer again once the exchange says it keeps nothing', async () => {
    const { upstream, pool } = await setup({ reuseReadBuffer: true });
    const body = randomBytes(1024 * 1024);
    upstream.replies.push(slowBody(body));
    const keeper = (await send(pool, request(upstream), new Keeper(false))) as Keeper;
    // The copies the recorder made as each chunk came are whole; the chunks themselves share one buffer.
    expect(keeper.body.equals(body)).toBe(true);
    expect(keeper.kept.length).toBeGreaterThan(2);
    expect(new Set(keeper.kept.map((c) => c.buffer)).size).toBe(1);
  });

  it('treats a handler that cannot say as one that keeps: never reuses under it', async () => {
    const { upstream, pool } = await setup({ reuseReadBuffer: true });
    const body = randomBytes(256 * 1024);
    upstream.replies.push(slowBody(body));
    const kept: Buffer[] = [];
    const plain = new Recorder();
    const onData = plain.onData.bind(plain);
    plain.onData = (chunk: Buffer): boolean => {
      kept.push(chunk);
      return onData(chunk);
    };
    await send(pool, request(upstream), plain);
    expect(Buffer.concat(kept).equals(body)).toBe(true);
  });
});
