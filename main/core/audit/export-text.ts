import type { AuditExport, AuditFilter } from '../contract/audit.js';
import { csvHeader, csvRow } from './export-csv.js';
import { queryJournal } from './query.js';

/** Matching records oldest first as one CSV or JSON Lines text, at most `limit` of the newest. */
export async function exportJournal(dir: string, filter: AuditFilter, format: 'csv' | 'jsonl', limit: number): Promise<AuditExport> {
  const page = await queryJournal(dir, { ...filter, limit });
  const records = page.records.reverse();
  const lines = format === 'csv' ? [csvHeader(), ...records.map(csvRow)] : records.map((r) => JSON.stringify(r));
  return { format, text: `${lines.join('\n')}\n`, count: records.length, truncated: page.nextBefore !== null };
}
