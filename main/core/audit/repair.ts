import { openSync, closeSync, fsyncSync, ftruncateSync, readFileSync, rmSync } from 'node:fs';
import { listJournalFiles, type JournalFile } from './files.js';
import { GENESIS, hashLine, parseLine } from './line.js';

export interface JournalEnd {
  /** The file new lines go to, or null when the journal has none yet. */
  file: JournalFile | null;
  size: number;
  /** The last record's seq (0 when empty) and hash (the all-zero genesis when empty). */
  seq: number;
  hash: string;
  /** A torn last line that was cut away. */
  repaired: { file: string; line: number; bytes: number } | null;
  /** A last line that is not a record: left alone for verify to report. */
  unreadableEnd: boolean;
}

/**
 * Finds where the chain ends. A last line without its newline was torn by a crash mid-write
 * (never acknowledged, since acknowledgement waits for the write): it is truncated away,
 * and only it. Empty files left by a crash right after a rotation are removed.
 */
export function findJournalEnd(dir: string): JournalEnd {
  const files = listJournalFiles(dir);
  for (let i = files.length - 1; i >= 0; i--) {
    const file = files[i] as JournalFile;
    const bytes = readFileSync(file.path);
    let repaired: JournalEnd['repaired'] = null;
    let size = bytes.length;
    const lastNewline = bytes.lastIndexOf(0x0a);
    if (size > 0 && lastNewline !== size - 1) {
      const keep = lastNewline + 1;
      const fd = openSync(file.path, 'r+');
      try {
        ftruncateSync(fd, keep);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      repaired = { file: file.path, line: countLines(bytes, keep) + 1, bytes: size - keep };
      size = keep;
    }
    if (size === 0) {
      // Nothing in it (or only a torn line): the chain ends in the file before.
      rmSync(file.path, { force: true });
      if (repaired) return { ...findJournalEnd(dir), repaired };
      continue;
    }
    const start = bytes.lastIndexOf(0x0a, size - 2) + 1;
    const last = bytes.subarray(start, size - 1);
    const record = parseLine(last.toString('utf8'));
    const seq = record?.seq ?? recoverSeq(last.toString('utf8'), file.firstSeq + countLines(bytes, size) - 1);
    return { file, size, seq, hash: hashLine(last), repaired, unreadableEnd: record === null };
  }
  return { file: null, size: 0, seq: 0, hash: GENESIS, repaired: null, unreadableEnd: false };
}

function countLines(bytes: Buffer, upTo: number): number {
  let n = 0;
  for (let at = bytes.indexOf(0x0a); at !== -1 && at < upTo; at = bytes.indexOf(0x0a, at + 1)) n++;
  return n;
}

/** A damaged last line still usually shows its seq; else count lines from the file's first seq. */
function recoverSeq(text: string, counted: number): number {
  const match = /"seq":(\d+)/.exec(text);
  return match ? Number(match[1]) : counted;
}
