import { listJournalFiles } from './files.js';
import { hashLine, parseLine } from './line.js';
import { leadingSeq, linesBackward } from './lines-backward.js';

/**
 * The hash of the line holding `seq`, or null when no file holds it any more. The line is
 * found by linesBackward's binary search, so a start after a crash reads a few hundred KB of
 * a 20 MB file, not all of it.
 */
export async function lineHashAt(dir: string, seq: number): Promise<string | null> {
  const file = listJournalFiles(dir)
    .filter((f) => f.firstSeq <= seq)
    .pop();
  if (!file) return null;
  for await (const lines of linesBackward(file.path, seq + 1)) {
    for (let i = lines.length - 1; i >= 0; i--) {
      const line = lines[i] as string;
      const at = leadingSeq(line);
      if (at === seq) return parseLine(line)?.seq === seq ? hashLine(line) : null;
      // Lines run in seq order: once below it, the line is not there.
      if (at < seq) return null;
    }
  }
  return null;
}
