import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ControlClient } from '../../main/core/control/client.js';
import { controlSocketPath } from '../../main/core/home.js';
import { cliBin, fixture } from '../helpers/paths.js';
import { runCli, startServe } from '../helpers/cli.js';
import { freePort } from '../helpers/ports.js';
import { tempDir } from '../helpers/tmp.js';
import { waitFor } from '../helpers/wait.js';

// Needs the built CLI: `flock /tmp/pc-build.lock npm run build` (npm test builds first).

describe('CLI: profiles, add --profile, status --json, logs, restart, reset', { timeout: 90_000 }, () => {
  it('runs a picochat-shaped server from its profile and shows what the supervisor knows', async () => {
    const home = tempDir();
    await startServe(home);
    const cli = async (...args: string[]): Promise<string> => {
      const r = await runCli(['--home', home, ...args]);
      if (r.code !== 0) throw new Error(`portcullis ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
      return r.stdout;
    };
    // A `pico` on the user's machine: here, the picochat-shaped fixture behind a wrapper.
    const bin = join(home, 'bin');
    mkdirSync(bin);
    writeFileSync(join(bin, 'pico'), `#!/bin/sh\nexec "${process.execPath}" "${fixture('picochat-like.mjs')}" "$@"\n`);
    chmodSync(join(bin, 'pico'), 0o755);
    const runs = join(home, 'runs');
    const port = await freePort();

    const listed = await cli('profiles');
    expect(listed).toMatch(/^jupyter\s+8888\s+\/api\s+env JUPYTER_TOKEN\s+jupyter-notebook --no-browser --ip 127\.0\.0\.1 --port \{port\}/m);
    expect(listed).toMatch(/^picochat-web\s+8765\s+\/healthz/m);

    const tokenFile = join(home, 'printed-token');
    expect(await cli('add', 'chat', '--profile', 'picochat-web', '--command', join(bin, 'pico'), '--port', String(port), '--', '--runs-dir', runs, '--token-file', tokenFile)).toBe(
      `added chat from profile picochat-web: ${join(bin, 'pico')} web --host 127.0.0.1 --port {port} --runs-dir ${runs} --token-file ${tokenFile}\n`,
    );
    expect(await cli('start', 'chat', '--wait', '--timeout', '30')).toMatch(/^chat is healthy \(pid \d+\)/);
    const [status] = JSON.parse(await cli('status', 'chat', '--json')) as Array<Record<string, unknown>>;
    expect(status).toMatchObject({ name: 'chat', state: 'running', port, health: { status: 'healthy' }, restarts: 0, lastExit: null, progress: null, kind: 'server' });
    expect(typeof status?.pid).toBe('number');
    const client = new ControlClient(controlSocketPath(home));
    await waitFor(async () => (await client.call('servers.get', { name: 'chat' })).listening.length > 0, 20_000, 'listening');
    expect((JSON.parse(await cli('status', 'chat', '--json')) as Array<{ listening: string[] }>)[0]?.listening).toEqual([`127.0.0.1:${port}`]);
    expect(await cli('logs', 'chat', '--tail', '5')).toMatch(/ stdout picochat web on http:\/\/127\.0\.0\.1:\d+\/\?token=‹redacted›$/m);

    // --follow prints new lines as they come: a restart's lines arrive while it runs.
    const follow = spawn(process.execPath, [cliBin, '--home', home, 'logs', 'chat', '--follow', '--tail', '1'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let followed = '';
    follow.stdout.on('data', (d: Buffer) => (followed += d));
    await waitFor(() => followed.includes('\n'), 20_000, 'follow prints the tail');
    const restarted = await cli('restart', 'chat');
    expect(restarted).toMatch(/^chat (starting|running) \(pid \d+\)/);
    await waitFor(() => /stopped on request|exited with code 0/.test(followed) && /started pid \d+/.test(followed), 20_000, 'followed restart');
    follow.kill('SIGINT');
    expect(JSON.parse(await cli('status', 'chat', '--json'))[0].pid).not.toBe(status?.pid);

    // The token the server printed reached no face and no file of Portcullis.
    const printed = readFileSync(tokenFile, 'utf8');
    expect(printed.length).toBeGreaterThan(20);
    const seen = [followed, await cli('logs', 'chat', '--tail', '1000'), await cli('status', '--json'), await cli('ls', '--json'), readFileSync(join(home, 'logs', 'chat.log'), 'utf8'), readFileSync(join(home, 'config.json'), 'utf8')];
    for (const text of seen) expect(text).not.toContain(printed);
  }, 120_000);

  it('jobs show progress and their end; a crash loop fails and reset starts it again', async () => {
    const home = tempDir();
    await startServe(home);
    const run = (...args: string[]) => runCli(['--home', home, ...args]);
    expect((await run('add', 'train', '--job', '--', process.execPath, fixture('job.mjs'), '--steps', '5')).code).toBe(0);
    expect((await run('start', 'train')).code).toBe(0);
    const client = new ControlClient(controlSocketPath(home));
    await waitFor(async () => (await client.call('servers.get', { name: 'train' })).state === 'succeeded', 15_000, 'job done');
    const [done] = JSON.parse((await run('status', 'train', '--json')).stdout) as Array<{ state: string; progress: { fraction: number } | null; lastExit: { code: number } | null }>;
    if (!done) throw new Error('no status');
    expect(done.progress?.fraction).toBe(1);
    expect(done.lastExit?.code).toBe(0);

    expect((await run('add', 'crashy', '--restart-sec', '0.05', '--start-limit', '2', '--', process.execPath, fixture('crash.mjs'))).code).toBe(0);
    await run('start', 'crashy');
    await waitFor(async () => (await client.call('servers.get', { name: 'crashy' })).state === 'failed', 15_000, 'failed');
    const [failed] = JSON.parse((await run('status', 'crashy', '--json')).stdout) as Array<{ state: string; restarts: number; lastExit: { reason: string } }>;
    if (!failed) throw new Error('no status');
    expect(failed.restarts).toBe(1);
    expect(failed.lastExit.reason).toMatch(/^start limit hit: 2 starts within 60 s/);
    const reset = await run('reset', 'crashy');
    expect(reset.code).toBe(0);
    expect(reset.stdout).toMatch(/^crashy \w+ \(pid \d+\)/);
    await run('stop', 'crashy');
  }, 120_000);

  it('bad flags are usage errors that say what to write', async () => {
    const home = tempDir();
    await startServe(home);
    const bad = await runCli(['--home', home, 'add', 'x', '--restart', 'sometimes', '--', 'node']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--restart takes no, on-failure or always, not "sometimes"');
    const unknown = await runCli(['--home', home, 'add', 'x', '--profile', 'nginx']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown profile "nginx"; choose one of: picochat-web');
    const sec = await runCli(['--home', home, 'add', 'x', '--restart-sec', 'soon', '--', 'node']);
    expect(sec.stderr).toContain('--restart-sec takes seconds, such as 1 or 0.5, not "soon"');
  }, 60_000);
});
