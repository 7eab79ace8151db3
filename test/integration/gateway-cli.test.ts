/**
 * The exposure commands end to end: the real `portcullis` bin against a real engine with the
 * private test keyring, a real supervised server, and requests through the gateway.
 */
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { hasTestKeyring, noKeyringReason, startKeyringEngine } from '../helpers/keyring.js';
import { fixture } from '../helpers/paths.js';
import { freePort } from '../helpers/ports.js';
import { waitFor } from '../helpers/wait.js';
import { call } from './gateway-fixture.js';

const describeKeyring = hasTestKeyring ? describe : describe.skip;
if (!hasTestKeyring) console.warn(`gateway-cli: skipped, ${noKeyringReason}`);

const refused = (host: string, port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const s = connect({ host, port });
    s.once('connect', () => {
      s.destroy();
      resolve(false);
    });
    s.once('error', () => resolve(true));
  });

interface StatusJson {
  name: string;
  pid: number;
  exposure: { mode: string; urls: string[]; expiresAt: string | null };
}

describeKeyring('portcullis expose / lockdown / interfaces', () => {
  it('exposes a running server on LAN with a minted token, shows it in status, and locks it down, never restarting it', async () => {
    const engine = await startKeyringEngine();
    const home = engine.home;
    const cli = (...args: string[]) => runCli(['--home', home, ...args]);
    const upstreamPort = await freePort();
    await engine.call('servers.add', { name: 'llm', command: process.execPath, args: [fixture('http-server.mjs'), '--port', String(upstreamPort)], port: upstreamPort });
    await engine.call('servers.start', { name: 'llm' });
    const pid = (await engine.call('servers.get', { name: 'llm' })).pid;

    const ifaces = await cli('interfaces');
    expect(ifaces.code).toBe(0);
    expect(ifaces.stdout).toMatch(/lo\s+127\.0\.0\.1\/8\s+loopback/);

    const noYes = await cli('expose', 'llm', '--mode', 'public', '--bind', '127.0.0.3');
    expect(noYes.code).toBe(1);
    expect(noYes.stderr).toContain('--yes');
    expect(await engine.call('exposure.get', { name: 'llm' })).toMatchObject({ mode: 'local' });

    const badFor = await cli('expose', 'llm', '--mode', 'lan', '--bind', '127.0.0.2', '--for', '5 minutes');
    expect(badFor.code).toBe(2);
    expect(badFor.stderr).toContain('--for must be a duration');
    // Refused by the engine, named as the flag the user typed.
    const tooShort = await cli('expose', 'llm', '--mode', 'lan', '--bind', '127.0.0.2', '--for', '0s');
    expect(tooShort.code).toBe(2);
    expect(tooShort.stderr).toContain('portcullis: --for: duration must be at least 1 second');
    const badPort = await cli('expose', 'llm', '--mode', 'lan', '--bind', '127.0.0.2', '--port', '99999');
    expect(badPort.stderr).toContain('portcullis: --port must be between 1 and 65535');

    const port = await freePort('127.0.0.2');
    const exposed = await cli('expose', 'llm', '--mode', 'lan', '--bind', '127.0.0.2', '--port', String(port));
    expect(exposed.code).toBe(0);
    expect(exposed.stdout).toContain(`http://127.0.0.2:${port}/`);
    expect(exposed.stdout).toContain('until locked down');
    const secret = /shown only this once[^\n]*\n\s+(\S+)/.exec(exposed.stdout)?.[1] as string;
    expect(secret).toMatch(/^[A-Za-z0-9_-]{20,}/);

    await waitFor(async () => (await call(port, { path: '/v1/models', headers: { authorization: `Bearer ${secret}` } })).status === 200, 10_000, 'the gateway to forward');
    expect((await call(port, { path: '/v1/models' })).status).toBe(401);

    const status = JSON.parse((await cli('status', '--json')).stdout) as StatusJson[];
    expect(status[0]?.exposure).toEqual({ mode: 'lan', urls: [`http://127.0.0.2:${port}/`], expiresAt: null });
    // Exposure never restarts the server.
    expect(status[0]?.pid).toBe(pid);
    expect((await cli('status')).stdout).toMatch(new RegExp(`^llm\\s+running\\s+${pid}\\s.*\\slan http://127\\.0\\.0\\.2:${port}/\\s`, 'm'));

    // A new time box for the same listener says the connections stay (they do: gateway-streams).
    const retimed = await cli('expose', 'llm', '--mode', 'lan', '--bind', '127.0.0.2', '--for', '2h');
    expect(retimed.code).toBe(0);
    expect(retimed.stdout).toContain('Only the time box changed: the listener stayed open');
    expect(retimed.stdout).toContain(`http://127.0.0.2:${port}/`);

    const pub = await cli('expose', 'llm', '--mode', 'public', '--bind', '127.0.0.3', '--for', '30m', '--yes');
    expect(pub.code).toBe(0);
    // The token already existed: nothing new is shown; another listener, so nothing was kept.
    expect(pub.stdout).not.toContain('shown only this once');
    expect(pub.stdout).not.toContain('Only the time box changed');
    const after = JSON.parse((await cli('status', 'llm', '--json')).stdout) as StatusJson[];
    const expires = Date.parse(after[0]?.exposure.expiresAt as string);
    expect(expires - Date.now()).toBeGreaterThan(25 * 60_000);
    expect(expires - Date.now()).toBeLessThanOrEqual(30 * 60_000);
    expect(await refused('127.0.0.2', port)).toBe(true);

    const down = await cli('lockdown', '--all');
    expect(down.code).toBe(0);
    expect(down.stdout).toContain('locked down: llm');
    const publicPort = Number(new URL(after[0]?.exposure.urls[0] as string).port);
    expect(await refused('127.0.0.3', publicPort)).toBe(true);
    expect((JSON.parse((await cli('status', '--json')).stdout) as StatusJson[])[0]?.exposure).toEqual({ mode: 'local', urls: [], expiresAt: null });
    expect((await cli('status')).stdout).toMatch(/^llm\s+running\s.*\slocal\s/m);
    expect((await engine.call('servers.get', { name: 'llm' })).pid).toBe(pid);

    const again = await cli('lockdown', 'llm');
    expect(again.stdout).toContain('llm is local');
    expect((await cli('lockdown')).code).toBe(2);

    // `interfaces NAME` marks where `expose NAME --mode lan` goes without --bind: the address it
    // used last while the machine has it (lo's 127.0.0.1 is on every machine), and it does go there.
    const lo = await freePort('127.0.0.1');
    expect((await cli('expose', 'llm', '--mode', 'lan', '--bind', '127.0.0.1', '--port', String(lo))).code).toBe(0);
    await cli('lockdown', 'llm');
    expect((await cli('interfaces', 'llm')).stdout).toMatch(/^lo\s+127\.0\.0\.1\/8\s+loopback\s+\*$/m);
    const marked = JSON.parse((await cli('interfaces', 'llm', '--json')).stdout) as Array<{ address: string; lanDefault?: true }>;
    expect(marked.filter((i) => i.lanDefault).map((i) => i.address)).toEqual(['127.0.0.1']);
    const back = await cli('expose', 'llm', '--mode', 'lan');
    expect(back.code).toBe(0);
    expect(back.stdout).toContain(`http://127.0.0.1:${lo}/`);
    await cli('lockdown', 'llm');
    const unknown = await cli('interfaces', 'nosuch');
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toContain('nosuch');
  });

  it('answers to extra host names and believes a trusted proxy, on an open listener, once set with `portcullis gateway`', async () => {
    const engine = await startKeyringEngine();
    const cli = (...args: string[]) => runCli(['--home', engine.home, ...args]);
    const upstreamPort = await freePort();
    await engine.call('servers.add', { name: 'llm', command: process.execPath, args: [fixture('http-server.mjs'), '--port', String(upstreamPort)], port: upstreamPort });
    await engine.call('servers.start', { name: 'llm' });
    const port = await freePort('127.0.0.2');
    const exposed = await cli('expose', 'llm', '--mode', 'lan', '--bind', '127.0.0.2', '--port', String(port));
    const secret = /shown only this once[^\n]*\n\s+(\S+)/.exec(exposed.stdout)?.[1] as string;
    const viaName = () => call(port, { host: `gpu.lab.example:${port}`, path: '/v1/models', headers: { authorization: `Bearer ${secret}` } });
    const viaProxy = () => call(port, { from: '127.0.0.5', path: '/v1/models', headers: { authorization: `Bearer ${secret}`, 'x-forwarded-for': '198.51.100.7' } });
    await waitFor(async () => (await call(port, { path: '/v1/models', headers: { authorization: `Bearer ${secret}` } })).status === 200, 10_000, 'the gateway to forward');

    // Before: an unknown name is DNS rebinding as far as the gateway knows, and a client's own
    // X-Forwarded-For is not believed.
    expect((await viaName()).status).toBe(421);
    expect((await viaProxy()).status).toBe(200);

    const bad = await cli('gateway', '--host-name', 'http://gpu.lab.example:8080', '--trusted-proxy', '127.0.0.5');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--host-name: each host name must be a DNS name');
    expect(bad.stderr).toContain('without a scheme, port or path');
    const badProxy = await cli('gateway', '--trusted-proxy', 'proxy.lan');
    expect(badProxy.code).toBe(2);
    expect(badProxy.stderr).toContain('must be an IP address');
    // Nothing of a refused change is applied.
    expect(await engine.call('exposure.settings', {})).toMatchObject({ hostNames: [], trustedProxies: [] });

    const set = await cli('gateway', '--host-name', 'GPU.lab.example', '--trusted-proxy', '127.0.0.5');
    expect(set.code).toBe(0);
    expect(set.stdout).toContain('host names: gpu.lab.example');
    expect(set.stdout).toContain('trusted proxies: 127.0.0.5');

    // The URLs a client can use now include the name.
    expect((await engine.call('exposure.get', { name: 'llm' })).urls).toEqual([`http://127.0.0.2:${port}/`, `http://gpu.lab.example:${port}/`]);
    // The listener that was already open answers to the name and believes the proxy now.
    expect((await viaName()).status).toBe(200);
    expect((await viaProxy()).status).toBe(200);
    const [access] = (await engine.call('audit.query', { kind: 'access', limit: 1 })).records;
    expect(access?.actor).toMatchObject({ kind: 'client', address: '198.51.100.7' });
    const [change] = (await engine.call('audit.query', { action: 'settings.change', limit: 1 })).records;
    expect(change).toMatchObject({ kind: 'control', outcome: 'ok', params: { key: 'exposure' }, from: { hostNames: [], trustedProxies: [] }, to: { hostNames: ['gpu.lab.example'], trustedProxies: ['127.0.0.5'] } });
    const saved = JSON.parse(readFileSync(join(engine.home, 'config.json'), 'utf8')) as { exposure: unknown };
    expect(saved.exposure).toMatchObject({ hostNames: ['gpu.lab.example'], trustedProxies: ['127.0.0.5'] });

    const cleared = await cli('gateway', '--no-host-names', '--no-trusted-proxies', '--json');
    expect(JSON.parse(cleared.stdout)).toMatchObject({ hostNames: [], trustedProxies: [] });
    expect((await viaName()).status).toBe(421);
  });
});
