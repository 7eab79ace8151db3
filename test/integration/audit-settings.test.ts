import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { startTestEngine } from '../helpers/engine.js';
import { tempDir } from '../helpers/tmp.js';

describe('audit settings', () => {
  it('shows and changes rotation and retention, refuses bad values naming the field, and records the change', { timeout: 60_000 }, async () => {
    const home = tempDir('pc-audit-set-');
    const engine = await startTestEngine(home);
    expect(await engine.call('audit.settings', {})).toEqual({ maxFileMB: 20, retentionDays: 90, dir: `${home}/audit` });

    await expect(engine.call('audit.updateSettings', { retentionDays: 0 })).rejects.toMatchObject({ code: 'invalid_args', field: 'retentionDays' });
    await expect(engine.call('audit.updateSettings', {})).rejects.toThrow('give maxFileMB, retentionDays or both');

    const changed = await runCli(['--home', home, 'audit', 'settings', '--retention-days', '30', '--max-file-mb', '5']);
    expect(changed.code).toBe(0);
    expect(changed.stdout).toBe(`journal: ${home}/audit\nnew file every: 5 MB\nkept for: 30 days\n`);
    const bad = await runCli(['--home', home, 'audit', 'settings', '--retention-days', 'soon']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--retention-days must be a whole number');

    const [record] = (await engine.call('audit.query', { action: 'settings.change', limit: 1 })).records;
    expect(record).toMatchObject({ kind: 'control', actor: { kind: 'cli' }, params: { key: 'audit' }, from: { maxFileMB: 20, retentionDays: 90 }, to: { maxFileMB: 5, retentionDays: 30 } });
    // Kept across a restart.
    await engine.close();
    const again = await startTestEngine(home);
    expect(await again.call('audit.settings', {})).toMatchObject({ maxFileMB: 5, retentionDays: 30 });
  });
});
