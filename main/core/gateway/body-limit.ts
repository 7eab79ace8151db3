import { Transform, type TransformCallback } from 'node:stream';

export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`request body larger than ${limit} bytes`);
    this.name = 'BodyTooLargeError';
  }
}

/**
 * Counts a request body as it streams to the upstream and fails the moment it passes the
 * limit, so a 10 MB chunked body against a 1 MB limit is never held in memory: at most one
 * chunk past the limit is seen before the request is cut.
 */
export class BodyLimit extends Transform {
  bytes = 0;
  exceeded = false;

  constructor(private readonly limit: number) {
    super();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.limit) {
      this.exceeded = true;
      done(new BodyTooLargeError(this.limit));
      return;
    }
    done(null, chunk);
  }
}
