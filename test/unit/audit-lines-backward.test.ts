import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { listJournalFiles } from '../../main/core/audit/files.js';
import { JournalWriter } from '../../main/core/audit/journal-writer.js';
import { GENESIS, parseLine } from '../../main/core/audit/line.js';
import { leadingSeq, linesBackward } from '../../main/core/audit/lines-backward.js';
import { queryJournal } from '../../main/core/audit/query.js';
import { toTuple } from '../../main/core/audit/access-tuple.js';
import { tempDir } from '../helpers/tmp.js';

/** A journal of `count` access records in one file, paths of varied length with multibyte text. */
function journal(count: number): { dir: string; path: string; lines: string[] } {
  const dir = tempDir('pc-lines-');
  const writer = new JournalWriter(dir, { file: null, size: 0, seq: 0, hash: GENESIS }, 1 << 30);
  const records = [];
  for (let i = 0; i < count; i++) {
    const path = `/v1/${'é—🙂'.repeat(i % 7)}${'x'.repeat((i * 37) % 300)}/${i}`;
    records.push(toTuple({ server: 'pico', mode: 'lan', client: '10.0.0.2', method: i % 5 ? 'GET' : 'POST', path, status: 200, bytesIn: 0, bytesOut: i, durationMs: 1 }, Date.UTC(2026, 10, 22, 12, 0, 0, i)));
  }
  writer.write(records, true);
  writer.close();
  const file = listJournalFiles(dir)[0] as { path: string };
  return { dir, path: file.path, lines: readFileSync(file.path, 'utf8').split('\n').filter(Boolean) };
}

async function collect(path: string, before: number | undefined, chunk?: number): Promise<string[][]> {
  const batches: string[][] = [];
  for await (const lines of linesBackward(path, before, chunk)) batches.push(lines.filter(Boolean));
  return batches;
}

describe('reading a journal file backwards from a seq', () => {
  it('gives every line older than the seq, whole and newest first, whatever the chunk boundaries cut', async () => {
    const { path, lines } = journal(600);
    for (const chunk of [64, 333, 4_096, undefined]) {
      for (const before of [undefined, 1, 2, 300, 599, 600, 601, 10_000]) {
        const got = (await collect(path, before, chunk)).reverse().flat();
        // Every line read is a whole record (no line cut at a chunk boundary, no character split).
        for (const line of got) expect(parseLine(line), line.slice(0, 60)).not.toBeNull();
        const older = got.filter((l) => before === undefined || leadingSeq(l) < before);
        expect(older).toEqual(lines.filter((l) => before === undefined || leadingSeq(l) < before));
      }
    }
  });

  it('finds the place by binary search: a page near the start of a large file does not read its tail', async () => {
    const { path, lines } = journal(12_000);
    const before = 3_000;
    const batches = await collect(path, before);
    const newestRead = Math.max(...(batches[0] as string[]).map(leadingSeq));
    // Within the search's last window (64 KB, at most a few hundred lines here) of the place asked for.
    expect(newestRead).toBeGreaterThanOrEqual(before - 1);
    expect(newestRead).toBeLessThan(before + 400);
    expect(lines.length).toBe(12_000);
  });

  it('pages through the journal exactly as reading it whole would', async () => {
    const { dir, lines } = journal(3_000);
    const seen: number[] = [];
    let before: number | undefined;
    for (;;) {
      const page = await queryJournal(dir, { limit: 250, ...(before !== undefined ? { before } : {}), text: '"method":"post"' });
      seen.push(...page.records.map((r) => r.seq));
      if (page.nextBefore === null) break;
      before = page.nextBefore;
    }
    const expected = lines
      .map((l) => parseLine(l))
      .filter((r) => r !== null && (r.params as { method: string }).method === 'POST')
      .map((r) => (r as { seq: number }).seq)
      .reverse();
    expect(seen).toEqual(expected);
  });
});
