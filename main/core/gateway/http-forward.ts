import { BodyLimit } from './body-limit.js';
import { downstreamRawHeaders } from './forward-headers.js';
import type { GatewayRequest, GatewayResponse } from './http1/types.js';
import { reject, sendRejection, type Rejection } from './rejection.js';
import type { UpstreamHandler, UpstreamPool } from './upstream-pool.js';

export interface ForwardResult {
  status: number;
  bytesIn: number;
  bytesOut: number;
  /** Set when the gateway, not the upstream, answered or the exchange broke off. */
  reason?: string;
}

const refused = (code: string | undefined): boolean => code === 'ECONNREFUSED' || code === 'ECONNRESET' || code === 'EHOSTUNREACH';

/**
 * Streams one request to the loopback upstream and its answer back, both ways with
 * backpressure: the upstream's chunks are written as they arrive (an SSE stream stays a
 * stream), and while the client reads slowly the upstream is paused. Nothing is buffered whole
 * and nothing is compressed.
 */
export function forwardHttp(
  pool: UpstreamPool,
  req: GatewayRequest,
  res: GatewayResponse,
  path: string,
  headers: string[],
  maxBodyBytes: number,
  upstreamName: string,
  done: (result: ForwardResult) => void,
): void {
  const body = req.body;
  const limit = body ? new BodyLimit(maxBodyBytes) : null;
  const exchange = new Exchange(req, res, limit, maxBodyBytes, upstreamName, done);
  if (body && limit) {
    // The request passed every check: a client waiting to be invited may send its body now.
    if (req.headers.expect?.toLowerCase() === '100-continue') res.writeContinue();
    body.pipe(limit);
    // A body past the limit: stop reading it (TCP pushes back on the sender) and answer 413.
    limit.once('error', () => body.unpipe(limit));
  }
  try {
    pool.dispatch({ path, method: req.method, headers, body: limit }, exchange);
  } catch {
    // A header that could split the request (a control character in an added value) is
    // refused before anything is sent: never a crash.
    exchange.answer({ status: 400, error: 'bad_request', message: 'this request cannot be forwarded' }, 'unforwardable request');
  }
}

/**
 * One exchange, as the upstream pool reports it (the raw header list is filtered straight
 * into writeHead). A class rather than a handful of closures: on the hot
 * path every request would otherwise allocate each of them, and the response gets a single
 * 'close' listener — which Node emits after a completed response too — instead of several.
 */
class Exchange implements UpstreamHandler {
  private abortUpstream: ((err: Error) => void) | null = null;
  private resumeUpstream: (() => void) | null = null;
  private draining = false;
  private expected: number | null = null;
  private ended = false;
  private bytesOut = 0;
  private status = 0;
  private finished = false;
  private clientGone = false;
  /** The upstream's answer is complete; the record waits for the response to close. */
  private complete = false;
  private resClosed = false;

  constructor(
    private readonly req: GatewayRequest,
    private readonly res: GatewayResponse,
    private readonly limit: BodyLimit | null,
    private readonly maxBodyBytes: number,
    private readonly upstreamName: string,
    private readonly done: (result: ForwardResult) => void,
  ) {
    res.once('close', () => this.onResClose());
  }

  private onResClose(): void {
    this.resClosed = true;
    if (this.res.writableFinished) {
      // Everything was handed to the client; recorded once the upstream has finished too.
      if (this.complete) this.finish();
      return;
    }
    // The client left (or lock down destroyed its socket) mid-exchange: stop the upstream too.
    this.clientGone = true;
    this.abortUpstream?.(new Error('client closed the connection'));
    this.finish('client closed the connection');
  }

  private finish(reason?: string): void {
    if (this.finished) return;
    this.finished = true;
    this.done({ status: this.status, bytesIn: this.limit?.bytes ?? 0, bytesOut: this.bytesOut, reason });
  }

  answer(r: Rejection, reason: string): void {
    const res = this.res;
    this.status = r.status;
    if (!res.headersSent && !res.destroyed) {
      this.bytesOut = sendRejection(res, r);
      if (r.close) res.once('finish', () => this.req.socket.destroy());
    } else {
      res.destroy();
    }
    this.finish(reason);
  }

  onConnect(abort: (err?: Error) => void): void {
    if (this.clientGone) abort(new Error('client closed the connection'));
    else this.abortUpstream = abort;
  }

  onHeaders(statusCode: number, raw: string[], resume: () => void, statusText: string): void {
    this.status = statusCode;
    const { headers: out, length } = downstreamRawHeaders(raw);
    this.expected = length;
    this.res.writeHead(statusCode, statusText || undefined, out);
    // A response without a length is a stream (SSE, chunked tokens): its headers go now,
    // not with the first chunk, so the client sees the stream open at once.
    if (length === null) this.res.flushHeaders();
    this.resumeUpstream = resume;
  }

  onData(chunk: Buffer): boolean {
    this.bytesOut += chunk.length;
    // The last chunk of a body of known length ends the response in the same write.
    if (this.bytesOut === this.expected) {
      this.ended = true;
      this.res.end(chunk);
      return true;
    }
    if (this.res.write(chunk)) return true;
    // false pauses the upstream until the client has drained what it was sent.
    if (!this.draining) {
      this.draining = true;
      this.res.on('drain', () => this.resumeUpstream?.());
    }
    return false;
  }

  retained(): boolean {
    const res = this.res;
    return res.holdsCallerBytes ? res.holdsCallerBytes() : res.writableLength > 0;
  }

  onComplete(): void {
    this.complete = true;
    if (!this.ended) this.res.end();
    if (this.resClosed) this.finish();
  }

  onError(err: Error): void {
    if (this.clientGone) return;
    if (this.limit?.exceeded) {
      this.answer(reject.tooLarge(`the request body is larger than the limit of ${this.maxBodyBytes} bytes`), 'body too large');
      return;
    }
    const code = (err as NodeJS.ErrnoException).code;
    if (this.res.headersSent) {
      this.res.destroy();
      this.finish(`upstream broke off: ${code ?? err.message}`);
      return;
    }
    this.answer(
      reject.badGateway(
        refused(code)
          ? `${this.upstreamName} refused the connection: it may still be starting, or it does not listen on its port`
          : `${this.upstreamName} did not answer properly`,
      ),
      `upstream error: ${code ?? err.name}`,
    );
  }
}
