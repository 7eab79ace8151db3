import type { AuditFilter, AuditPage, AuditRecord } from '../contract/audit.js';
import { listJournalFiles } from './files.js';
import { matchesFilter } from './filter.js';
import { parseLine } from './line.js';
import { leadingSeq, linesBackward } from './lines-backward.js';

export interface QueryOptions extends AuditFilter {
  limit: number;
  /** Only records older than this seq (the previous page's `nextBefore`). */
  before?: number;
}

/**
 * Reads the journal newest first, straight from the files (so the CLI can query a home with
 * no Portcullis running), skipping lines that are not records: verify is where those show.
 */
export async function queryJournal(dir: string, options: QueryOptions): Promise<AuditPage> {
  const match = matchesFilter(options);
  const since = options.since ? Date.parse(options.since) : null;
  const records: AuditRecord[] = [];
  const files = listJournalFiles(dir).reverse();
  for (const file of files) {
    // A file whose first seq is not below `before` holds nothing older than it.
    if (options.before !== undefined && file.firstSeq >= options.before) continue;
    let oldest: AuditRecord | null = null;
    try {
      for await (const lines of linesBackward(file.path, options.before)) {
        for (let at = lines.length - 1; at >= 0; at--) {
          const line = lines[at] as string;
          if (!line) continue;
          // Lines of the page's own region newer than it asks for are skipped by their leading seq,
          // without parsing them.
          if (options.before !== undefined && leadingSeq(line) >= options.before) continue;
          const record = parseLine(line);
          if (!record) continue;
          oldest = record;
          if (options.before !== undefined && record.seq >= options.before) continue;
          if (!match(record, line)) continue;
          if (records.length === options.limit) {
            return { records, nextBefore: (records.at(-1) as AuditRecord).seq };
          }
          records.push(record);
        }
      }
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue; // removed by retention meanwhile
      throw err;
    }
    // Files are in time order: once one starts before `since`, older files cannot match.
    if (since !== null && oldest && Date.parse(oldest.ts) < since) break;
  }
  return { records, nextBefore: null };
}

