import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ServerAuditLine } from '../../main/core/contract/audit.js';
import { runCli } from '../helpers/cli.js';
import { startTestEngine } from '../helpers/engine.js';
import { tempDir } from '../helpers/tmp.js';
import { waitFor } from '../helpers/wait.js';

/**
 * A stand-in for picochat's own audit writer, in its own process: it appends
 * `{ts, actor, action, outcome, params}` lines, and on command writes a malformed line,
 * rotates the file (rename, then a new file) or truncates it in place.
 */
const FIXTURE = `
import { appendFileSync, renameSync, truncateSync } from 'node:fs';
import { createInterface } from 'node:readline';
const file = process.argv[2];
const line = (action) => JSON.stringify({ ts: new Date().toISOString(), actor: 'web:127.0.0.1', action, outcome: 'ok', params: { run: 'r1' } }) + '\\n';
for await (const command of createInterface({ input: process.stdin })) {
  const [verb, ...names] = command.split(' ');
  if (verb === 'write') for (const name of names) appendFileSync(file, line(name));
  if (verb === 'malformed') appendFileSync(file, 'this is {not json\\n');
  if (verb === 'rotate') renameSync(file, file + '.1');
  if (verb === 'truncate') truncateSync(file, 0);
  process.stdout.write('done\\n');
}
`;

function startFixture(dir: string, file: string): (command: string) => Promise<void> {
  const script = join(dir, 'picochat-audit-writer.mjs');
  writeFileSync(script, FIXTURE);
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, [script, file]);
  afterAll(() => void child.kill());
  const waiting: Array<() => void> = [];
  child.stdout.on('data', (d: Buffer) => {
    for (const _ of String(d).match(/done/g) ?? []) waiting.shift()?.();
  });
  return (command) =>
    new Promise((resolve) => {
      waiting.push(resolve);
      child.stdin.write(`${command}\n`);
    });
}

describe("tailing a server's own audit log", () => {
  it('follows a picochat-style file through a malformed line, rotation and truncation', async () => {
    const runs = tempDir('pc-runs-');
    mkdirSync(join(runs, '.audit'));
    const file = join(runs, '.audit', 'audit.jsonl');
    const write = startFixture(runs, file);
    await write('write before-start');

    const engine = await startTestEngine();
    const streamed: ServerAuditLine[] = [];
    engine.panel.bus.subscribe((event, payload) => {
      if (event === 'audit.serverLines') streamed.push(...(payload as { lines: ServerAuditLine[] }).lines);
    });
    // The picochat profile says where its audit file is: <runs>/.audit/audit.jsonl.
    await engine.call('servers.add', { name: 'picochat', profile: 'picochat-web', args: ['--runs-dir', runs] });
    const sources = await engine.call('audit.sources', {});
    expect(sources).toEqual([expect.objectContaining({ server: 'picochat', path: file, origin: 'profile' })]);

    const actions = (): Array<string | null> => streamed.map((l) => (l.malformed !== null ? `MALFORMED:${l.malformed}` : l.action));
    const until = (expected: Array<string | null>, what: string) => waitFor(() => JSON.stringify(actions()) === JSON.stringify(expected), 10_000, what);

    await until(['before-start'], 'the existing line');
    expect(streamed[0]).toMatchObject({ server: 'picochat', source: file, actor: 'web:127.0.0.1', outcome: 'ok', params: { run: 'r1' }, malformed: null });

    await write('write a1 a2');
    await write('malformed');
    await write('write a3');
    await until(['before-start', 'a1', 'a2', 'MALFORMED:this is {not json', 'a3'], 'lines around the malformed one');

    // Rotation: a line lands in the old file just before it is renamed away, then the new file starts.
    await write('write last-in-old');
    await write('rotate');
    await write('write n1 n2 n3 n4');
    await until(['before-start', 'a1', 'a2', 'MALFORMED:this is {not json', 'a3', 'last-in-old', 'n1', 'n2', 'n3', 'n4'], 'lines across the rotation');

    // Truncation in place: what is written after it is read from the start of the file.
    await write('truncate');
    await write('write t1');
    await until(['before-start', 'a1', 'a2', 'MALFORMED:this is {not json', 'a3', 'last-in-old', 'n1', 'n2', 'n3', 'n4', 't1'], 'the line after truncation');

    const kept = await engine.call('audit.serverLog', { server: 'picochat', limit: 100 });
    expect(kept.map((l) => l.action ?? 'MALFORMED')).toEqual(['before-start', 'a1', 'a2', 'MALFORMED', 'a3', 'last-in-old', 'n1', 'n2', 'n3', 'n4', 't1']);
    expect((await engine.call('audit.sources', {}))[0]).toMatchObject({ state: 'following' });
  });

  it("finds palinode's MCP call log from the server's PALINODE_DIR", async () => {
    const dir = tempDir('pc-palinode-');
    mkdirSync(join(dir, '.audit'));
    const file = join(dir, '.audit', 'mcp-calls.jsonl');
    const write = startFixture(dir, file);
    const engine = await startTestEngine();
    await engine.call('servers.add', { name: 'memory', profile: 'palinode-mcp', env: { PALINODE_DIR: dir } });
    expect(await engine.call('audit.sources', {})).toEqual([expect.objectContaining({ server: 'memory', path: file, origin: 'profile' })]);
    await write('write search_memories');
    const [line] = await waitFor(async () => {
      const lines = await engine.call('audit.serverLog', { server: 'memory', limit: 10 });
      return lines.length > 0 && lines;
    }, 10_000, 'the MCP call');
    expect(line).toMatchObject({ server: 'memory', source: file, action: 'search_memories', malformed: null });
    // Removing the server stops following its file.
    await engine.call('servers.remove', { name: 'memory' });
    expect(await engine.call('audit.sources', {})).toEqual([]);
  });

  it('follows any JSONL path set for a server, and stops when the setting is removed', { timeout: 60_000 }, async () => {
    const dir = tempDir('pc-generic-');
    const file = join(dir, 'calls.jsonl');
    const write = startFixture(dir, file);
    const home = tempDir('pc-home-');
    const engine = await startTestEngine(home);
    // Through the CLI, as a user would.
    const set = await runCli(['--home', home, 'audit', 'source', 'generic', file]);
    expect(set.stdout.trim()).toBe(`generic: following ${file}`);
    expect((await engine.call('audit.sources', {})).find((v) => v.server === 'generic')).toMatchObject({ path: file, origin: 'setting' });
    await write('write g1');
    await write('malformed');
    await waitFor(async () => (await engine.call('audit.serverLog', { server: 'generic', limit: 10 })).length === 2, 10_000, 'g1 and the malformed line');
    const shown = await runCli(['--home', home, 'audit', 'server', 'generic']);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(/ generic {2}web:127\.0\.0\.1 {2}g1 {2}ok \{"run":"r1"\}\n/);
    expect(shown.stdout).toContain('generic  MALFORMED  this is {not json');
    const change = (await engine.call('audit.query', { action: 'settings.change', limit: 5 })).records[0];
    expect(change).toMatchObject({ kind: 'control', actor: { kind: 'cli' }, server: 'generic', from: null, to: file });
    expect((await runCli(['--home', home, 'audit', 'source', 'generic', '--none'])).stdout.trim()).toBe('generic: no audit file is followed');
    expect(await engine.call('audit.sources', {})).toEqual([]);
    await expect(engine.call('audit.setSource', { server: 'generic', path: 'relative/file.jsonl' })).rejects.toThrow(/path must be absolute/);
  });
});
