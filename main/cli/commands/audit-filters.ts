import { auditFilter, type AuditFilter } from '../../core/contract/audit.js';
import { UsageError } from '../context.js';
import { intOption } from '../parse.js';

/** The filter options every `audit` subcommand takes. */
export const filterOptions = {
  server: { type: 'string' },
  kind: { type: 'string' },
  outcome: { type: 'string' },
  action: { type: 'string' },
  client: { type: 'string' },
  text: { type: 'string' },
  since: { type: 'string' },
  until: { type: 'string' },
} as const;

export const filterUsage = '[--server S] [--kind K] [--outcome O] [--action A] [--client ADDR] [--text T] [--since T] [--until T]';

const UNITS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `15m`, `2h`, `7d` ago, or an ISO date and time. */
export function parseTime(value: string | undefined, name: string, now = Date.now()): string | undefined {
  if (value === undefined) return undefined;
  const relative = /^(\d+)([smhd])$/.exec(value);
  if (relative) return new Date(now - Number(relative[1]) * (UNITS[relative[2] as string] as number)).toISOString();
  const at = Date.parse(value);
  if (Number.isNaN(at)) throw new UsageError(`--${name} must be a time such as 2026-01-31T12:00:00Z, or an age such as 30m, 2h or 7d; not "${value}"`);
  return new Date(at).toISOString();
}

export function filterFrom(values: Partial<Record<keyof typeof filterOptions, string>>): AuditFilter {
  const parsed = auditFilter.safeParse({
    server: values.server,
    kind: values.kind,
    outcome: values.outcome,
    action: values.action,
    client: values.client,
    text: values.text,
    since: parseTime(values.since, 'since'),
    until: parseTime(values.until, 'until'),
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UsageError(`--${String(issue?.path[0] ?? 'filter')}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}

export function limitFrom(value: string | undefined, fallback: number): number {
  const limit = intOption(value, 'limit') ?? fallback;
  if (limit < 1 || limit > 10_000) throw new UsageError('--limit must be between 1 and 10000');
  return limit;
}
