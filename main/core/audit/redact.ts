/**
 * Secrets never reach the journal. Parameters pass a whitelist per action, and every string
 * that still looks like a Portcullis token (`pcs_…`) or sits under a secret-sounding key is
 * replaced, because a module may one day hand over more than it should.
 */

const common = ['name', 'label', 'mode', 'address', 'port', 'pid', 'count'] as const;

/**
 * The parameters an action may carry: by exact action first, else by its family (the part
 * before the first dot). Anything not listed is dropped, so a new parameter is kept only
 * once someone decides here that it is not a secret.
 */
const allowed: Record<string, readonly string[]> = {
  server: ['pid', 'pgid', 'code', 'signal', 'attempt', 'delayMs', 'listening', 'lastExit', 'restarts', 'command', 'profile', 'kind', 'keys'],
  exposure: ['mode', 'bind', 'port', 'expiresAt', 'durationMs', 'tokenCreated', 'closed'],
  token: ['id', 'tokenId', 'label', 'fingerprint', 'expires', 'expiresAt', 'shown', 'replaced', 'replacedFingerprint', 'graceUntil', 'what'],
  'upstream-token': ['id', 'env', 'fingerprint'],
  settings: ['key', 'keys'],
  supervisor: ['key', 'keys'],
  'gateway.request': ['method', 'path', 'status', 'bytesIn', 'bytesOut', 'durationMs', 'mode'],
  audit: ['file', 'line', 'bytes', 'files', 'retentionDays', 'seq', 'storedSeq'],
};

const allowedFor = (action: string): readonly string[] => allowed[action] ?? allowed[action.split('.')[0] as string] ?? [];

const TOKEN = /pcs_[A-Za-z0-9_-]+/g;
const SECRET_KEY = /(secret|password|passwd|passphrase|api[-_]?key|authorization|cookie|credential)s?$|^token$|^tokens$/i;
const MAX_STRING = 2_048;
const MAX_DEPTH = 6;

export const REDACTED = '[redacted]';

/** Strings lose anything token-shaped and are kept short. */
export function scrubString(text: string): string {
  // The check first: this runs on every field of every gateway request.
  const clean = text.includes('pcs_') ? text.replace(TOKEN, 'pcs_' + REDACTED) : text;
  return clean.length > MAX_STRING ? `${clean.slice(0, MAX_STRING)}…` : clean;
}

/** A deep copy with secrets replaced: token-shaped strings, secret-named keys, env values. */
export function scrubValue(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return scrubString(value);
  if (value === null || typeof value === 'number' || typeof value === 'boolean') return value;
  if (depth >= MAX_DEPTH) return '[too deep]';
  if (Array.isArray(value)) return value.slice(0, 100).map((v) => scrubValue(v, depth + 1));
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
      if (SECRET_KEY.test(key)) out[key] = REDACTED;
      // Environment values are where servers' tokens live: keep the names, never the values.
      else if (key === 'env' && v && typeof v === 'object' && !Array.isArray(v)) {
        out[key] = Object.fromEntries(Object.keys(v).map((k) => [k, REDACTED]));
      } else out[key] = scrubValue(v, depth + 1);
    }
    return out;
  }
  return undefined;
}

/** Only the whitelisted keys of `params`, scrubbed; undefined when nothing is left. */
export function whitelistParams(action: string, params: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (!params) return undefined;
  const keys = new Set<string>([...common, ...allowedFor(action)]);
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(params)) {
    if (keys.has(key) && value !== undefined && !SECRET_KEY.test(key)) out[key] = scrubValue(value);
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** A request path with secret query parameters and token-shaped text removed. */
const SECRET_PARAM = /token|key|secret|password|auth|sig/i;

export function scrubPath(path: string): string {
  const at = path.indexOf('?');
  // Encoded names (%74oken) are decoded below, so only a query with neither a match nor a % is passed as is.
  if (at === -1 || (!SECRET_PARAM.test(path.slice(at)) && !path.includes('%', at))) return scrubString(path);
  const query = path
    .slice(at + 1)
    .split('&')
    .map((pair) => {
      const key = decodeSafe(pair.split('=')[0] ?? '');
      return SECRET_PARAM.test(key) ? `${pair.split('=')[0]}=${REDACTED}` : pair;
    })
    .join('&');
  return scrubString(`${path.slice(0, at)}?${query}`);
}

function decodeSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
