import { open, type FileHandle } from 'node:fs/promises';

/** Where reading starts: 256 KB (a few hundred records), doubling as a sparse filter reads further. */
const FIRST_CHUNK = 256 * 1024;
const MAX_CHUNK = 8 * 1024 * 1024;
/** Below this, the binary search stops and the rest is read (and filtered line by line). */
const SEARCH_FLOOR = 64 * 1024;
const PROBE = 16 * 1024;

/** The seq a stored line starts with (`{"seq":N,…`, as chainRecord writes it), or NaN. */
export function leadingSeq(line: string): number {
  if (!line.startsWith('{"seq":')) return Number.NaN;
  const end = line.indexOf(',', 7);
  return end === -1 ? Number.NaN : Number(line.slice(7, end));
}

/**
 * A journal file's lines, newest first, in batches (each batch oldest to newest), starting
 * below the first line whose seq is `before` or more. Lines are appended in seq order, so that
 * place is found by binary search on byte offsets: a page near the end of a 20 MB file reads
 * a few hundred KB instead of the whole file. A line the search cannot read (not a record) makes
 * it give up and read from the end: the caller still filters every line by its seq.
 */
export async function* linesBackward(path: string, before?: number, chunkBytes = FIRST_CHUNK): AsyncGenerator<string[]> {
  const fh = await open(path, 'r');
  try {
    const size = (await fh.stat()).size;
    let end = before === undefined ? size : await startOfSeq(fh, size, before);
    let fragment = Buffer.alloc(0);
    let chunk = chunkBytes;
    while (end > 0) {
      const start = Math.max(0, end - chunk);
      const read = Buffer.alloc(end - start);
      await readFully(fh, read, start);
      const buf = fragment.length ? Buffer.concat([read, fragment]) : read;
      // The bytes before the first newline end a line that began earlier: kept for the next read.
      const first = start === 0 ? -1 : buf.indexOf(0x0a);
      if (start > 0 && first === -1) {
        fragment = buf;
      } else {
        fragment = buf.subarray(0, first + 1);
        const lines = buf.toString('utf8', first + 1).split('\n');
        yield lines;
      }
      end = start;
      chunk = Math.min(chunk * 2, MAX_CHUNK);
    }
    if (fragment.length) yield fragment.toString('utf8').split('\n');
  } finally {
    await fh.close();
  }
}

/** The offset of the first line whose seq is `before` or more (the file's size when none is). */
async function startOfSeq(fh: FileHandle, size: number, before: number): Promise<number> {
  // Invariant: a line starts at `hi` (or hi is the end) and every line from there on is at or past `before`.
  let lo = 0;
  let hi = size;
  const probe = Buffer.alloc(PROBE);
  const head = Buffer.alloc(64);
  while (hi - lo > SEARCH_FLOOR) {
    const mid = lo + Math.floor((hi - lo) / 2);
    const { bytesRead } = await fh.read(probe, 0, PROBE, mid);
    const nl = probe.subarray(0, bytesRead).indexOf(0x0a);
    const lineAt = mid + nl + 1;
    // No line starts between mid and hi within reach (a very long line): what is left is read whole.
    if (nl === -1 || lineAt >= hi) break;
    // The line's first bytes, read again where the probe cut them short.
    const got = bytesRead - (nl + 1) >= 40 ? 0 : (await fh.read(head, 0, head.length, lineAt)).bytesRead;
    const text = got > 0 ? head.toString('latin1', 0, got) : probe.toString('latin1', nl + 1, Math.min(bytesRead, nl + 1 + 40));
    const seq = leadingSeq(text);
    if (Number.isNaN(seq)) return size;
    if (seq >= before) hi = lineAt;
    else lo = lineAt;
  }
  return hi;
}

async function readFully(fh: FileHandle, into: Buffer, position: number): Promise<void> {
  let done = 0;
  while (done < into.length) {
    const { bytesRead } = await fh.read(into, done, into.length - done, position + done);
    if (bytesRead === 0) break;
    done += bytesRead;
  }
}
