import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listJournalFiles } from '../../main/core/audit/files.js';
import { startTestEngine } from '../helpers/engine.js';
import { fixture } from '../helpers/paths.js';
import { freePort } from '../helpers/ports.js';
import { tempDir } from '../helpers/tmp.js';

const stored = (home: string) => JSON.parse(readFileSync(join(home, 'config.json'), 'utf8')) as { servers: Array<Record<string, unknown>> };

describe('editing a server definition', async () => {
  const home = tempDir();
  const engine = await startTestEngine(home);
  const port = await freePort();
  await engine.call('servers.add', {
    name: 'api',
    command: process.execPath,
    args: [fixture('http-server.mjs'), '--port', String(port)],
    port,
    health: { path: '/healthz', intervalMs: 200 },
    env: { API_SECRET: 'do-not-log-me-4711' },
  });

  it('changes a stopped server, persists it, and records who changed what', async () => {
    const view = await engine.call('servers.update', { name: 'api', changes: { restart: { policy: 'always', delayMs: 500 }, stopTimeoutMs: 3000 } });
    expect(view.definition.restart).toMatchObject({ policy: 'always', delayMs: 500 });
    expect(stored(home).servers[0]).toMatchObject({ restart: { policy: 'always', delayMs: 500 }, stopTimeoutMs: 3000 });
    const [record] = (await engine.call('audit.query', { action: 'server.update', limit: 1 })).records;
    expect(record).toMatchObject({ kind: 'control', server: 'api', outcome: 'ok', params: { keys: expect.arrayContaining(['restart', 'stopTimeoutMs']) }, to: { restart: { policy: 'always' } } });
  });

  it('edits the restart policy a field at a time, keeping the rest', async () => {
    const view = await engine.call('servers.update', { name: 'api', changes: { restart: { policy: 'no' } } });
    expect(view.definition.restart).toMatchObject({ policy: 'no', delayMs: 500 });
    await engine.call('servers.update', { name: 'api', changes: { restart: { policy: 'always' } } });
  });

  it('refuses an invalid change naming the field, and changes nothing', async () => {
    const before = readFileSync(join(home, 'config.json'), 'utf8');
    await expect(engine.call('servers.update', { name: 'api', changes: { restart: { policy: 'sometimes' as 'always' } } })).rejects.toMatchObject({
      code: 'invalid_args',
      field: 'changes.restart.policy',
    });
    await expect(engine.call('servers.update', { name: 'api', changes: { port: 70000 } })).rejects.toMatchObject({ field: 'changes.port' });
    await expect(engine.call('servers.update', { name: 'api', changes: { colour: 'blue' } as never })).rejects.toMatchObject({ code: 'invalid_args' });
    // Valid alone, invalid together: a health check needs a port.
    await expect(engine.call('servers.update', { name: 'api', changes: { port: null } })).rejects.toMatchObject({ field: 'port' });
    expect(readFileSync(join(home, 'config.json'), 'utf8')).toBe(before);
  });

  it('lets the restart policy change while it runs, but not what shapes the process', async () => {
    await engine.call('servers.start', { name: 'api' });
    const live = await engine.call('servers.update', { name: 'api', changes: { restart: { policy: 'on-failure' } } });
    expect(live.definition.restart?.policy).toBe('on-failure');
    expect(live.state).not.toBe('stopped');
    const before = readFileSync(join(home, 'config.json'), 'utf8');
    await expect(engine.call('servers.update', { name: 'api', changes: { args: ['--other'] } })).rejects.toMatchObject({
      code: 'conflict',
      message: expect.stringMatching(/stop it before changing args/),
    });
    expect(readFileSync(join(home, 'config.json'), 'utf8')).toBe(before);
    await engine.call('servers.stop', { name: 'api' });
  });

  it('clears an optional setting with null', async () => {
    const view = await engine.call('servers.update', { name: 'api', changes: { health: null } });
    expect(view.definition.health).toBeUndefined();
    expect(stored(home).servers[0]?.health).toBeUndefined();
  });

  it('never writes an environment value to the journal', async () => {
    await engine.call('servers.update', { name: 'api', changes: { env: { API_SECRET: 'another-secret-0815' } } });
    const { dir } = await engine.call('audit.settings', {});
    const journal = listJournalFiles(dir)
      .map((f) => readFileSync(f.path, 'utf8'))
      .join('');
    expect(journal).toContain('API_SECRET');
    expect(journal).not.toContain('another-secret-0815');
    expect(journal).not.toContain('do-not-log-me-4711');
  });
});
