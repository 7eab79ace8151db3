import { spawn } from 'node:child_process';
import { appendFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { listJournalFiles } from '../../main/core/audit/files.js';
import { AuditJournal } from '../../main/core/audit/journal.js';
import { JournalWriter } from '../../main/core/audit/journal-writer.js';
import { GENESIS, hashLine, parseLine } from '../../main/core/audit/line.js';
import { verifyJournal } from '../../main/core/audit/verify.js';
import type { AuditRecord } from '../../main/core/contract/audit.js';
import { LIVE_ACCESS_BURST, LIVE_ACCESS_PER_SECOND } from '../../main/core/audit/writer-protocol.js';
import { tempDir } from '../helpers/tmp.js';

const control = (action: string) => ({ kind: 'control', actor: { kind: 'cli', user: 'me' }, action, outcome: 'ok' }) as const;
const unchained = (i: number) => ({ ts: new Date(0).toISOString(), kind: 'system', actor: { kind: 'system' }, action: `a${i}`, outcome: 'ok' }) as const;

describe('journal writer thread', () => {
  it('hands live listeners exactly the records it wrote, chained, with access records made on the thread', async () => {
    const journal = new AuditJournal({ home: tempDir('pc-writer-') });
    const live: AuditRecord[] = [];
    journal.onRecords((records) => live.push(...records));
    await journal.record(control('server.start'));
    journal.access({ server: 'pico', mode: 'lan', client: '10.0.0.2', method: 'GET', path: '/x?portcullis_token=pcs_abc', status: 200, bytesIn: 0, bytesOut: 5, durationMs: 1.26, tokenLabel: 'laptop' });
    await journal.flush();
    await journal.close();
    const onDisk = listJournalFiles(journal.dir)
      .flatMap((f) => readFileSync(f.path, 'utf8').split('\n'))
      .filter(Boolean);
    expect(live.map((r) => JSON.stringify(r))).toEqual(onDisk);
    expect(live[1]).toMatchObject({ seq: 2, kind: 'access', actor: { address: '10.0.0.2', tokenLabel: 'laptop' }, prev: hashLine(onDisk[0] as string) });
    expect(onDisk[1]).not.toContain('pcs_abc');
    // Everything was written as it closed: a later flush has nothing to do.
    await expect(journal.flush()).resolves.toBeUndefined();
  });

  it('under heavy traffic carries only the newest access records live, counts the rest, and writes every record', async () => {
    const journal = new AuditJournal({ home: tempDir('pc-writer-') });
    const calls: Array<{ records: AuditRecord[]; omitted: number }> = [];
    journal.onRecords((records, omitted) => calls.push({ records, omitted }));
    const request = (i: number) => ({ server: 'pico', mode: 'lan' as const, client: '10.0.0.2', method: 'GET', path: `/r${i}`, status: 200, bytesIn: 0, bytesOut: 5, durationMs: 1 });
    for (let i = 0; i < 300; i++) journal.access(request(i));
    const started = journal.append({ ts: new Date().toISOString(), ...control('server.start') }, true);
    for (let i = 300; i < 600; i++) journal.access(request(i));
    const written = await started;
    await journal.flush();
    await journal.close();
    const onDisk = listJournalFiles(journal.dir)
      .flatMap((f) => readFileSync(f.path, 'utf8').split('\n'))
      .filter(Boolean)
      .map((l) => parseLine(l) as AuditRecord);
    expect(onDisk).toHaveLength(601);
    expect((await verifyJournal(journal.dir, { head: null })).ok).toBe(true);
    // Every written record is either carried live or counted, stretch by stretch.
    expect(calls.reduce((n, c) => n + c.records.length + c.omitted, 0)).toBe(601);
    expect(calls.some((c) => c.omitted > 0)).toBe(true);
    for (const { records, omitted } of calls) {
      const access = records.filter((r) => r.kind === 'access');
      expect(access.length).toBeLessThanOrEqual(100);
      const newest = Math.max(...records.map((r) => r.seq));
      const first = newest - (records.length + omitted) + 1;
      const left = onDisk.filter((r) => r.seq >= first && r.seq <= newest && !records.some((l) => l.seq === r.seq));
      // Only access records are left out, and only older ones than those shown.
      expect(left.every((r) => r.kind === 'access' && r.seq < Math.min(...access.map((a) => a.seq)))).toBe(true);
      for (const r of records) expect(JSON.stringify(r)).toBe(JSON.stringify(onDisk[r.seq - 1]));
    }
    // The control record is always live, and its caller got the record as written.
    expect(calls.flatMap((c) => c.records).find((r) => r.action === 'server.start')).toEqual(written);
    expect(onDisk[written.seq - 1]).toEqual(written);
  });

  it('carries access records live at a bounded rate, however small and many the writes', async () => {
    const journal = new AuditJournal({ home: tempDir('pc-writer-') });
    const calls: Array<{ records: AuditRecord[]; omitted: number }> = [];
    journal.onRecords((records, omitted) => calls.push({ records, omitted }));
    const began = performance.now();
    // Forty writes of 30 (each under a hand-off's size, so one write each): each alone is small,
    // together they are more than the live stream carries.
    const rounds = 40;
    for (let round = 0; round < rounds; round++) {
      for (let i = 0; i < 30; i++) journal.access({ server: 'pico', mode: 'lan', client: '10.0.0.2', method: 'GET', path: `/r${round}-${i}`, status: 200, bytesIn: 0, bytesOut: 5, durationMs: 1 });
      await journal.flush();
    }
    const seconds = (performance.now() - began) / 1_000;
    await journal.close();
    const live = calls.flatMap((c) => c.records).filter((r) => r.kind === 'access').length;
    // Every record is accounted for, and no more went live than the burst, the refill over the
    // time taken, and the newest of each write (which tells a reader where the stream stands).
    expect(live + calls.reduce((n, c) => n + c.omitted, 0)).toBe(1_200);
    expect(live).toBeLessThanOrEqual(LIVE_ACCESS_BURST + Math.ceil(LIVE_ACCESS_PER_SECOND * seconds) + rounds);
    expect(calls.every((c) => c.records.length > 0)).toBe(true);
  });

  it('repairs a line torn by a writer that died mid-write before the new writer continues, and says so', async () => {
    const journal = new AuditJournal({ home: tempDir('pc-writer-') });
    await journal.record(control('server.start'));
    const thread = (journal as unknown as { thread: { worker: Worker } }).thread;
    await thread.worker.terminate();
    // What a thread killed inside its write leaves behind: half a line, no newline.
    const file = listJournalFiles(journal.dir)[0] as { path: string };
    appendFileSync(file.path, '{"seq":2,"ts":"2026-');
    await journal.record(control('server.stop'));
    await journal.close();
    const records = readFileSync(file.path, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => parseLine(l) as AuditRecord);
    expect(records.map((r) => r.action)).toEqual(['server.start', 'audit.repair', 'server.stop']);
    expect(records[1]).toMatchObject({ kind: 'system', params: { line: 2 } });
    expect((await verifyJournal(journal.dir, { head: null })).ok).toBe(true);
  });

  it('survives its thread dying mid-write: nothing acknowledged is lost, the rest is refused, the chain goes on', async () => {
    const journal = new AuditJournal({ home: tempDir('pc-writer-') });
    const unwritable: Error[] = [];
    journal.onUnwritable((err) => unwritable.push(err));
    await journal.record(control('server.start'));
    // A crash of the thread itself (a bug, out of memory), simulated by terminating it while
    // control records are on their way to it.
    const thread = (journal as unknown as { thread: { worker: Worker } }).thread;
    const outcomes = Array.from({ length: 40 }, (_, i) =>
      journal.record(control(`token.create.${i}`)).then(
        () => ({ i, ok: true as const }),
        (err: Error) => ({ i, ok: false as const, message: err.message }),
      ),
    );
    await new Promise((r) => setImmediate(r));
    await thread.worker.terminate();
    const settled = await Promise.all(outcomes);
    await journal.record(control('server.stop'));
    expect(journal.isUnwritable).toBe(false);
    await journal.close();
    const actions = listJournalFiles(journal.dir).flatMap((f) =>
      readFileSync(f.path, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => (parseLine(l) as AuditRecord).action),
    );
    for (const o of settled) {
      if (o.ok) expect(actions).toContain(`token.create.${o.i}`);
      else expect(o.message).toMatch(/audit journal's writer stopped .*not recorded/);
    }
    if (settled.some((o) => !o.ok)) expect(unwritable).toHaveLength(1);
    expect(actions[0]).toBe('server.start');
    expect(actions.at(-1)).toBe('server.stop');
    expect((await verifyJournal(journal.dir, { head: null })).ok).toBe(true);
  });

  it('counts the requests it could not write and says so once it can write again', async () => {
    const home = tempDir('pc-writer-');
    const journal = new AuditJournal({ home, maxFileBytes: 1 });
    await journal.record(control('server.start'));
    // Every record needs a new file now, and the folder is a plain file: nothing can be written.
    rmSync(journal.dir, { recursive: true });
    writeFileSync(journal.dir, 'not a folder');
    for (let i = 0; i < 7; i++) {
      journal.access({ server: 'pico', mode: 'lan', client: '10.0.0.2', method: 'GET', path: `/r${i}`, status: 200, bytesIn: 0, bytesOut: 5, durationMs: 1 });
    }
    await expect(journal.flush()).rejects.toThrow(/cannot be written/);
    expect(journal.isUnwritable).toBe(true);
    rmSync(journal.dir);
    mkdirSync(journal.dir);
    await journal.record(control('server.stop'));
    await journal.flush();
    await journal.close();
    const records = listJournalFiles(journal.dir).flatMap((f) =>
      readFileSync(f.path, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => parseLine(l) as AuditRecord),
    );
    expect(records.map((r) => r.action)).toEqual(['server.stop', 'audit.dropped']);
    expect(records[1]).toMatchObject({ kind: 'system', outcome: 'error', params: { count: 7 } });
  });

  it('lets a process that is done exit while its journal is still open', async () => {
    const home = tempDir('pc-writer-');
    const script = `
      import { AuditJournal } from ${JSON.stringify(new URL('../../main/core/audit/journal.ts', import.meta.url).pathname)};
      const journal = new AuditJournal({ home: ${JSON.stringify(home)} });
      await journal.record({ kind: 'control', actor: { kind: 'system' }, action: 'server.start', outcome: 'ok' });
      process.stdout.write('recorded');`;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d));
    const code = await new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        resolve(null);
      }, 30_000);
      child.once('exit', (c) => {
        clearTimeout(timer);
        resolve(c);
      });
    });
    expect(out).toBe('recorded');
    expect(code).toBe(0);
  });

  it('rotates mid-batch at the size limit, the chain continuing across files', () => {
    const dir = tempDir('pc-writer-');
    const writer = new JournalWriter(dir, { file: null, size: 0, seq: 0, hash: GENESIS }, 400);
    const out = writer.write(Array.from({ length: 6 }, (_, i) => ({ record: unchained(i) })), true);
    writer.close();
    expect(out).toMatchObject({ written: 6, error: null });
    const files = listJournalFiles(dir);
    expect(files.length).toBeGreaterThan(1);
    const lines = files.flatMap((f) => readFileSync(f.path, 'utf8').split('\n').filter(Boolean));
    expect(lines.join('\n') + '\n').toBe(out.text);
    let prev = GENESIS;
    for (const line of lines) {
      expect((parseLine(line) as AuditRecord).prev).toBe(prev);
      prev = hashLine(line);
    }
    expect(writer.current).toMatchObject({ seq: 6, hash: prev });
  });
});
