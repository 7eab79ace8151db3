import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { toTuple } from '../../main/core/audit/access-tuple.js';
import { listJournalFiles } from '../../main/core/audit/files.js';
import { JournalWriter } from '../../main/core/audit/journal-writer.js';
import { GENESIS, hashLine } from '../../main/core/audit/line.js';
import { lineHashAt } from '../../main/core/audit/seek.js';
import { tempDir } from '../helpers/tmp.js';

/** Three files of access records (rotation at 400 KB), paths of varied length with multibyte text. */
function journal(): { dir: string; lines: string[] } {
  const dir = tempDir('pc-seek-');
  const writer = new JournalWriter(dir, { file: null, size: 0, seq: 0, hash: GENESIS }, 400 * 1024);
  const items = [];
  for (let i = 0; i < 3_000; i++) {
    const path = `/v1/${'é🙂'.repeat(i % 5)}${'x'.repeat((i * 37) % 200)}/${i}`;
    items.push(toTuple({ server: 'pico', mode: 'lan', client: '10.0.0.2', method: 'GET', path, status: 200, bytesIn: 0, bytesOut: i, durationMs: 1 }, Date.UTC(2026, 10, 22, 12, 0, 0, i)));
  }
  writer.write(items, true);
  writer.close();
  const lines = listJournalFiles(dir).flatMap((f) => readFileSync(f.path, 'utf8').split('\n').filter(Boolean));
  return { dir, lines };
}

describe('the hash of the line at a seq (checking the keychain head at start)', () => {
  it('is the hash of that line, in whichever file holds it, and null past the end', async () => {
    const { dir, lines } = journal();
    expect(listJournalFiles(dir).length).toBeGreaterThan(2);
    for (const seq of [1, 2, 777, 1_500, 2_999, 3_000]) expect(await lineHashAt(dir, seq)).toBe(hashLine(lines[seq - 1] as string));
    expect(await lineHashAt(dir, 3_001)).toBeNull();
    expect(await lineHashAt(dir, 0)).toBeNull();
  });

  it('is null when the line at that seq was changed into something that is not a record', async () => {
    const { dir, lines } = journal();
    const file = listJournalFiles(dir).at(-1) as { path: string; firstSeq: number };
    const seq = file.firstSeq + 5;
    const text = readFileSync(file.path, 'utf8').replace(lines[seq - 1] as string, `{"seq":${seq},"garbage`);
    writeFileSync(file.path, text);
    expect(await lineHashAt(dir, seq)).toBeNull();
    expect(await lineHashAt(dir, seq + 1)).toBe(hashLine(lines[seq] as string));
  });
});
