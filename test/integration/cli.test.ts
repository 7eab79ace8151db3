import { spawn } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliBin, fixture } from '../helpers/paths.js';
import { runCli, startServe } from '../helpers/cli.js';
import { freePort } from '../helpers/ports.js';
import { tempDir } from '../helpers/tmp.js';

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('the portcullis CLI against a running serve', async () => {
  const home = tempDir();
  const served = await startServe(home);
  const cli = (...args: string[]) => runCli(['--home', home, ...args]);

  it('defines, starts, watches healthy, and stops a server', async () => {
    const port = await freePort();
    const added = await cli('add', 'web', '--port', String(port), '--health', '/healthz', '--env', 'GREETING=hi', '--', process.execPath, fixture('http-server.mjs'), '--port', String(port));
    expect(added).toMatchObject({ code: 0, stdout: 'added web\n' });

    const started = await cli('start', 'web', '--wait');
    expect(started.code).toBe(0);
    expect(started.stdout).toMatch(/web is healthy/);

    const status = await cli('status', '--json');
    expect(status.code).toBe(0);
    const [row] = JSON.parse(status.stdout) as Array<{ name: string; state: string; pid: number; port: number; health: { status: string; latencyMs: number } }>;
    expect(row).toMatchObject({ name: 'web', state: 'running', port, health: { status: 'healthy' } });
    expect(row?.health.latencyMs).toBeGreaterThanOrEqual(0);
    const pid = row?.pid as number;
    expect(alive(pid)).toBe(true);

    const stopped = await cli('stop', 'web');
    expect(stopped).toMatchObject({ code: 0, stdout: 'web stopped\n' });
    expect(alive(pid)).toBe(false);

    const listed = await cli('ls', '--json');
    expect(JSON.parse(listed.stdout)).toMatchObject([{ name: 'web', env: { GREETING: 'hi' }, port }]);
  });

  it('exits 1 from start --wait when the server cannot start, with the reason', async () => {
    expect((await cli('add', 'ghost', '--', 'no-such-command-xyz')).code).toBe(0);
    const started = await cli('start', 'ghost', '--wait');
    expect(started.code).toBe(1);
    expect(started.stderr).toMatch(/command not found: no-such-command-xyz/);
  });

  it.each([
    [['add', '', '--', 'node'], /name must not be empty/],
    [['add', 'web', '--', 'node'], /already exists/],
    [['add', 'p', '--port', '70000', '--', 'node'], /port must be between 1 and 65535/],
    [['add', 'p', '--env', 'A=B', '--env', '=C', '--', 'node'], /--env takes NAME=VALUE/],
    [['add', 'p'], /missing the command/],
  ])('refuses %j, naming the field, and stores nothing', async (args, message) => {
    const before = readFileSync(join(home, 'config.json'), 'utf8');
    const result = await cli(...args);
    expect([1, 2]).toContain(result.code);
    expect(result.stderr).toMatch(message);
    expect(readFileSync(join(home, 'config.json'), 'utf8')).toBe(before);
  });

  it('edits a definition: the restart policy at once, a bad value refused by name', async () => {
    const edited = await cli('edit', 'web', '--restart', 'always', '--restart-sec', '0.5', '--stop-timeout', '3');
    expect(edited).toMatchObject({ code: 0, stdout: 'changed web: restart, stopTimeoutMs\n' });
    const [def] = JSON.parse((await cli('ls', '--json')).stdout) as Array<{ restart: { policy: string; delayMs: number }; stopTimeoutMs: number }>;
    expect(def).toMatchObject({ restart: { policy: 'always', delayMs: 500 }, stopTimeoutMs: 3000 });
    const bad = await cli('edit', 'web', '--restart', 'sometimes');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--restart takes no, on-failure or always/);
    expect((await cli('edit', 'web')).stderr).toMatch(/nothing to change/);
  });

  it('answers usage errors with exit 2 and the usage', async () => {
    const result = await cli('start');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/usage: portcullis start NAME/);
    expect((await cli('frobnicate')).code).toBe(2);
  });

  it('refuses a second engine on the same home, naming the first', async () => {
    const second = await runCli(['serve', '--home', home]);
    expect(second.code).toBe(1);
    expect(second.stderr).toContain(`\`portcullis serve\` (pid ${served.child.pid}`);
  });

  it('stops its servers and exits 0 on SIGTERM', async () => {
    const port = await freePort();
    await cli('add', 'last', '--port', String(port), '--health', '/healthz', '--', process.execPath, fixture('http-server.mjs'), '--port', String(port));
    expect((await cli('start', 'last', '--wait')).code).toBe(0);
    const pid = (JSON.parse((await cli('status', 'last', '--json')).stdout) as Array<{ pid: number }>)[0]?.pid as number;
    expect(await served.stop()).toBe(0);
    expect(alive(pid)).toBe(false);
    const after = await cli('status');
    expect(after.code).toBe(3);
  });
});

describe('the CLI without a running Portcullis', () => {
  it('exits 3 and says how to start one', async () => {
    const home = tempDir();
    const result = await runCli(['--home', home, 'status']);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/no running Portcullis/);
    expect(result.stderr).toMatch(/portcullis serve/);
  });

  it('ends quietly, exit 0, when its reader stops early (`portcullis … | head`)', async () => {
    // Its stdout is a pipe whose reading end is already closed: every write fails with EPIPE.
    const child = spawn(process.execPath, [cliBin, 'help'], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });

  it('takes the home from PORTCULLIS_HOME', async () => {
    const home = tempDir();
    const result = await runCli(['ls'], { PORTCULLIS_HOME: home });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain(join(home, 'control.sock'));
  });
});

describe('a corrupt settings file', () => {
  it('is moved aside; serve starts with defaults and both serve and the CLI say so', async () => {
    const home = tempDir();
    writeFileSync(join(home, 'config.json'), '{"servers": [ {"name": ');
    const served = await startServe(home);
    const aside = readdirSync(home).find((f) => /^config\.corrupt-.*\.json$/.test(f));
    expect(aside).toBeDefined();
    expect(served.output()).toContain(aside as string);
    const status = await runCli(['--home', home, 'status']);
    expect(status.code).toBe(0);
    expect(status.stderr).toMatch(/could not be read/);
    expect(status.stderr).toContain(aside as string);
    expect(readFileSync(join(home, aside as string), 'utf8')).toBe('{"servers": [ {"name": ');
    await served.stop();
  });
});
