/**
 * `portcullis audit --follow` when a stretch the live stream left out (a busy gateway) cannot
 * be read back from the journal: it must say which records, why and what to do, and exit 1,
 * rather than skip them silently or die with a stack trace.
 */
import { spawn } from 'node:child_process';
import { renameSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { auditDir } from '../../main/core/audit/files.js';
import type { AuditRecord } from '../../main/core/contract/audit.js';
import { startTestEngine } from '../helpers/engine.js';
import { cliBin } from '../helpers/paths.js';
import { tempDir } from '../helpers/tmp.js';
import { waitFor } from '../helpers/wait.js';

const jsonLines = (text: string): AuditRecord[] =>
  text
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as AuditRecord);

/**
 * A real engine and a real follower; the journal's live copy of three writes is thinned as the
 * journal thins it under heavy traffic (only the newest record live, the others counted), and
 * `damage` runs on the real journal folder just before that thinned message goes out.
 */
async function followThroughDamage(damage: (dir: string) => void): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const home = tempDir('pc-audit-gap-');
  const engine = await startTestEngine(home);
  await engine.call('servers.add', { name: 'seed', command: process.execPath, args: ['-e', ''] });
  const follower = spawn(process.execPath, [cliBin, '--home', home, 'audit', '--follow', '--json']);
  let stdout = '';
  let stderr = '';
  follower.stdout.on('data', (d: Buffer) => (stdout += d));
  follower.stderr.on('data', (d: Buffer) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => follower.once('exit', resolve));
  await waitFor(() => jsonLines(stdout).length === 1, 10_000, 'the backlog');

  const bus = engine.panel.bus;
  const emit = bus.emit.bind(bus);
  let held = 0;
  bus.emit = ((event, payload) => {
    if (event !== 'audit.records') return emit(event, payload);
    const { records } = payload as { records: AuditRecord[] };
    const last = records.at(-1) as AuditRecord;
    if (last.server !== 's2') {
      held += records.length;
      return;
    }
    damage(auditDir(home));
    return emit(event, { records: [last], omitted: held + records.length - 1 } as never);
  }) as typeof bus.emit;
  for (const name of ['s0', 's1', 's2']) await engine.call('servers.add', { name, command: process.execPath, args: ['-e', ''] });

  // A follower that never ends fails the test (-1) instead of hanging it.
  const code = await Promise.race([exited, new Promise<number>((resolve) => setTimeout(() => resolve(-1), 15_000).unref())]);
  if (follower.exitCode === null && follower.signalCode === null) follower.kill('SIGKILL');
  return { code, stdout, stderr };
}

const expectClearStop = (run: { code: number | null; stdout: string; stderr: string }): void => {
  expect(run.code).toBe(1);
  // Nothing past the gap was printed as if the stream were whole.
  expect(jsonLines(run.stdout).map((r) => r.seq)).toEqual([1]);
  // Which records, and what to do.
  expect(run.stderr).toContain('portcullis: --follow stopped: records seq 2–4');
  expect(run.stderr).toContain('shown up to seq 1');
  expect(run.stderr).toContain('portcullis audit verify');
  expect(run.stderr).toContain('portcullis audit --since');
  // Stopping on purpose is not reported as a lost connection.
  expect(run.stderr).not.toContain('connection to Portcullis closed');
  // A message, not a crash.
  expect(run.stderr).not.toMatch(/\n\s+at |Unhandled|ERR_UNHANDLED_REJECTION/);
};

describe('portcullis audit --follow, when a left-out stretch cannot be read back', () => {
  it('stops with a clear message and exit 1 when reading the journal fails', async () => {
    // The audit folder is replaced by a plain file: every read of the journal fails.
    const run = await followThroughDamage((dir) => {
      renameSync(dir, `${dir}-aside`);
      writeFileSync(dir, 'not a folder');
    });
    expectClearStop(run);
    expect(run.stderr).toContain('could not be read back');
  }, 60_000);

  it('stops with a clear message and exit 1 when the journal no longer holds the stretch', async () => {
    // The audit folder is moved away: the journal reads as empty, which must not pass for "none matched".
    const run = await followThroughDamage((dir) => renameSync(dir, `${dir}-aside`));
    expectClearStop(run);
    expect(run.stderr).toContain('the journal no longer holds them');
  }, 60_000);
});
