import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { listJournalFiles } from '../../main/core/audit/files.js';
import { AuditJournal } from '../../main/core/audit/journal.js';
import { parseLine } from '../../main/core/audit/line.js';
import { verifyJournal } from '../../main/core/audit/verify.js';
import type { AuditRecord } from '../../main/core/contract/audit.js';
import { repoRoot } from '../helpers/paths.js';
import { tempDir } from '../helpers/tmp.js';
import { waitFor } from '../helpers/wait.js';

/** A writer under load: bursts of access records and, in between, control records it prints once acknowledged. */
const writer = (journalModule: string): string => `
import { AuditJournal } from ${JSON.stringify(journalModule)};
const journal = new AuditJournal({ home: process.argv[2], maxFileBytes: 256 * 1024 });
let n = 0;
for (;;) {
  for (let i = 0; i < 40; i++) {
    journal.access({ server: 'picochat', mode: 'public', client: '10.0.0.' + (i % 200), method: 'POST', path: '/api/chat', status: 200, bytesIn: 512, bytesOut: 4096, durationMs: 3, tokenId: 't1', tokenLabel: 'phone' });
  }
  const batch = [n++, n++, n++];
  await Promise.all(batch.map((count) =>
    journal.record({ kind: 'control', actor: { kind: 'cli', user: 'load' }, action: 'server.expose', server: 'picochat', outcome: 'ok', params: { count } })
      .then(() => process.stdout.write('ack ' + count + '\\n'))));
}
`;

const allBytes = (dir: string): Buffer => Buffer.concat(listJournalFiles(dir).map((f) => readFileSync(f.path)));
const recordsOf = (bytes: Buffer): AuditRecord[] =>
  bytes
    .toString('utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => parseLine(l))
    .filter((r): r is AuditRecord => r !== null);

function startWriter(home: string): { acked: Set<number>; kill: () => Promise<NodeJS.Signals | null>; failed: () => string | null } {
  const script = join(home, 'writer.mjs');
  writeFileSync(script, writer(pathToFileURL(join(repoRoot, 'main/core/audit/journal.ts')).href));
  const child = spawn(process.execPath, ['--import', 'tsx', script, home], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  const acked = new Set<number>();
  let out = '';
  let errText = '';
  child.stderr.on('data', (d: Buffer) => (errText += d));
  child.stdout.on('data', (d: Buffer) => {
    out += d;
    const lines = out.split('\n');
    out = lines.pop() ?? '';
    for (const line of lines) if (line.startsWith('ack ')) acked.add(Number(line.slice(4)));
  });
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
  return {
    acked,
    failed: () => (child.exitCode !== null ? errText || `writer exited with ${child.exitCode}` : null),
    kill: () => {
      child.kill('SIGKILL');
      return exited;
    },
  };
}

describe('audit journal crash', () => {
  it('verifies as intact while another process is appending under load and rotating files', async () => {
    const home = tempDir('pc-audit-live-');
    const w = startWriter(home);
    const dir = join(home, 'audit');
    for (let round = 0; round < 8; round++) {
      await waitFor(() => w.acked.size >= (round + 1) * 150 || (w.failed() !== null && Promise.reject(new Error(w.failed() as string))), 60_000, 'more records');
      const report = await verifyJournal(dir, { head: null });
      expect(report.problem).toBeNull();
    }
    expect(listJournalFiles(dir).length).toBeGreaterThan(1);
    await w.kill();
  });

  it('keeps every acknowledged control record when the writer is SIGKILLed under load, repairing at most the torn last line', async () => {
    const home = tempDir('pc-audit-crash-');
    const w = startWriter(home);
    const acked = w.acked;
    await waitFor(() => acked.size >= 300 || (w.failed() !== null && Promise.reject(new Error(w.failed() as string))), 60_000, '300 acknowledged control records');
    expect(await w.kill()).toBe('SIGKILL');

    const dir = join(home, 'audit');
    const before = allBytes(dir);
    const precheck = await verifyJournal(dir, { head: null });
    // Whatever the kill left, the only acceptable damage is a torn last line.
    if (!precheck.ok) expect(precheck.problem?.kind).toBe('torn');
    const complete = before.subarray(0, before.lastIndexOf(0x0a) + 1);

    const reopened = new AuditJournal({ home });
    await reopened.whenReady();
    await reopened.close();
    const after = allBytes(dir);
    // Nothing but the torn remainder was removed: what was whole is still there, byte for byte.
    expect(after.subarray(0, complete.length).equals(complete)).toBe(true);
    const added = recordsOf(after.subarray(complete.length));
    expect(added.map((r) => r.action)).toEqual(precheck.ok ? [] : ['audit.repair']);

    const records = recordsOf(after);
    const kept = new Set(records.filter((r) => r.action === 'server.expose').map((r) => r.params?.count as number));
    const lost = [...acked].filter((count) => !kept.has(count));
    expect(lost).toEqual([]);
    expect(records.filter((r) => r.kind === 'access').length).toBeGreaterThan(1_000);
    const report = await verifyJournal(dir, { head: null });
    expect(report.problem).toBeNull();
    expect(report.records).toBe(records.length);
  });
});
