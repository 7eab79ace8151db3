import { describe, expect, it } from 'vitest';
import { fixture } from '../helpers/paths.js';
import { waitFor } from '../helpers/wait.js';
import { alive, definition, harness } from './supervisor-helpers.js';

describe('supervisor: stopping', { timeout: 90_000 }, () => {
  it('kills a server that ignores SIGTERM after its stop timeout, grandchildren included', async () => {
    const h = harness();
    h.supervisor.define(
      definition({ name: 'stubborn', command: process.execPath, args: [fixture('ignore-sigterm.mjs'), '--grandchildren', '2'], stopTimeoutMs: 500 }),
    );
    const runtime = h.supervisor.byName('stubborn');
    await runtime.start();
    const pid = runtime.view().pid as number;
    const grandchildren = await waitFor(() => {
      const found = h.lines.filter((l) => l.text.startsWith('grandchild ')).map((l) => Number(l.text.split(' ')[1]));
      return found.length === 2 && h.lines.some((l) => l.text.includes('ready')) ? found : undefined;
    }, 20_000, 'grandchildren');
    expect([pid, ...grandchildren].every(alive)).toBe(true);

    await runtime.stop();

    expect(runtime.view().state).toBe('stopped');
    expect([pid, ...grandchildren].filter(alive)).toEqual([]);
    const texts = h.lines.map((l) => l.text).concat(runtime.logTail(100).map((l) => l.text));
    expect(texts.some((t) => t.includes('ignoring SIGTERM'))).toBe(true);
    expect(texts.some((t) => /still running 500 ms after SIGTERM; sending SIGKILL/.test(t))).toBe(true);
    expect(runtime.view().lastExit?.reason).toMatch(/^stopped on request \(killed by SIGKILL\)/);
  });

  it('a crashed leader takes the rest of its group with it: nothing is left holding the port', async () => {
    const h = harness();
    h.supervisor.define(
      definition({ name: 'leaky', command: '/bin/sh', args: ['-c', `${process.execPath} ${fixture('ignore-sigterm.mjs')} --child & echo "grandchild $!"; sleep 0.3; exit 3`], restart: { policy: 'no' } }),
    );
    const runtime = h.supervisor.byName('leaky');
    await runtime.start();
    const grandchild = await waitFor(() => {
      const line = h.lines.find((l) => l.text.startsWith('grandchild '));
      return line ? Number(line.text.split(' ')[1]) : undefined;
    }, 20_000, 'grandchild');
    await waitFor(() => runtime.view().state === 'failed', 20_000, 'failed');
    expect(runtime.view().lastExit?.reason).toBe('exited with code 3');
    await waitFor(() => !alive(grandchild), 5_000, 'grandchild gone');
  });
});
