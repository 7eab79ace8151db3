import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fromProfile, requireProfile, upstreamAuthHeader } from '../../main/core/profiles/index.js';
import { freePort } from '../helpers/ports.js';
import { waitFor } from '../helpers/wait.js';
import { alive, definition, harness } from './supervisor-helpers.js';

const JUPYTER = '/usr/bin/jupyter-notebook';

function get(port: number, path: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers, agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('supervisor: a real Jupyter Notebook (Debian)', { timeout: 90_000 }, () => {
  it('starts it on loopback with its token from the environment, sees it healthy, stops it cleanly', async () => {
    // CI installs it (.ci/run); without it this test must fail, not pass quietly.
    expect(existsSync(JUPYTER), `${JUPYTER} is missing: apt-get install jupyter-notebook python3-ipykernel`).toBe(true);
    const token = `jt-${Math.random().toString(36).slice(2)}${Date.now().toString(36)}`;
    // The token reaches Jupyter the way the tokens module passes it: per start, in the environment.
    const h = harness({ extraEnv: () => ({ JUPYTER_TOKEN: token }), knownSecrets: () => [token] });
    const port = await freePort();
    const profile = requireProfile('jupyter');
    const filled = fromProfile(profile, {
      command: JUPYTER,
      args: process.getuid?.() === 0 ? ['--allow-root'] : [],
      env: { JUPYTER_RUNTIME_DIR: join(h.home, 'rt'), JUPYTER_DATA_DIR: join(h.home, 'data'), JUPYTER_CONFIG_DIR: join(h.home, 'cfg'), HOME: h.home },
      port,
    });
    const def = definition({ name: 'notebook', ...filled, cwd: h.home, health: { path: profile.healthPath as string, intervalMs: 500, timeoutMs: 2_000 } });
    expect(def.args).toEqual(['--no-browser', '--ip', '127.0.0.1', '--port', '{port}', ...(process.getuid?.() === 0 ? ['--allow-root'] : [])]);
    expect(JSON.stringify(def)).not.toContain(token);
    h.supervisor.define(def);
    const runtime = h.supervisor.byName('notebook');
    await runtime.start();

    const healthy = await waitFor(() => (runtime.view().health.status === 'healthy' && runtime.view().listening.length > 0 ? runtime.view() : undefined), 60_000, 'jupyter healthy');
    expect(healthy.state).toBe('running');
    expect(healthy.health.version).toMatch(/^\d+\.\d+/);
    expect(healthy.bindWarning).toBeNull();
    expect(healthy.listening.every((s) => s.loopback)).toBe(true);
    expect(healthy.listening.some((s) => s.port === port)).toBe(true);

    // The token from the environment is the one Jupyter enforces, in the profile's header.
    const auth = upstreamAuthHeader(profile, token) as { header: string; value: string };
    expect(auth).toEqual({ header: 'authorization', value: `token ${token}` });
    expect(await get(port, '/api/status', { [auth.header]: auth.value })).toBe(200);
    expect(await get(port, '/api/status')).toBe(403);

    const pid = healthy.pid as number;
    await runtime.stop();
    const stopped = runtime.view();
    expect(stopped.state).toBe('stopped');
    expect(stopped.lastExit?.reason).toMatch(/^stopped on request \((exited with code 0|killed by SIGTERM)\)$/);
    expect(alive(pid)).toBe(false);
    await expect(get(port, '/api')).rejects.toThrow(/ECONNREFUSED/);

    // Jupyter prints its URLs with `?token=`: none of it is kept or shown.
    const stored = [JSON.stringify(h.lines), JSON.stringify(h.views), ...readdirSync(join(h.home, 'logs')).map((f) => readFileSync(join(h.home, 'logs', f), 'utf8'))].join('\n');
    expect(stored).not.toContain(token);
    expect(h.lines.some((l) => l.text.includes('?token=‹redacted›'))).toBe(true);
  });
});
