import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { upstreamAccount } from '../../main/core/secrets/accounts.js';
import { hasTestKeyring, noKeyringReason, secretToolLookup, startKeyringEngine, type KeyringEngine } from '../helpers/keyring.js';
import { freePort } from '../helpers/ports.js';
import { waitFor } from '../helpers/wait.js';

const describeKeyring = hasTestKeyring ? describe : describe.skip;
if (!hasTestKeyring) console.warn(`tokens-upstream: skipped, ${noKeyringReason}`);

const procEnv = (pid: number): string[] => readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
const procArgv = (pid: number): string => readFileSync(`/proc/${pid}/cmdline`, 'utf8');

function status(port: number, path: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path, headers, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', () => resolve(0));
    req.end();
  });
}

async function upstreamSecret(engine: KeyringEngine, name: string): Promise<string | null> {
  const id = (await engine.call('servers.get', { name })).id;
  return secretToolLookup(upstreamAccount(readFileSync(join(engine.home, 'home-id'), 'utf8').trim(), id));
}

// A server that checks its own token, read from DEMO_TOKEN, like palinode or vLLM do.
const checking = `
require('http').createServer((req, res) => {
  res.statusCode = req.headers.authorization === 'Bearer ' + process.env.DEMO_TOKEN ? 200 : 401;
  res.end();
}).listen(Number(process.argv[1]), '127.0.0.1');
`;

describeKeyring("servers' own tokens, passed through the environment", () => {
  it('a plain command gets its token in the variable it reads, never in argv; rotating restarts it after confirmation', async () => {
    const engine = await startKeyringEngine();
    const port = await freePort();
    await engine.call('servers.add', { name: 'api', command: process.execPath, args: ['-e', checking, String(port)], port });
    const view = await engine.call('tokens.upstream.set', { server: 'api', env: 'DEMO_TOKEN' });
    expect(view).toMatchObject({ env: 'DEMO_TOKEN', header: 'Authorization', scheme: 'Bearer' });
    const secret = await upstreamSecret(engine, 'api');
    expect(secret).toMatch(/^pcs_/);
    expect(view.fingerprint).toMatch(/^[a-f0-9]{8}$/);

    const started = await engine.call('servers.start', { name: 'api' });
    const pid = started.pid as number;
    expect(procEnv(pid)).toContain(`DEMO_TOKEN=${secret}`);
    expect(procArgv(pid)).not.toContain(secret as string);
    await waitFor(async () => (await status(port, '/', { authorization: `Bearer ${secret}` })) === 200, 10_000, 'the server to accept its token');
    expect(await status(port, '/', {})).toBe(401);

    await expect(engine.call('tokens.upstream.rotate', { server: 'api' })).rejects.toMatchObject({ code: 'conflict', message: expect.stringContaining('confirm with --yes') });
    expect(await upstreamSecret(engine, 'api')).toBe(secret);

    const rotated = await engine.call('tokens.upstream.rotate', { server: 'api', confirm: true });
    expect(rotated.restarted).toBe(true);
    expect(rotated.upstream.fingerprint).not.toBe(view.fingerprint);
    const next = await upstreamSecret(engine, 'api');
    expect(next).not.toBe(secret);
    const newPid = (await engine.call('servers.get', { name: 'api' })).pid as number;
    expect(newPid).not.toBe(pid);
    expect(procEnv(newPid)).toContain(`DEMO_TOKEN=${next}`);
    await waitFor(async () => (await status(port, '/', { authorization: `Bearer ${next}` })) === 200, 10_000, 'the new token to be accepted');
    expect(await status(port, '/', { authorization: `Bearer ${secret}` })).toBe(401);
  });

  it('Jupyter (its profile) starts with JUPYTER_TOKEN from the keychain and accepts only that token', async () => {
    const engine = await startKeyringEngine();
    const port = await freePort();
    const args = process.getuid?.() === 0 ? ['--allow-root'] : [];
    await engine.call('servers.add', { name: 'lab', profile: 'jupyter', command: '/usr/bin/jupyter-notebook', args, port });
    expect(await engine.call('tokens.upstream.get', { server: 'lab' })).toMatchObject({ env: 'JUPYTER_TOKEN', header: 'authorization', scheme: 'token' });
    // The token is made ahead of the start (the supervisor reads it synchronously).
    const secret = await waitFor(() => upstreamSecret(engine, 'lab'), 10_000, 'the upstream token');
    const started = await engine.call('servers.start', { name: 'lab' });
    expect(procEnv(started.pid as number)).toContain(`JUPYTER_TOKEN=${secret}`);
    await waitFor(async () => (await status(port, '/api/status', { authorization: `token ${secret}` })) === 200, 30_000, 'Jupyter to accept its token');
    expect(await status(port, '/api/status', { authorization: 'token wrong' })).toBe(403);
    const logs = await engine.call('servers.logs', { name: 'lab', tail: 1000 });
    expect(JSON.stringify(logs)).not.toContain(secret as string);
    await engine.call('servers.stop', { name: 'lab' });
  }, 60_000);
});
