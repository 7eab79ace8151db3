import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { listJournalFiles } from '../../main/core/audit/files.js';
import { readHead } from '../../main/core/audit/head-store.js';
import { AuditJournal } from '../../main/core/audit/journal.js';
import { GENESIS, hashLine, parseLine } from '../../main/core/audit/line.js';
import { verifyJournal } from '../../main/core/audit/verify.js';
import { tempDir } from '../helpers/tmp.js';
import { MemoryKeychain } from '../../main/core/audit/memory-keychain.js';

const HOME_ID = 'a'.repeat(32);

/** A journal of `n` control records, closed (so its head is in the keychain). */
async function journalWith(n: number, maxFileBytes?: number): Promise<{ home: string; keychain: MemoryKeychain; dir: string }> {
  const home = tempDir('pc-audit-');
  const keychain = new MemoryKeychain();
  const journal = new AuditJournal({ home, keychain, homeId: HOME_ID, maxFileBytes });
  for (let i = 1; i <= n; i++) {
    await journal.record({ kind: 'control', actor: { kind: 'cli', user: 'alice' }, action: 'server.start', server: `srv${i}`, outcome: 'ok', params: { pid: 1000 + i } });
  }
  await journal.close();
  return { home, keychain, dir: journal.dir };
}

const onlyFile = (dir: string): string => (listJournalFiles(dir)[0] as { path: string }).path;
const linesOf = (path: string): string[] => readFileSync(path, 'utf8').split('\n').slice(0, -1);
const writeLines = (path: string, lines: string[]): void => writeFileSync(path, `${lines.join('\n')}\n`);
const verify = async (dir: string, keychain?: MemoryKeychain) =>
  verifyJournal(dir, keychain ? { head: await readHead(keychain, HOME_ID) } : { unavailable: 'not given' });

describe('audit verify', () => {
  it('passes an untouched journal and checks the keychain head', async () => {
    const { dir, keychain } = await journalWith(8);
    const report = await verify(dir, keychain);
    expect(report.problem).toBeNull();
    expect(report).toMatchObject({ ok: true, records: 8, firstSeq: 1, lastSeq: 8, head: { checked: true, seq: 8 } });
    const first = parseLine(linesOf(onlyFile(dir))[0] as string);
    expect(first?.prev).toBe(GENESIS);
  });

  it('finds one changed byte and names the changed line', async () => {
    const { dir, keychain } = await journalWith(8);
    const file = onlyFile(dir);
    const lines = linesOf(file);
    lines[4] = (lines[4] as string).replace('srv5', 'srv6');
    writeLines(file, lines);
    const report = await verify(dir, keychain);
    expect(report.ok).toBe(false);
    expect(report.problem).toMatchObject({ kind: 'altered', file, line: 5 });
  });

  it('finds a deleted line where it was', async () => {
    const { dir, keychain } = await journalWith(8);
    const file = onlyFile(dir);
    writeLines(file, linesOf(file).filter((_, i) => i !== 3));
    const report = await verify(dir, keychain);
    expect(report.problem).toMatchObject({ kind: 'seq', file, line: 4 });
    expect(report.problem?.message).toContain('seq 5 where 4 was expected');
  });

  it('finds two swapped lines', async () => {
    const { dir, keychain } = await journalWith(8);
    const file = onlyFile(dir);
    const lines = linesOf(file);
    [lines[5], lines[6]] = [lines[6] as string, lines[5] as string];
    writeLines(file, lines);
    expect((await verify(dir, keychain)).problem).toMatchObject({ kind: 'seq', file, line: 6 });
  });

  it('catches a journal rewritten with a recomputed chain only through the keychain head', async () => {
    const { dir, keychain } = await journalWith(8);
    const file = onlyFile(dir);
    // The forger changes who did line 3 and recomputes every prev after it.
    let prev = GENESIS;
    const forged = linesOf(file).map((line) => {
      const record = JSON.parse(line) as Record<string, unknown>;
      if (record.seq === 3) record.actor = { kind: 'cli', user: 'mallory' };
      record.prev = prev;
      const text = JSON.stringify(record);
      prev = hashLine(text);
      return text;
    });
    writeLines(file, forged);
    const chainOnly = await verify(dir);
    expect(chainOnly.ok).toBe(true);
    expect(chainOnly.head).toEqual({ checked: false, why: 'not given' });
    const withHead = await verify(dir, keychain);
    expect(withHead.problem).toMatchObject({ kind: 'head', file, line: 8 });
    expect(withHead.problem?.message).toContain('does not match the head hash kept in the keychain');
  });

  it('catches records cut from the end through the keychain head', async () => {
    const { dir, keychain } = await journalWith(8);
    const file = onlyFile(dir);
    writeLines(file, linesOf(file).slice(0, 6));
    expect((await verify(dir)).ok).toBe(true);
    const report = await verify(dir, keychain);
    expect(report.problem).toMatchObject({ kind: 'head', file, line: 6 });
    expect(report.problem?.message).toContain('records were removed from the end');
  });

  it('follows the chain across rotated files and finds a line removed at a file boundary', async () => {
    const { dir, keychain } = await journalWith(30, 1_000);
    const files = listJournalFiles(dir);
    expect(files.length).toBeGreaterThan(2);
    expect((await verify(dir, keychain)).ok).toBe(true);
    // The second file's first line continues the first file's last line.
    const lastOfFirst = linesOf((files[0] as { path: string }).path).at(-1) as string;
    const firstOfSecond = parseLine(linesOf((files[1] as { path: string }).path)[0] as string);
    expect(firstOfSecond?.prev).toBe(hashLine(lastOfFirst));
    const first = (files[0] as { path: string }).path;
    writeLines(first, linesOf(first).slice(0, -1));
    const report = await verify(dir, keychain);
    expect(report.problem).toMatchObject({ kind: 'seq', file: (files[1] as { path: string }).path, line: 1 });
  });

  it('reports a torn last line as torn, and the next open truncates it and records the repair', async () => {
    const { home, dir, keychain } = await journalWith(5);
    const file = onlyFile(dir);
    appendFileSync(file, '{"seq":6,"ts":"2026-');
    const torn = await verify(dir, keychain);
    expect(torn.problem).toMatchObject({ kind: 'torn', file, line: 6 });

    const journal = new AuditJournal({ home, keychain, homeId: HOME_ID });
    const warnings: string[] = [];
    journal.onWarning((w) => warnings.push(w));
    await journal.whenReady();
    await journal.flush();
    await journal.close();
    expect(warnings.join('\n')).toContain('torn by a crash');
    const lines = linesOf(file).map((l) => parseLine(l));
    expect(lines).toHaveLength(6);
    expect(lines[5]).toMatchObject({ seq: 6, kind: 'system', action: 'audit.repair', params: { line: 6, bytes: 20 } });
    const after = await verify(dir, keychain);
    expect(after.problem).toBeNull();
    expect(after.head).toEqual({ checked: true, seq: 6 });
  });

  it('reports a line that is not a record', async () => {
    const { dir } = await journalWith(4);
    const file = onlyFile(dir);
    const lines = linesOf(file);
    lines[1] = 'not json at all';
    writeLines(file, lines);
    expect((await verify(dir)).problem).toMatchObject({ kind: 'malformed', file, line: 2 });
  });
});
