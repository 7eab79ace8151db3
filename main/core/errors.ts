import type { ZodError } from 'zod';
import type { ErrorCode, ErrorShape } from './contract/errors.js';

export class PortcullisError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'PortcullisError';
  }

  toShape(): ErrorShape {
    return this.field === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, field: this.field };
  }
}

/** The first issue of a zod error, as one sentence that names its field. */
export function fromZod(error: ZodError, prefix = ''): PortcullisError {
  const issue = error.issues[0];
  if (!issue) return new PortcullisError('invalid_args', 'invalid arguments');
  const path = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
  // A bad record key (an env name) hides its reason one level down.
  const text = issue.code === 'invalid_key' ? (issue.issues[0]?.message ?? issue.message) : issue.message;
  // "port must be…" already names a top-level field; deeper paths are always spelled out.
  const message = !path.includes('.') && text.startsWith(path)
    ? text
    : path
      ? `${path}: ${text}`
      : text;
  return new PortcullisError('invalid_args', message, path || undefined);
}

export function toErrorShape(err: unknown): ErrorShape {
  if (err instanceof PortcullisError) return err.toShape();
  // Unexpected errors keep only a generic message: their text may carry paths or values
  // the user never meant to show, and the full error goes to the log instead.
  return { code: 'internal', message: 'internal error: see the Portcullis log for details' };
}
