import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { quarantineCorruptSettings } from '../../main/core/settings/quarantine.js';
import { openConfBackend } from '../../main/core/settings/conf-backend.js';
import { Settings } from '../../main/core/settings/store.js';
import { tempDir } from '../helpers/tmp.js';

const definition = { id: 'id-1', createdAt: '2026-01-01T00:00:00.000Z', name: 'web', command: 'node', args: [], env: {}, stopTimeoutMs: 10_000 };

describe('settings', () => {
  it('persists a change atomically and reads it back in a new store', () => {
    const home = tempDir();
    const settings = new Settings(openConfBackend(home));
    settings.update((d) => {
      d.servers.push(definition);
    });
    const again = new Settings(openConfBackend(home));
    expect(again.get().servers).toMatchObject([definition]);
    expect(readdirSync(home).filter((f) => f.includes('tmp'))).toEqual([]);
  });

  it('applies nothing when a change does not validate', () => {
    const home = tempDir();
    const settings = new Settings(openConfBackend(home));
    const before = readFileSync(join(home, 'config.json'), 'utf8');
    expect(() =>
      settings.update((d) => {
        d.servers.push({ ...definition, name: '' });
      }),
    ).toThrow(/settings\.servers\.0\.name/);
    expect(settings.get().servers).toEqual([]);
    expect(readFileSync(join(home, 'config.json'), 'utf8')).toBe(before);
  });

  it.each([
    ['broken JSON', '{"servers": [', /not valid JSON/],
    ['a wrong shape', JSON.stringify({ servers: [{ name: 'x' }] }), /servers\.0/],
  ])('moves a settings file with %s aside and says where', (_what, content, reason) => {
    const home = tempDir();
    const file = join(home, 'config.json');
    writeFileSync(file, content);
    const warning = quarantineCorruptSettings(file, new Date('2026-11-22T10:00:00.000Z'));
    const aside = join(home, 'config.corrupt-2026-11-22T10-00-00-000Z.json');
    expect(warning).toMatch(reason);
    expect(warning).toContain(aside);
    expect(readFileSync(aside, 'utf8')).toBe(content);
    expect(existsSync(file)).toBe(false);
    expect(new Settings(openConfBackend(home)).get().servers).toEqual([]);
  });

  it('leaves a good settings file alone', () => {
    const home = tempDir();
    new Settings(openConfBackend(home)).update((d) => void d.servers.push(definition));
    expect(quarantineCorruptSettings(join(home, 'config.json'))).toBeNull();
    expect(readdirSync(home).some((f) => f.includes('corrupt'))).toBe(false);
  });
});
