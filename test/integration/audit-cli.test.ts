import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { listJournalFiles } from '../../main/core/audit/files.js';
import type { AuditRecord } from '../../main/core/contract/audit.js';
import { runCli } from '../helpers/cli.js';
import { startTestEngine } from '../helpers/engine.js';
import { cliBin } from '../helpers/paths.js';
import { tempDir } from '../helpers/tmp.js';
import { waitFor } from '../helpers/wait.js';

const jsonLines = (text: string): AuditRecord[] =>
  text
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as AuditRecord);

describe('portcullis audit', () => {
  it('queries, follows, exports and verifies the journal, with and without a running Portcullis', async () => {
    const home = tempDir('pc-audit-cli-');
    const engine = await startTestEngine(home);
    for (const name of ['alpha', 'beta']) await engine.call('servers.add', { name, command: process.execPath, args: ['-e', ''] });
    await engine.call('audit.setSource', { server: 'alpha', path: '/tmp/never-written.jsonl' });

    // Newest first, as JSON Lines.
    const listed = await runCli(['--home', home, 'audit', '--json']);
    expect(listed.code).toBe(0);
    const records = jsonLines(listed.stdout);
    expect(records.map((r) => r.action)).toEqual(['settings.change', 'server.add', 'server.add']);
    expect(records[1]).toMatchObject({ kind: 'control', actor: { kind: 'cli', user: 'test' }, server: 'beta', outcome: 'ok' });

    const filtered = await runCli(['--home', home, 'audit', '--server', 'alpha', '--kind', 'control', '--limit', '1']);
    expect(filtered.code).toBe(0);
    expect(filtered.stdout).toMatch(/^TIME\s+SEQ\s+KIND\s+ACTOR/);
    expect(filtered.stdout).toContain('settings.change');
    expect(filtered.stdout).not.toContain('server.add');

    const bad = await runCli(['--home', home, 'audit', '--outcome', 'maybe']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('outcome must be one of: ok, denied, error');

    // Live: the backlog, then a record written after the follower started.
    const follower = spawn(process.execPath, [cliBin, '--home', home, 'audit', '--follow', '--json', '--kind', 'control']);
    let followed = '';
    follower.stdout.on('data', (d: Buffer) => (followed += d));
    await waitFor(() => jsonLines(followed).length === 3, 10_000, 'the backlog');
    expect(jsonLines(followed).map((r) => r.seq)).toEqual([1, 2, 3]);
    await engine.call('servers.remove', { name: 'beta' });
    await waitFor(() => jsonLines(followed).length === 4, 10_000, 'the live record');
    expect(jsonLines(followed)[3]).toMatchObject({ seq: 4, action: 'server.remove', server: 'beta' });
    const exited = new Promise<number | null>((resolve) => follower.once('exit', resolve));
    follower.kill('SIGINT');
    expect(await exited).toBe(0);

    const csv = await runCli(['--home', home, 'audit', 'export', '--format', 'csv', '--kind', 'control']);
    expect(csv.code).toBe(0);
    const rows = csv.stdout.trim().split('\n');
    expect(rows[0]).toBe('seq,ts,kind,actor,action,server,outcome,reason,params,from,to,prev');
    expect(rows.slice(1).map((r) => r.split(',')[0])).toEqual(['1', '2', '3', '4']);
    expect(rows[1]).toContain(',control,cli:test,server.add,alpha,ok,');
    const badFormat = await runCli(['--home', home, 'audit', 'export', '--format', 'xml']);
    expect(badFormat.code).toBe(2);
    expect(badFormat.stderr).toContain('--format must be csv or jsonl');

    const intact = await runCli(['--home', home, 'audit', 'verify', '--no-keychain']);
    expect(intact.code).toBe(0);
    expect(intact.stdout).toContain('audit journal intact: 4 records in 1 file (seq 1–4)');

    // With Portcullis stopped, the home is read directly.
    await engine.close();
    const offline = await runCli(['--home', home, 'audit', 'export', '--format', 'jsonl']);
    expect(offline.code).toBe(0);
    expect(jsonLines(offline.stdout).map((r) => r.seq)).toEqual([1, 2, 3, 4]);

    const file = (listJournalFiles(`${home}/audit`)[0] as { path: string }).path;
    const lines = readFileSync(file, 'utf8').split('\n');
    lines[1] = (lines[1] as string).replace('"beta"', '"gamma"');
    writeFileSync(file, lines.join('\n'));
    const tampered = await runCli(['--home', home, 'audit', 'verify', '--no-keychain']);
    expect(tampered.code).toBe(1);
    expect(tampered.stdout).toContain(`audit journal NOT intact (altered): ${file} line 2:`);
  }, 90_000);

  it('--follow still shows every record when the live stream leaves some out (a busy gateway)', async () => {
    const home = tempDir('pc-audit-cli-');
    const engine = await startTestEngine(home);
    await engine.call('servers.add', { name: 'seed', command: process.execPath, args: ['-e', ''] });
    const follower = spawn(process.execPath, [cliBin, '--home', home, 'audit', '--follow', '--json']);
    let followed = '';
    follower.stdout.on('data', (d: Buffer) => (followed += d));
    await waitFor(() => jsonLines(followed).length === 1, 10_000, 'the backlog');
    // What the journal sends under heavy traffic: only the newest record of a stretch live, the
    // others counted. Real records, written to the real journal; only the live copy thins (here
    // three writes make one stretch, since each control record is written on its own).
    const bus = engine.panel.bus;
    const emit = bus.emit.bind(bus);
    let held = 0;
    let seen = 0;
    bus.emit = ((event, payload) => {
      if (event !== 'audit.records') return emit(event, payload);
      const { records } = payload as { records: AuditRecord[] };
      const last = records.at(-1) as AuditRecord;
      if (++seen % 3 !== 0 && last.action !== 'server.remove') {
        held += records.length;
        return;
      }
      const omitted = held + records.length - 1;
      held = 0;
      return emit(event, { records: [last], omitted } as never);
    }) as typeof bus.emit;
    for (let i = 0; i < 12; i++) await engine.call('servers.add', { name: `s${i}`, command: process.execPath, args: ['-e', ''] });
    await engine.call('servers.remove', { name: 's3' });
    await waitFor(() => jsonLines(followed).at(-1)?.action === 'server.remove', 20_000, 'the last live record');
    const seqs = jsonLines(followed).map((r) => r.seq);
    expect(seqs).toEqual(Array.from({ length: 14 }, (_, i) => i + 1));
    expect(jsonLines(followed).filter((r) => r.action === 'server.add').map((r) => r.server)).toEqual(['seed', ...Array.from({ length: 12 }, (_, i) => `s${i}`)]);
    const exited = new Promise<number | null>((resolve) => follower.once('exit', resolve));
    follower.kill('SIGINT');
    expect(await exited).toBe(0);
  }, 60_000);
});
