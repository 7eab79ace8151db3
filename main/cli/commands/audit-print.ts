import type { AuditRecord } from '../../core/contract/audit.js';
import { actorText } from '../../core/audit/export-csv.js';

/** `key=value` pairs of a record's params, and its reason, on one line. */
function detail(record: AuditRecord): string {
  const parts: string[] = [];
  if (record.reason) parts.push(`reason: ${record.reason}`);
  for (const [key, value] of Object.entries(record.params ?? {})) {
    parts.push(`${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`);
  }
  if (record.from !== undefined || record.to !== undefined) parts.push(`${JSON.stringify(record.from ?? null)} → ${JSON.stringify(record.to ?? null)}`);
  return parts.join(' ');
}

export const headerRow = ['TIME', 'SEQ', 'KIND', 'ACTOR', 'ACTION', 'SERVER', 'OUTCOME', 'DETAIL'];

export function recordRow(record: AuditRecord): string[] {
  return [
    record.ts.replace('T', ' ').replace('Z', ''),
    String(record.seq),
    record.kind,
    actorText(record.actor),
    record.action,
    record.server ?? '-',
    record.outcome,
    detail(record),
  ];
}

/** For the live view: fixed widths, since later lines cannot widen earlier ones. */
export function streamLine(record: AuditRecord): string {
  const widths = [23, 6, 7, 28, 18, 16, 7];
  return recordRow(record)
    .map((cell, i) => (i < widths.length ? cell.padEnd(widths[i] as number) : cell))
    .join(' ');
}
