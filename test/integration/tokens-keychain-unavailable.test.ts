import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CallError, ControlClient } from '../../main/core/control/client.js';
import { controlSocketPath } from '../../main/core/home.js';
import { runCli } from '../helpers/cli.js';
import { cliBin } from '../helpers/paths.js';
import { freePort } from '../helpers/ports.js';
import { tempDir } from '../helpers/tmp.js';
import { waitFor } from '../helpers/wait.js';

/** `portcullis serve` with its session bus pointing nowhere: keytar cannot reach a Secret Service. */
async function serveWithoutKeychain(home: string): Promise<() => Promise<void>> {
  const env: NodeJS.ProcessEnv = { ...process.env, DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/portcullis-test-bus' };
  delete env.DISPLAY;
  const child = spawn(process.execPath, [cliBin, 'serve', '--home', home], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d));
  child.stderr.on('data', (d: Buffer) => (out += d));
  await waitFor(() => out.includes('Portcullis ready'), 20_000, `serve to be ready (output: ${out})`);
  return () =>
    new Promise((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('close', () => resolve());
      child.kill('SIGTERM');
    });
}

function everyFile(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    const stat = statSync(path);
    if (stat.isDirectory()) return everyFile(path);
    return stat.isFile() ? [path] : [];
  });
}

describe('keychain unavailable (no Secret Service on the session bus)', { timeout: 60_000 }, () => {
  const home = tempDir();
  const cli = (...args: string[]) => runCli(['--home', home, ...args]);
  let stop: () => Promise<void> = async () => undefined;

  beforeAll(async () => {
    stop = await serveWithoutKeychain(home);
    const port = await freePort();
    expect((await cli('add', 'demo', '--port', String(port), '--', process.execPath, '-e', 'setInterval(() => {}, 1000)')).code).toBe(0);
  });
  afterAll(() => stop());

  it('token create is refused with the cause and the fix', async () => {
    const result = await cli('token', 'create', 'demo', '--label', 'laptop', '--show');
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/keychain unavailable: no D-Bus session bus, so no Secret Service — .*gnome-keyring or KWallet/);
    const status = await cli('token', 'keychain');
    expect(status.code).toBe(1);
    expect(status.stderr).toContain('keychain unavailable');
  });

  it('exposure is refused and the server stays local', async () => {
    const client = new ControlClient(controlSocketPath(home));
    const refusal = await client.call('exposure.expose', { name: 'demo', mode: 'lan', bind: '127.0.0.1' }).catch((err: unknown) => err);
    expect(refusal).toBeInstanceOf(CallError);
    expect((refusal as CallError).shape).toMatchObject({ code: 'unavailable', message: expect.stringContaining('keychain unavailable') });
    expect((await client.call('exposure.get', { name: 'demo' })).mode).toBe('local');
  });

  it('nothing fell back to disk: no token anywhere under the home, none in settings', async () => {
    const settings = JSON.parse(readFileSync(join(home, 'config.json'), 'utf8')) as { tokens?: { client: unknown[] } };
    expect(settings.tokens?.client ?? []).toEqual([]);
    for (const file of everyFile(home)) {
      if (file.endsWith('.sock')) continue;
      expect(readFileSync(file).toString('latin1'), file).not.toMatch(/pcs_[A-Za-z0-9_-]{43}/);
    }
  });
});
