import type { AuditRecord } from '../contract/audit.js';

export const csvColumns = ['seq', 'ts', 'kind', 'actor', 'action', 'server', 'outcome', 'reason', 'params', 'from', 'to', 'prev'] as const;

/** RFC 4180: quoted when needed, quotes doubled. A leading = + - @ is defused for spreadsheets. */
function cell(value: unknown): string {
  if (value === undefined || value === null) return '';
  let text = typeof value === 'string' ? value : typeof value === 'number' ? String(value) : JSON.stringify(value);
  if (typeof value === 'string' && /^[=+\-@]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function actorText(actor: AuditRecord['actor']): string {
  switch (actor.kind) {
    case 'desktop':
    case 'cli':
      return `${actor.kind}:${actor.user}`;
    case 'browser':
      return `browser:${actor.address}`;
    case 'client':
      return `client:${actor.address}${actor.tokenLabel ? ` (${actor.tokenLabel})` : ''}`;
    case 'system':
      return 'system';
  }
}

export const csvHeader = (): string => csvColumns.join(',');

export function csvRow(record: AuditRecord): string {
  return csvColumns.map((c) => cell(c === 'actor' ? actorText(record.actor) : record[c])).join(',');
}
