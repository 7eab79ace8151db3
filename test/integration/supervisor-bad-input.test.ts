import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { definition, harness } from './supervisor-helpers.js';

describe('supervisor: definitions that cannot start', { timeout: 90_000 }, () => {
  const cases = [
    { what: 'a missing executable', def: { command: 'no-such-server-xyz' }, message: /^command not found: no-such-server-xyz/ },
    { what: 'a missing cwd', def: { command: '/bin/sh', cwd: '/nonexistent/dir' }, message: /^working directory not found: \/nonexistent\/dir/ },
    { what: 'an environment the OS refuses', def: { command: '/bin/sh', env: { HUGE: 'x'.repeat(200 * 1024) } }, message: /^unusable environment: HUGE is 204800 bytes/ },
  ];

  for (const c of cases) {
    it(`${c.what}: failed at once with a clear message, no crash loop`, async () => {
      const h = harness();
      h.supervisor.define(definition({ name: 'bad', args: [], ...c.def, restart: { delayMs: 10 } }));
      const runtime = h.supervisor.byName('bad');
      await expect(runtime.start()).rejects.toThrow(c.message);
      const view = runtime.view();
      expect(view.state).toBe('failed');
      expect(view.lastExit?.reason).toMatch(c.message);
      expect(view.pid).toBeNull();
      expect(h.restarts).toEqual([]);
      expect(h.views.filter((v) => v.state === 'backoff' || v.state === 'starting' || v.state === 'running')).toEqual([]);
      expect(h.audits.find((a) => a.action === 'server.failed')?.reason).toMatch(c.message);
    });
  }

  it('a file that is not executable: failed at once, and the message says how to fix it', async () => {
    const h = harness();
    const script = join(h.home, 'server.sh');
    writeFileSync(script, '#!/bin/sh\necho hi\n');
    chmodSync(script, 0o644);
    h.supervisor.define(definition({ name: 'noexec', command: script }));
    const runtime = h.supervisor.byName('noexec');
    await expect(runtime.start()).rejects.toThrow(`command is not executable: ${script}. Make it executable (chmod +x)`);
    expect(runtime.view().state).toBe('failed');
    expect(h.restarts).toEqual([]);
  });

  it('the value of an unusable variable is never repeated in the message', async () => {
    const h = harness();
    const secretish = `s3cr3t-${'y'.repeat(140 * 1024)}`;
    h.supervisor.define(definition({ name: 'big', command: '/bin/sh', env: { TOKEN: secretish } }));
    await expect(h.supervisor.byName('big').start()).rejects.toThrow(/^unusable environment: TOKEN is/);
    expect(JSON.stringify(h.supervisor.byName('big').view().lastExit)).not.toContain('s3cr3t');
  });
});
