import type { ServerAuditLine } from '../contract/audit.js';
import { scrubString, scrubValue } from './redact.js';

const pick = (o: Record<string, unknown>, keys: readonly string[]): unknown => {
  for (const key of keys) if (o[key] !== undefined && o[key] !== null) return o[key];
  return undefined;
};

const text = (value: unknown): string | null =>
  value === undefined ? null : scrubString(typeof value === 'string' ? value : JSON.stringify(value)).slice(0, 256);

/**
 * A line of a server's own log in the journal's terms. picochat writes
 * `{ts, actor, action, outcome, params}`; other servers use near names (time, user, tool,
 * status), so each field takes the first of its usual spellings. Anything that is not a JSON
 * object is kept as malformed, shortened, never dropped and never fatal.
 */
export function normalizeLine(server: string, source: string, n: number, line: string): ServerAuditLine {
  const base = { server, source, n, ts: null, actor: null, action: null, outcome: null, params: null };
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    value = undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ...base, malformed: scrubString(line).slice(0, 500) };
  }
  const o = value as Record<string, unknown>;
  const ok = pick(o, ['ok', 'success']);
  const params = pick(o, ['params', 'args', 'arguments', 'input', 'details']);
  return {
    ...base,
    ts: text(pick(o, ['ts', 'timestamp', 'time', 'at', 'date'])),
    actor: text(pick(o, ['actor', 'user', 'client', 'caller', 'agent', 'remote_addr', 'ip'])),
    action: text(pick(o, ['action', 'tool', 'event', 'method', 'name', 'op'])),
    outcome: text(pick(o, ['outcome', 'status', 'result']) ?? (typeof ok === 'boolean' ? (ok ? 'ok' : 'error') : undefined)),
    params:
      params && typeof params === 'object' && !Array.isArray(params) ? (scrubValue(params) as Record<string, unknown>) : null,
    malformed: null,
  };
}
