/**
 * The error vocabulary every face understands. Codes are stable (scripts and the UI branch on
 * them); messages are for people and must name what was wrong and what to do.
 */
export const errorCodes = [
  'invalid_args',
  'unknown_method',
  'not_found',
  'conflict',
  'failed',
  'unavailable',
  'forbidden',
  'internal',
] as const;
export type ErrorCode = (typeof errorCodes)[number];

export interface ErrorShape {
  code: ErrorCode;
  message: string;
  /** The argument or setting at fault, as a dotted path, when one is. */
  field?: string;
}

/** What every transport carries back for a call: the renderer unwraps both transports alike. */
export type Envelope<R> = { ok: true; result: R } | { ok: false; error: ErrorShape };
