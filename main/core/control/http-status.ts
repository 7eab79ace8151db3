import type { ErrorCode } from '../contract/errors.js';

export const statusForError: Record<ErrorCode, number> = {
  invalid_args: 400,
  unknown_method: 404,
  not_found: 404,
  conflict: 409,
  failed: 422,
  unavailable: 503,
  forbidden: 403,
  internal: 500,
};
