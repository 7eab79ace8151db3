import { readFile } from 'node:fs/promises';
import { listJournalFiles } from './files.js';
import { hashLine, parseLine } from './line.js';

/** The hash of the line holding `seq`, or null when no file holds it any more. */
export async function lineHashAt(dir: string, seq: number): Promise<string | null> {
  const file = listJournalFiles(dir)
    .filter((f) => f.firstSeq <= seq)
    .pop();
  if (!file) return null;
  const bytes = await readFile(file.path);
  for (let start = 0, end = bytes.indexOf(0x0a); end !== -1; start = end + 1, end = bytes.indexOf(0x0a, start)) {
    const line = bytes.subarray(start, end);
    if (parseLine(line.toString('utf8'))?.seq === seq) return hashLine(line);
  }
  return null;
}
