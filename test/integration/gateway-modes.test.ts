import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import type { NetworkInterfaceView } from '../../main/core/contract/exposure.js';
import { classifyAddress } from '../../main/core/gateway/interfaces.js';
import { freePort } from '../helpers/ports.js';
import { waitFor } from '../helpers/wait.js';
import { actor, bearer, call, startHarness } from './gateway-fixture.js';

const reachable = (host: string, port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const s = connect({ host, port });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });

describe('exposure modes', () => {
  it('lists interfaces with their kind, and classifies VPN, container and LAN addresses', async () => {
    const h = await startHarness();
    const list = h.exposure.listInterfaces();
    expect(list.find((i) => i.address === '127.0.0.1')).toMatchObject({ kind: 'loopback', label: 'loopback', family: 'IPv4' });
    expect(classifyAddress('tailscale0', '100.101.102.103')).toBe('vpn');
    expect(classifyAddress('eth0', '100.64.0.1')).toBe('vpn');
    expect(classifyAddress('wg0', '10.8.0.2')).toBe('vpn');
    expect(classifyAddress('docker0', '172.17.0.1')).toBe('container');
    expect(classifyAddress('br-0f3a9c', '172.18.0.1')).toBe('container');
    expect(classifyAddress('wlan0', '192.168.1.20')).toBe('lan');
    expect(classifyAddress('eth0', 'fd12:3456::1')).toBe('lan');
    expect(classifyAddress('eth0', '169.254.3.4')).toBe('link-local');
    expect(classifyAddress('eth0', '203.0.113.9')).toBe('other');
  });

  it('marks the LAN default — the address used last while the machine has it, else the first LAN, then VPN — and LAN without a bind goes there', async () => {
    const at = (name: string, address: string, kind: NetworkInterfaceView['kind'], family: NetworkInterfaceView['family'] = 'IPv4'): NetworkInterfaceView => ({ name, address, family, cidr: null, kind, label: kind });
    let known = [at('lo', '127.0.0.1', 'loopback'), at('lo', '127.0.0.2', 'loopback'), at('tailscale0', '100.101.102.103', 'vpn'), at('eth0', 'fd12::1', 'lan', 'IPv6'), at('wlan0', '192.168.1.20', 'lan')];
    const h = await startHarness({ deps: { interfaces: () => known } });
    const marked = (serverId?: string) => h.exposure.listInterfaces(serverId).filter((i) => i.lanDefault).map((i) => i.address);
    // Never exposed: the first IPv4 LAN address, for any server and for none.
    expect(marked()).toEqual(['192.168.1.20']);
    expect(marked(h.ids.alpha)).toEqual(['192.168.1.20']);
    // Used last time and still here: that one, for that server only.
    const port = await freePort('127.0.0.2');
    await h.exposure.expose({ name: 'alpha', mode: 'lan', bind: '127.0.0.2', port, confirm: false }, actor);
    await h.exposure.lockdown('alpha', actor);
    expect(marked(h.ids.alpha)).toEqual(['127.0.0.2']);
    expect(marked(h.ids.beta)).toEqual(['192.168.1.20']);
    // What is marked is what expose takes.
    const r = await h.exposure.expose({ name: 'alpha', mode: 'lan', confirm: false }, actor);
    expect(r.exposure).toMatchObject({ bind: '127.0.0.2', port });
    await h.exposure.lockdown('alpha', actor);
    // Gone from the machine: the next choice; no IPv4 LAN: an IPv6 one, then a VPN; none: nothing marked.
    known = known.filter((i) => i.address !== '127.0.0.2' && i.address !== '192.168.1.20');
    expect(marked(h.ids.alpha)).toEqual(['fd12::1']);
    known = known.filter((i) => i.kind !== 'lan');
    expect(marked(h.ids.alpha)).toEqual(['100.101.102.103']);
    known = known.filter((i) => i.kind !== 'vpn');
    expect(marked(h.ids.alpha)).toEqual([]);
    expect(h.exposure.listInterfaces(h.ids.alpha)).toHaveLength(1);
  });

  it('LAN mode binds the one chosen address and shows its URL; never every interface', async () => {
    const h = await startHarness();
    const port = await freePort('127.0.0.2');
    const r = await h.exposure.expose({ name: 'alpha', mode: 'lan', bind: '127.0.0.2', port, confirm: false }, actor);
    expect(r.exposure).toMatchObject({ server: 'alpha', mode: 'lan', bind: '127.0.0.2', port, urls: [`http://127.0.0.2:${port}/`], expiresAt: null });
    expect(await reachable('127.0.0.2', port)).toBe(true);
    // Bound to one address only: the same port on another loopback address is closed.
    expect(await reachable('127.0.0.3', port)).toBe(false);
    await expect(h.exposure.expose({ name: 'beta', mode: 'lan', bind: '0.0.0.0', confirm: false }, actor)).rejects.toMatchObject({ field: 'bind' });
    await expect(h.exposure.expose({ name: 'beta', mode: 'lan', bind: '203.0.113.9', confirm: false }, actor)).rejects.toThrow(/not an address of this machine/);
    await expect(h.exposure.expose({ name: 'beta', mode: 'lan', bind: 'my-laptop', confirm: false }, actor)).rejects.toThrow(/must be an IP address/);
    // The refused attempts changed nothing.
    expect(h.exposure.view(h.ids.beta as string, 'beta').mode).toBe('local');
    expect(h.audit.records.at(-1)).toMatchObject({ kind: 'control', action: 'exposure.expose', server: 'alpha', actor, outcome: 'ok', from: 'local', to: 'lan' });
  });

  it('refuses to expose when the keychain is unavailable, and opens nothing', async () => {
    const h = await startHarness();
    h.tokens.keychainAvailable = false;
    const port = await freePort('127.0.0.2');
    await expect(h.exposure.expose({ name: 'alpha', mode: 'lan', bind: '127.0.0.2', port, confirm: false }, actor)).rejects.toMatchObject({
      code: 'unavailable',
      message: expect.stringMatching(/keychain is unavailable.*stays local/),
    });
    expect(await reachable('127.0.0.2', port)).toBe(false);
    expect(h.audit.records.at(-1)).toMatchObject({ action: 'exposure.expose', outcome: 'denied' });
  });

  it('changes no time box the audit journal cannot record: the old one stands, and still runs out', async () => {
    const h = await startHarness();
    const first = await h.exposure.expose({ name: 'alpha', mode: 'public', bind: '127.0.0.2', confirm: true, durationMs: 1_500 }, actor);
    const port = first.exposure.port as number;
    const changes = h.changes.length;
    h.audit.unwritable = true;
    await expect(h.exposure.expose({ name: 'alpha', mode: 'public', bind: '127.0.0.2', confirm: true, durationMs: null }, actor)).rejects.toThrow(
      /time box was not changed: the audit journal could not record it/,
    );
    h.audit.unwritable = false;
    expect(h.exposure.view(h.ids.alpha as string, 'alpha')).toMatchObject({ mode: 'public', port, expiresAt: first.exposure.expiresAt });
    expect(h.store.get(h.ids.alpha as string)).toMatchObject({ mode: 'public', expiresAt: first.exposure.expiresAt });
    expect(h.changes).toHaveLength(changes);
    expect(await reachable('127.0.0.2', port)).toBe(true);
    await waitFor(() => h.changes.find((c) => c.cause === 'expired'), 15_000, 'the old time box to run out');
    expect(await reachable('127.0.0.2', port)).toBe(false);
  });

  it('keeps no exposure the audit journal cannot record, and refuses a port in use naming it', async () => {
    const h = await startHarness();
    const port = await freePort('127.0.0.2');
    h.audit.unwritable = true;
    await expect(h.exposure.expose({ name: 'alpha', mode: 'lan', bind: '127.0.0.2', port, confirm: false }, actor)).rejects.toThrow(/audit journal could not record/);
    expect(await reachable('127.0.0.2', port)).toBe(false);
    expect(h.exposure.view(h.ids.alpha as string, 'alpha').mode).toBe('local');
    h.audit.unwritable = false;
    const taken = await h.exposure.expose({ name: 'alpha', mode: 'lan', bind: '127.0.0.2', port, confirm: false }, actor);
    await expect(h.exposure.expose({ name: 'beta', mode: 'lan', bind: '127.0.0.2', port, confirm: false }, actor)).rejects.toMatchObject({
      code: 'conflict',
      field: 'port',
      message: expect.stringContaining(String(port)),
    });
    expect(h.exposure.view(h.ids.beta as string, 'beta').mode).toBe('local');
    expect(taken.exposure.mode).toBe('lan');
  });

  it('mints a client token only when the server has none', async () => {
    const h = await startHarness();
    const first = await h.exposure.expose({ name: 'alpha', mode: 'lan', bind: '127.0.0.2', confirm: false }, actor);
    expect(first.createdToken).toMatchObject({ label: 'default', secret: expect.any(String) });
    await h.exposure.lockdown('alpha', actor);
    const second = await h.exposure.expose({ name: 'alpha', mode: 'lan', bind: '127.0.0.2', confirm: false }, actor);
    expect(second.createdToken).toBeNull();
    // The remembered port keeps the URL the clients already have.
    expect(second.exposure.urls).toEqual(first.exposure.urls);
  });

  it('keeps a public URL across lock down on a machine whose every-interface listener fell back to IPv4', async () => {
    const h = await startHarness();
    const port = await freePort();
    // Where IPv6 is off, the listener ends up on 0.0.0.0 and that is what lock down remembers;
    // the next public expose asks for every interface (::) again, and must know it is the same choice.
    h.store.set('id-alpha', { mode: 'local', bind: '0.0.0.0', port, expiresAt: null });
    const r = await h.exposure.expose({ name: 'alpha', mode: 'public', confirm: true }, actor);
    expect(r.exposure.port).toBe(port);
  });

  it('public mode needs confirmation, is time-boxed to an hour by default, and can be unlimited only when asked', async () => {
    const h = await startHarness();
    await expect(h.exposure.expose({ name: 'alpha', mode: 'public', bind: '127.0.0.2', confirm: false }, actor)).rejects.toMatchObject({
      code: 'forbidden',
      field: 'confirm',
    });
    const before = Date.now();
    const r = await h.exposure.expose({ name: 'alpha', mode: 'public', bind: '127.0.0.2', confirm: true }, actor);
    const expires = Date.parse(r.exposure.expiresAt as string);
    expect(expires - before).toBeGreaterThanOrEqual(3_600_000 - 1_000);
    expect(expires - before).toBeLessThanOrEqual(3_600_000 + 60_000);
    const forever = await h.exposure.expose({ name: 'beta', mode: 'public', bind: '127.0.0.3', confirm: true, durationMs: null }, actor);
    expect(forever.exposure.expiresAt).toBeNull();
  });

  it('returns to local when the time box runs out, and says so', async () => {
    const h = await startHarness();
    const r = await h.exposure.expose({ name: 'alpha', mode: 'public', bind: '127.0.0.2', confirm: true, durationMs: 1_000 }, actor);
    const port = r.exposure.port as number;
    expect((await call(port, { headers: bearer(r.createdToken?.secret as string) })).status).toBe(200);
    await waitFor(() => h.changes.find((c) => c.cause === 'expired'), 15_000, 'the exposure to expire');
    // The reason is what the window's toast and the tray's notice show.
    expect(h.changes.at(-1)).toMatchObject({ server: 'alpha', mode: 'local', cause: 'expired', reason: 'time box ran out' });
    expect(h.audit.records.at(-1)).toMatchObject({ action: 'exposure.expire', actor: { kind: 'system' }, from: 'public', to: 'local' });
    expect(await reachable('127.0.0.2', port)).toBe(false);
  });

  it('moves from LAN to public without touching the server, audited from → to', async () => {
    const h = await startHarness();
    const lan = await h.exposure.expose({ name: 'alpha', mode: 'lan', bind: '127.0.0.2', confirm: false }, actor);
    const pub = await h.exposure.expose({ name: 'alpha', mode: 'public', bind: '127.0.0.3', confirm: true }, actor);
    expect(await reachable('127.0.0.2', lan.exposure.port as number)).toBe(false);
    expect(pub.exposure).toMatchObject({ mode: 'public', bind: '127.0.0.3' });
    expect(h.audit.records.at(-1)).toMatchObject({ action: 'exposure.expose', from: 'lan', to: 'public', params: expect.objectContaining({ mode: 'public' }) });
  });

  it('lock down all closes every listener at once', async () => {
    const h = await startHarness();
    const a = await h.exposure.expose({ name: 'alpha', mode: 'lan', bind: '127.0.0.2', confirm: false }, actor);
    const b = await h.exposure.expose({ name: 'beta', mode: 'public', bind: '127.0.0.3', confirm: true }, actor);
    const result = await h.exposure.lockdownAll(actor);
    expect(result.closed.sort()).toEqual(['alpha', 'beta']);
    expect(await reachable('127.0.0.2', a.exposure.port as number)).toBe(false);
    expect(await reachable('127.0.0.3', b.exposure.port as number)).toBe(false);
    expect(h.audit.records.filter((r) => r.action === 'exposure.lockdown')).toHaveLength(2);
  });

  it('believes X-Forwarded-For only from a trusted proxy, and sends throttled access events', async () => {
    const batches: Array<{ records: Array<{ client: string; status: number }>; dropped: number }> = [];
    const h = await startHarness({ deps: { trustedProxies: ['127.0.0.11'], onAccess: (b) => batches.push(b) } });
    const r = await h.exposure.expose({ name: 'alpha', mode: 'lan', bind: '127.0.0.2', confirm: false }, actor);
    const port = r.exposure.port as number;
    const headers = { ...bearer(r.createdToken?.secret as string), 'x-forwarded-for': '10.9.8.7' };
    expect((await call(port, { from: '127.0.0.11', headers })).status).toBe(200);
    expect(h.audit.accesses.at(-1)?.client).toBe('10.9.8.7');
    expect(h.upstream.seen.at(-1)?.headers['x-forwarded-for']).toBe('10.9.8.7, 127.0.0.11');
    expect((await call(port, { from: '127.0.0.12', headers })).status).toBe(200);
    expect(h.audit.accesses.at(-1)?.client).toBe('127.0.0.12');
    const seen = await waitFor(() => batches.flatMap((b) => b.records).length >= 2 && batches, 10_000, 'an access event batch');
    expect(seen.flatMap((b) => b.records).map((rec) => rec.client)).toEqual(['10.9.8.7', '127.0.0.12']);
  });

  it('starts every server local after a restart, and names the ones that were exposed', async () => {
    const h = await startHarness();
    h.store.set('id-alpha', { mode: 'lan', bind: '127.0.0.2', port: 41_000, expiresAt: null });
    h.store.set('id-beta', { mode: 'local', bind: '127.0.0.3', port: 41_001 });
    expect(h.exposure.resetAtStart()).toEqual(['id-alpha']);
    expect(h.store.get('id-alpha')).toMatchObject({ mode: 'local', bind: '127.0.0.2', port: 41_000 });
    expect(h.exposure.view('id-alpha', 'alpha').mode).toBe('local');
  });
});
