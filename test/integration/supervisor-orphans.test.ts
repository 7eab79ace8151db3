import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ControlClient } from '../../main/core/control/client.js';
import { controlSocketPath } from '../../main/core/home.js';
import { runCli, startServe, type Served } from '../helpers/cli.js';
import { fixture, repoRoot } from '../helpers/paths.js';
import { freePort } from '../helpers/ports.js';
import { tempDir } from '../helpers/tmp.js';
import { waitFor } from '../helpers/wait.js';
import { alive } from './supervisor-helpers.js';

// Needs the built CLI: `flock /tmp/pc-build.lock npm run build` (npm test builds first).

interface Status {
  name: string;
  state: string;
  pid: number | null;
  health: { status: string };
  adopted: boolean;
  lastExit: { reason: string } | null;
}

async function cli(home: string, ...args: string[]): Promise<string> {
  const r = await runCli(['--home', home, ...args]);
  if (r.code !== 0) throw new Error(`portcullis ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
  return r.stdout;
}

/** `status --json` through the CLI once per test; polling goes straight to the control socket (no node start per poll). */
const status = async (home: string): Promise<Status[]> => (await new ControlClient(controlSocketPath(home)).call('servers.list', {})) as Status[];
const records = (home: string): Array<{ name: string; pid: number; pgid: number }> => JSON.parse(readFileSync(join(home, 'children.json'), 'utf8'));

function killHard(served: Served): Promise<void> {
  return new Promise((resolve) => {
    served.child.once('exit', () => resolve());
    served.child.kill('SIGKILL');
  });
}

function setSupervisorSettings(home: string, section: Record<string, string>): void {
  const file = join(home, 'config.json');
  const config = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  writeFileSync(file, JSON.stringify({ ...config, supervisor: { ...(config.supervisor as object), ...section } }));
}

/** Every pid of `pids` still alive belongs to a server this Portcullis shows as running. */
async function nothingUnwatched(home: string, pids: number[]): Promise<void> {
  const watched = new Set((await status(home)).filter((s) => s.state === 'running' || s.state === 'starting').map((s) => s.pid));
  const stat = (pid: number): number => Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ')[2]);
  for (const pid of pids.filter(alive)) expect(watched.has(stat(pid)), `pid ${pid} runs unwatched`).toBe(true);
}

describe('supervisor: Portcullis killed with servers running', { timeout: 90_000 }, () => {
  it('re-adopts the survivors on the next start: watched, healthy, and stoppable with their children', async () => {
    const home = tempDir();
    const port = await freePort();
    const first = await startServe(home);
    // web logs a line on stdout and stderr every 20 ms: killed, Portcullis can hand nothing over.
    await cli(home, 'add', 'web', '--port', String(port), '--health', '/healthz', '--cwd', repoRoot, '--', process.execPath, fixture('http-server.mjs'), '--port', String(port), '--tick', '20');
    await cli(home, 'add', 'family', '--stop-timeout', '0.5', '--', process.execPath, fixture('ignore-sigterm.mjs'), '--grandchildren', '1');
    await cli(home, 'start', 'web', '--wait', '--timeout', '30');
    await cli(home, 'start', 'family');
    const grandchild = await waitFor(async () => {
      const m = /grandchild (\d+)/.exec(await cli(home, 'logs', 'family'));
      return m ? Number(m[1]) : undefined;
    }, 20_000, 'grandchild');
    const before = JSON.parse(await cli(home, 'status', '--json')) as Status[];
    const pids = [...before.map((s) => s.pid as number), grandchild];
    expect(records(home).map((r) => r.name).sort()).toEqual(['family', 'web']);

    await killHard(first);
    expect(pids.every(alive)).toBe(true);
    // Fifty more lines on each stream with nobody left from Portcullis to read them, and still answering.
    const ticks = async (): Promise<number> => ((await (await fetch(`http://127.0.0.1:${port}/ticks`)).json()) as { ticks: number }).ticks;
    const afterKill = await ticks();
    await waitFor(async () => (await ticks()) >= afterKill + 50, 20_000, 'web to keep printing after Portcullis was killed');
    expect(pids.every(alive)).toBe(true);

    await startServe(home);
    const after = await waitFor(async () => {
      const list = await status(home);
      return list.every((s) => s.adopted && s.state === 'running') && list.find((s) => s.name === 'web')?.health.status === 'healthy' ? list : undefined;
    }, 20_000, 're-adoption');
    expect(after.map((s) => s.pid).sort()).toEqual(before.map((s) => s.pid).sort());
    await nothingUnwatched(home, pids);
    expect((await runCli(['--home', home, 'status'])).stderr).toContain('and are watched again: web, family');
    expect(await cli(home, 'logs', 'family')).toMatch(/re-adopted pid \d+/);

    // An adopted server stops like any other: its group goes, SIGKILL after the timeout.
    await cli(home, 'stop', 'family');
    expect(alive(grandchild)).toBe(false);
    expect(alive(before.find((s) => s.name === 'family')?.pid as number)).toBe(false);

    // A crash of an adopted server is seen too (by polling: it is not our child).
    process.kill(before.find((s) => s.name === 'web')?.pid as number, 'SIGKILL');
    const web = await waitFor(async () => (await status(home)).find((s) => s.name === 'web' && s.state !== 'running' && s.state !== 'starting'), 20_000, 'crash seen');
    expect(web.lastExit?.reason).toMatch(/exit status is unknown: it was adopted/);
  }, 120_000);

  it('with the orphan policy "stop", the next start stops the survivors instead', async () => {
    const home = tempDir();
    const first = await startServe(home);
    await cli(home, 'add', 'family', '--stop-timeout', '0.5', '--', process.execPath, fixture('ignore-sigterm.mjs'), '--grandchildren', '2');
    await cli(home, 'start', 'family');
    const grandchildren = await waitFor(async () => {
      const found = [...(await cli(home, 'logs', 'family')).matchAll(/grandchild (\d+)/g)].map((m) => Number(m[1]));
      return found.length === 2 ? found : undefined;
    }, 20_000, 'grandchildren');
    const pid = (await status(home))[0]?.pid as number;
    await killHard(first);
    setSupervisorSettings(home, { orphans: 'stop' });

    await startServe(home);
    await waitFor(() => ![pid, ...grandchildren].some(alive), 20_000, 'survivors stopped');
    expect((await status(home))[0]).toMatchObject({ state: 'stopped', adopted: false, pid: null });
    expect((await runCli(['--home', home, 'status'])).stderr).toContain('were stopped (orphan policy "stop"): family');
    await waitFor(() => records(home).length === 0, 5_000, 'records cleared');
  }, 120_000);

  it('quitting with onQuit "leave" keeps servers running — logging ones too — for the next start to re-adopt', async () => {
    const home = tempDir();
    const port = await freePort();
    const first = await startServe(home);
    // It prints to stdout and stderr every 20 ms: with nobody reading its pipes after the quit
    // its next line would fail (EPIPE) and kill it.
    await cli(home, 'add', 'web', '--port', String(port), '--health', '/healthz', '--', process.execPath, fixture('http-server.mjs'), '--port', String(port), '--tick', '20');
    await cli(home, 'start', 'web', '--wait', '--timeout', '30');
    const pid = (await status(home))[0]?.pid as number;
    await new ControlClient(controlSocketPath(home)).call('servers.updateSettings', { onQuit: 'leave' });
    expect(await first.stop()).toBe(0);
    const ticks = async (): Promise<number> => ((await (await fetch(`http://127.0.0.1:${port}/ticks`)).json()) as { ticks: number }).ticks;
    const after = await ticks();
    // Fifty more lines on each stream with Portcullis gone, and still answering.
    await waitFor(async () => (await ticks()) >= after + 50, 20_000, 'the server to keep printing after the quit');
    expect(alive(pid)).toBe(true);

    const second = await startServe(home);
    await waitFor(async () => (await status(home))[0]?.adopted === true, 20_000, 'adopted');
    expect((await status(home))[0]?.pid).toBe(pid);
    await new ControlClient(controlSocketPath(home)).call('servers.updateSettings', { onQuit: 'stop' });
    expect(await second.stop()).toBe(0);
    expect(alive(pid)).toBe(false);
  }, 120_000);
});
