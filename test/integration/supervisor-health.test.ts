import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixture } from '../helpers/paths.js';
import { freePort } from '../helpers/ports.js';
import { waitFor } from '../helpers/wait.js';
import { definition, harness } from './supervisor-helpers.js';

const health = { path: '/healthz', intervalMs: 300, timeoutMs: 250, unhealthyAfter: 3 };

describe('supervisor: health', { timeout: 90_000 }, () => {
  it('a hung server turns unhealthy within three probe intervals', async () => {
    const h = harness();
    const port = await freePort();
    const hangWhen = join(h.home, 'hang');
    h.supervisor.define(
      definition({ name: 'hung', command: process.execPath, args: [fixture('hang-server.mjs'), '--port', String(port), '--hang-when', hangWhen], port, health }),
    );
    const runtime = h.supervisor.byName('hung');
    await runtime.start();
    await waitFor(() => runtime.view().health.status === 'healthy', 20_000, 'healthy');
    expect(runtime.view().state).toBe('running');

    writeFileSync(hangWhen, '');
    await waitFor(() => runtime.view().health.status === 'unhealthy', 20_000, 'unhealthy');
    // Counted in probes, not seconds: the change comes with the third failure in a row.
    const unhealthy = h.views.find((v) => v.name === 'hung' && v.health.status === 'unhealthy') as (typeof h.views)[number];
    expect(unhealthy.health.failures).toBe(3);
    expect(unhealthy.state).toBe('running');
    expect(unhealthy.health.detail).toMatch(/no answer within 250 ms/);
    expect(runtime.latency().some((p) => p.ms === null)).toBe(true);
    expect(runtime.latency().some((p) => p.ms !== null)).toBe(true);
  });

  it('a crash is known from the exit event, before any probe could tell', async () => {
    const h = harness();
    const port = await freePort();
    // A probe interval far longer than the test: only the exit event can report the crash.
    h.supervisor.define(
      definition({
        name: 'dies',
        command: process.execPath,
        args: [fixture('crash.mjs'), '--after', '300', '--code', '7'],
        port,
        health: { path: '/healthz', intervalMs: 600_000, timeoutMs: 200, unhealthyAfter: 100 },
        restart: { policy: 'no' },
      }),
    );
    const runtime = h.supervisor.byName('dies');
    await runtime.start();
    const crashed = await waitFor(() => (runtime.view().state === 'failed' ? runtime.view() : undefined), 20_000, 'crash seen');
    expect(crashed.lastExit).toMatchObject({ code: 7, reason: 'exited with code 7' });
    // No probe ever called it unhealthy: the crash was learnt from the exit, not from probes.
    expect(h.views.filter((v) => v.name === 'dies').every((v) => v.health.status === 'unknown')).toBe(true);
  });

  it('restarts a server after N failed probes when asked to', async () => {
    const h = harness();
    const port = await freePort();
    const hangWhen = join(h.home, 'hang');
    writeFileSync(hangWhen, '');
    h.supervisor.define(
      definition({
        name: 'revive',
        command: process.execPath,
        args: [fixture('hang-server.mjs'), '--port', String(port), '--hang-when', hangWhen],
        port,
        health: { ...health, restartAfterFailures: 2 },
        restart: { delayMs: 50 },
        stopTimeoutMs: 500,
      }),
    );
    const runtime = h.supervisor.byName('revive');
    await runtime.start();
    const event = await waitFor(() => h.restarts[0], 15_000, 'health restart');
    expect(event.reason).toMatch(/^unhealthy: 2 failed health checks in a row/);
    await runtime.stop();
  });
});
