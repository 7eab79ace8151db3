import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/** `<home>/audit/`: the journal and nothing else. */
export const auditDir = (home: string): string => join(home, 'audit');

const NAME = /^journal-(\d{12})\.jsonl$/;

/** A file is named for the seq of its first line, so names sort in chain order. */
export const journalFileName = (firstSeq: number): string => `journal-${String(firstSeq).padStart(12, '0')}.jsonl`;

export interface JournalFile {
  name: string;
  path: string;
  firstSeq: number;
}

/** The journal's files, oldest first; anything else in the folder is ignored. */
export function listJournalFiles(dir: string): JournalFile[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  return names
    .map((name) => ({ name, match: NAME.exec(name) }))
    .filter((f): f is { name: string; match: RegExpExecArray } => f.match !== null)
    .map(({ name, match }) => ({ name, path: join(dir, name), firstSeq: Number(match[1]) }))
    .sort((a, b) => a.firstSeq - b.firstSeq);
}
