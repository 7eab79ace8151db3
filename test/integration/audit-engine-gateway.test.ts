import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listJournalFiles } from '../../main/core/audit/files.js';
import type { AuditRecord } from '../../main/core/contract/audit.js';
import { hasTestKeyring, noKeyringReason, startKeyringEngine } from '../helpers/keyring.js';
import { fixture } from '../helpers/paths.js';
import { freePort } from '../helpers/ports.js';
import { tempDir } from '../helpers/tmp.js';
import { waitFor } from '../helpers/wait.js';

function get(port: number, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.2', port, path: '/v1/models', headers: { host: `127.0.0.2:${port}`, ...headers }, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

describe.skipIf(!hasTestKeyring)(`the whole engine: gateway requests in the journal (${hasTestKeyring ? 'private keyring' : noKeyringReason})`, () => {
  it("records the panel's gateway traffic live on the event bus and in the journal, with token label or reason", async () => {
    const home = tempDir('pc-audit-eg-');
    const engine = await startKeyringEngine(home);
    const live: AuditRecord[] = [];
    engine.panel.bus.subscribe((event, payload) => {
      if (event === 'audit.records') live.push(...(payload as { records: AuditRecord[] }).records);
    });
    const port = await freePort();
    await engine.call('servers.add', { name: 'model', command: process.execPath, args: [fixture('http-server.mjs'), '--port', String(port)], port, health: { path: '/healthz' } });
    await engine.call('servers.start', { name: 'model' });
    const exposed = await engine.call('exposure.expose', { name: 'model', mode: 'lan', bind: '127.0.0.2' });
    const secret = exposed.createdToken?.secret as string;
    const gatewayPort = exposed.exposure.port as number;

    await waitFor(async () => (await get(gatewayPort, { authorization: `Bearer ${secret}` })) === 200, 10_000, 'the upstream through the gateway');
    const allowed = await waitFor(() => live.find((r) => r.kind === 'access' && r.outcome === 'ok'), 20_000, 'the allowed request on the bus');
    expect(allowed).toMatchObject({ server: 'model', actor: { kind: 'client', address: '127.0.0.1', tokenLabel: exposed.createdToken?.label }, params: { path: '/v1/models', status: 200 } });

    expect(await get(gatewayPort)).toBe(401);
    const denied = await waitFor(() => live.find((r) => r.kind === 'access' && r.outcome === 'denied'), 20_000, 'the denied request on the bus');
    expect(denied.reason).toBeTruthy();

    const page = await engine.call('audit.query', { server: 'model', limit: 50 });
    const actions = page.records.map((r) => r.action);
    expect(actions).toEqual(expect.arrayContaining(['server.add', 'server.start', 'exposure.expose', 'gateway.request']));
    expect(page.records.find((r) => r.action === 'exposure.expose')).toMatchObject({ kind: 'control', actor: { kind: 'cli', user: 'test' }, outcome: 'ok', from: 'local', to: 'lan' });
    await engine.close();
    const text = listJournalFiles(join(home, 'audit')).map((f) => readFileSync(f.path, 'utf8')).join('');
    expect(text).not.toContain(secret);
  }, 60_000);
});
