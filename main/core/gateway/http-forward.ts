import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Dispatcher, Pool } from 'undici';
import { BodyLimit } from './body-limit.js';
import { downstreamRawHeaders } from './forward-headers.js';
import { reject, sendRejection, type Rejection } from './rejection.js';

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
  pool: Pool,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  headers: Record<string, string | string[]>,
  maxBodyBytes: number,
  upstreamName: string,
  done: (result: ForwardResult) => void,
): void {
  // HTTP/1.1: a request has a body only when it says so, with a length or chunked encoding.
  const length = req.headers['content-length'];
  const hasBody = req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
  const limit = hasBody ? new BodyLimit(maxBodyBytes) : null;
  let abortUpstream: ((err: Error) => void) | null = null;
  let resumeUpstream: (() => void) | null = null;
  let expected: number | null = null;
  let ended = false;
  let bytesOut = 0;
  let status = 0;
  let finished = false;
  let clientGone = false;

  const finish = (reason?: string): void => {
    if (finished) return;
    finished = true;
    done({ status, bytesIn: limit?.bytes ?? 0, bytesOut, reason });
  };

  const answer = (r: Rejection, reason: string): void => {
    status = r.status;
    if (!res.headersSent && !res.destroyed) {
      bytesOut = sendRejection(res, r);
      if (r.close) res.once('finish', () => req.socket.destroy());
    } else {
      res.destroy();
    }
    finish(reason);
  };

  res.once('close', () => {
    if (res.writableFinished) return;
    // The client left (or lock down destroyed its socket) mid-exchange: stop the upstream too.
    clientGone = true;
    abortUpstream?.(new Error('client closed the connection'));
    finish('client closed the connection');
  });

  // undici's original handler interface: it hands over the raw header list, which is
  // filtered straight into writeHead without building header objects twice per response.
  const handler: Dispatcher.DispatchHandler = {
    onConnect(abort) {
      if (clientGone) abort(new Error('client closed the connection'));
      else abortUpstream = abort;
    },
    onHeaders(statusCode, raw, resume, statusText) {
      if (statusCode < 200) return true;
      status = statusCode;
      const { headers: out, length } = downstreamRawHeaders(raw);
      expected = length;
      const streaming = length === null;
      res.writeHead(statusCode, statusText || undefined, out);
      // A response without a length is a stream (SSE, chunked tokens): its headers go now,
      // not with the first chunk, so the client sees the stream open at once.
      if (streaming) res.flushHeaders();
      resumeUpstream = resume;
      return true;
    },
    onData(chunk) {
      bytesOut += chunk.length;
      // The last chunk of a body of known length ends the response in the same write.
      if (bytesOut === expected) {
        ended = true;
        res.end(chunk);
        return true;
      }
      // false pauses the upstream until the client has drained what it was sent.
      return res.write(chunk);
    },
    onComplete() {
      if (!ended) res.end();
      res.once('finish', () => finish());
    },
    onError(err) {
      if (clientGone) return;
      if (limit?.exceeded) {
        answer(reject.tooLarge(`the request body is larger than the limit of ${maxBodyBytes} bytes`), 'body too large');
        return;
      }
      const code = (err as NodeJS.ErrnoException).code;
      if (res.headersSent) {
        res.destroy();
        finish(`upstream broke off: ${code ?? err.message}`);
        return;
      }
      answer(
        reject.badGateway(
          refused(code)
            ? `${upstreamName} refused the connection: it may still be starting, or it does not listen on its port`
            : `${upstreamName} did not answer properly`,
        ),
        `upstream error: ${code ?? err.name}`,
      );
    },
  };
  res.on('drain', () => resumeUpstream?.());

  if (limit) {
    req.pipe(limit);
    // A body past the limit: stop reading it (TCP pushes back on the sender) and answer 413.
    limit.once('error', () => req.unpipe(limit));
  }
  try {
    pool.dispatch({ path, method: req.method as Dispatcher.HttpMethod, headers, body: limit }, handler);
  } catch {
    // undici refuses some requests outright (a header it will not send): never a crash.
    answer({ status: 400, error: 'bad_request', message: 'this request cannot be forwarded' }, 'unforwardable request');
  }
}
