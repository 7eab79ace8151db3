import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixture } from '../helpers/paths.js';
import { waitFor } from '../helpers/wait.js';
import { definition, harness } from './supervisor-helpers.js';

describe('supervisor: crash loop', { timeout: 90_000 }, () => {
  it('restarts with growing delays, gives up as failed at the start limit, and reset starts it again', async () => {
    const h = harness();
    const fixed = join(h.home, 'fixed');
    h.supervisor.define(
      definition({
        name: 'crasher',
        command: process.execPath,
        args: [fixture('crash.mjs'), '--unless', fixed],
        restart: { delayMs: 100, maxDelayMs: 5_000, burst: 4, intervalMs: 60_000 },
      }),
    );
    const runtime = h.supervisor.byName('crasher');
    await runtime.start();

    const failed = await waitFor(() => (h.latest('crasher')?.state === 'failed' ? h.latest('crasher') : undefined), 20_000, 'failed');
    // Four starts allowed in the interval: three automatic restarts, each delay longer than the last.
    const delays = h.restarts.map((r) => r.delayMs);
    expect(delays).toHaveLength(3);
    expect(delays[1]).toBeGreaterThan(delays[0] as number);
    expect(delays[2]).toBeGreaterThan(delays[1] as number);
    expect(delays[0]).toBeGreaterThanOrEqual(100);
    expect(h.restarts.every((r) => r.reason === 'exited with code 1')).toBe(true);
    expect(h.views.some((v) => v.name === 'crasher' && v.state === 'backoff' && v.nextStartAt !== null)).toBe(true);
    expect(failed?.lastExit?.reason).toMatch(/start limit hit: 4 starts within 60 s; last exit: exited with code 1/);
    expect(failed?.pid).toBeNull();
    expect(h.audits.map((a) => a.action)).toContain('server.failed');
    expect(h.audits.filter((a) => a.action === 'server.restart')).toHaveLength(3);

    // It stays failed: nothing restarts it on its own.
    const startsBefore = h.lines.filter((l) => l.text.startsWith('started pid')).length;
    expect(startsBefore).toBe(4);

    // The user fixes the cause and resets: it starts again and stays up.
    writeFileSync(fixed, '');
    await runtime.reset();
    const view = runtime.view();
    expect(view.state).toBe('running');
    expect(view.restarts).toBe(0);
    expect(view.pid).toBeGreaterThan(0);
    await waitFor(() => h.lines.some((l) => l.text === 'fixed: staying up'), 20_000, 'fixed output');
    await runtime.stop();
    expect(runtime.view().state).toBe('stopped');
  });

  it('with a cool-down set, a failed server is tried again on its own', async () => {
    const h = harness();
    h.supervisor.define(
      definition({ name: 'cool', command: process.execPath, args: [fixture('crash.mjs')], restart: { delayMs: 50, burst: 1, cooldownMs: 1_000 } }),
    );
    await h.supervisor.byName('cool').start();
    const failed = await waitFor(() => (h.latest('cool')?.state === 'failed' ? h.latest('cool') : undefined), 20_000, 'failed');
    expect(failed?.nextStartAt).not.toBeNull();
    // No user action: the cool-down starts it again (and it fails again, for the same reason).
    await waitFor(() => h.lines.filter((l) => l.text.startsWith('started pid')).length >= 2, 20_000, 'second start after the cool-down');
    expect(h.audits.filter((a) => a.action === 'server.failed').length).toBeGreaterThanOrEqual(1);
    await h.supervisor.byName('cool').stop();
    expect(h.supervisor.byName('cool').view().state).toBe('stopped');
  });
});
