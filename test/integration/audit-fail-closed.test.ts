import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasTestKeyring, noKeyringReason, startKeyringEngine } from '../helpers/keyring.js';
import { fixture } from '../helpers/paths.js';
import { freePort } from '../helpers/ports.js';
import { tempDir } from '../helpers/tmp.js';

describe.skipIf(!hasTestKeyring)(`fail closed on an unwritable journal (${hasTestKeyring ? 'private keyring' : noKeyringReason})`, () => {
  it('locks down a public exposure once its requests can no longer be recorded', async () => {
    const home = tempDir('pc-audit-fc-');
    mkdirSync(home, { recursive: true });
    // A 1 MB journal file, so the traffic below soon needs a new one.
    writeFileSync(join(home, 'config.json'), JSON.stringify({ audit: { maxFileMB: 1 } }));
    const engine = await startKeyringEngine(home);
    const port = await freePort();
    await engine.call('servers.add', { name: 'model', command: process.execPath, args: [fixture('http-server.mjs'), '--port', String(port)], port });
    await engine.call('servers.start', { name: 'model' });
    const exposed = await engine.call('exposure.expose', { name: 'model', mode: 'public', bind: '127.0.0.2', confirm: true });
    const gatewayPort = exposed.exposure.port as number;
    const secret = exposed.createdToken?.secret as string;

    // The journal's folder is taken away: the open file still takes lines, a new one cannot be made.
    renameSync(join(home, 'audit'), join(home, 'audit.moved'));
    writeFileSync(join(home, 'audit'), 'not a folder');

    const agent = new Agent({ keepAlive: true, maxSockets: 8 });
    const get = (): Promise<boolean> =>
      new Promise((resolve) => {
        const req = request(
          { host: '127.0.0.2', port: gatewayPort, path: '/v1/models', agent, headers: { host: `127.0.0.2:${gatewayPort}`, authorization: `Bearer ${secret}` } },
          (res) => {
            res.resume();
            res.on('end', () => resolve(true));
          },
        );
        // Refused or reset: the listener is gone.
        req.on('error', () => resolve(false));
        req.end();
      });
    let sent = 0;
    let open = true;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (open && sent < 20_000) {
          sent++;
          if (!(await get())) open = false;
        }
      }),
    );
    agent.destroy();
    expect(open).toBe(false);
    expect((await engine.call('exposure.get', { name: 'model' })).mode).toBe('local');
    expect(engine.panel.info().warnings.join('\n')).toMatch(/audit journal cannot be written .* public exposure was closed: model/);
  }, 120_000);
});
