import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixture } from '../helpers/paths.js';
import { waitFor } from '../helpers/wait.js';
import { definition, harness } from './supervisor-helpers.js';

describe('supervisor: jobs', { timeout: 90_000 }, () => {
  it('reports progress parsed from the output, then succeeded with exit code and duration', async () => {
    const h = harness({ logBatchMs: 20 });
    const release = join(h.home, 'release');
    h.supervisor.define(
      definition({ name: 'train', kind: 'job', command: process.execPath, args: [fixture('job.mjs'), '--steps', '20', '--hold-at', '10', '--release', release] }),
    );
    const runtime = h.supervisor.byName('train');
    await runtime.start();
    const mid = await waitFor(() => (runtime.view().progress?.fraction === 0.5 ? runtime.view() : undefined), 20_000, 'half way');
    expect(mid.state).toBe('running');
    expect(mid.progress?.text).toMatch(/^(step 10\/20|50%)$/);
    writeFileSync(release, '');
    const done = await waitFor(() => (runtime.view().state === 'succeeded' ? runtime.view() : undefined), 20_000, 'succeeded');
    expect(done.progress?.fraction).toBe(1);
    expect(done.lastExit).toMatchObject({ code: 0, signal: null, reason: 'exited with code 0' });
    expect(done.lastExit?.durationMs).toBeGreaterThan(0);
    expect(h.restarts).toEqual([]);
  });

  it('a job that fails ends failed with its exit code and is not restarted by default', async () => {
    const h = harness();
    h.supervisor.define(definition({ name: 'broken', kind: 'job', command: process.execPath, args: [fixture('job.mjs'), '--steps', '3', '--code', '2'] }));
    const runtime = h.supervisor.byName('broken');
    await runtime.start();
    const done = await waitFor(() => (runtime.view().state === 'failed' ? runtime.view() : undefined), 20_000, 'failed');
    expect(done.lastExit).toMatchObject({ code: 2, reason: 'exited with code 2' });
    expect(done.progress?.fraction).toBe(1);
    expect(h.restarts).toEqual([]);
  });
});
