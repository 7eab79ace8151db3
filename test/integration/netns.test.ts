/**
 * Across a real network boundary: two network namespaces joined by a veth pair, the gateway
 * in one (server side, 10.213.7.1) and a client in the other (10.213.7.2). No traffic leaves
 * the two namespaces. Needs root and `ip netns`; skipped with the reason otherwise.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const tag = String(process.pid % 100_000);
const S = `pcS${tag}`;
const C = `pcC${tag}`;
const SERVER_IP = '10.213.7.1';
const CLIENT_IP = '10.213.7.2';
const PORT = 18_443;

function sh(args: string[]): { ok: boolean; out: string } {
  const r = spawnSync(args[0] as string, args.slice(1), { encoding: 'utf8' });
  return { ok: r.status === 0, out: `${r.stdout}${r.stderr}` };
}

/** Whether this machine lets us make namespaces; the reason when it does not. */
function canUseNetns(): string | null {
  if (process.platform !== 'linux') return 'network namespaces are Linux-only';
  if (process.getuid?.() !== 0) return 'needs root (ip netns add)';
  const probe = `pcP${tag}`;
  const r = sh(['ip', 'netns', 'add', probe]);
  if (!r.ok) return `ip netns add failed: ${r.out.trim()}`;
  sh(['ip', 'netns', 'del', probe]);
  return null;
}

const why = canUseNetns();
if (why) console.warn(`netns test skipped: ${why}`);

/** An HTTP GET from inside the client namespace: the status code, or the curl failure. */
function fromClient(url: string, headers: string[] = []): string {
  const args = ['netns', 'exec', C, 'curl', '-s', '-o', '/dev/null', '-w', '%{http_code}', '--max-time', '5', '--noproxy', '*'];
  for (const h of headers) args.push('-H', h);
  const r = spawnSync('ip', [...args, url], { encoding: 'utf8' });
  // curl exit 7: could not connect (refused); 28: timed out.
  return r.status === 0 ? r.stdout.trim() : `curl-exit-${r.status}`;
}

describe.skipIf(why !== null)(`gateway across network namespaces${why ? ` (skipped: ${why})` : ''}`, () => {
  let child: ChildProcess;
  let ask: (msg: object) => Promise<Record<string, unknown>>;
  let upstreamPort = 0;

  beforeAll(async () => {
    const setup = [
      ['ip', 'netns', 'add', S],
      ['ip', 'netns', 'add', C],
      ['ip', 'link', 'add', `pcs${tag}`, 'type', 'veth', 'peer', 'name', `pcc${tag}`],
      ['ip', 'link', 'set', `pcs${tag}`, 'netns', S],
      ['ip', 'link', 'set', `pcc${tag}`, 'netns', C],
      ['ip', 'netns', 'exec', S, 'ip', 'addr', 'add', `${SERVER_IP}/24`, 'dev', `pcs${tag}`],
      ['ip', 'netns', 'exec', C, 'ip', 'addr', 'add', `${CLIENT_IP}/24`, 'dev', `pcc${tag}`],
      ['ip', 'netns', 'exec', S, 'ip', 'link', 'set', 'lo', 'up'],
      ['ip', 'netns', 'exec', C, 'ip', 'link', 'set', 'lo', 'up'],
      ['ip', 'netns', 'exec', S, 'ip', 'link', 'set', `pcs${tag}`, 'up'],
      ['ip', 'netns', 'exec', C, 'ip', 'link', 'set', `pcc${tag}`, 'up'],
    ];
    for (const cmd of setup) {
      const r = sh(cmd);
      if (!r.ok) throw new Error(`${cmd.join(' ')} failed: ${r.out}`);
    }
    child = spawn('ip', ['netns', 'exec', S, process.execPath, '--import', 'tsx', new URL('./netns/gateway-child.ts', import.meta.url).pathname], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream })[Symbol.asyncIterator]();
    const next = async (): Promise<Record<string, unknown>> => JSON.parse((await lines.next()).value as string) as Record<string, unknown>;
    ask = async (msg) => {
      child.stdin?.write(`${JSON.stringify(msg)}\n`);
      return next();
    };
    upstreamPort = (await next()).upstreamPort as number;
  });

  afterAll(() => {
    child?.stdin?.end();
    child?.kill();
    // Deleting a namespace deletes the veth end inside it, and with it the pair.
    sh(['ip', 'netns', 'del', S]);
    sh(['ip', 'netns', 'del', C]);
  });

  it('is unreachable from the other namespace while local, upstream included', () => {
    expect(fromClient(`http://${SERVER_IP}:${PORT}/json`)).toBe('curl-exit-7');
    // The AI server itself listens on the server namespace's loopback only.
    expect(fromClient(`http://${SERVER_IP}:${upstreamPort}/json`)).toBe('curl-exit-7');
  });

  it('in LAN mode on the veth address, answers the other namespace only with a token', async () => {
    const r = await ask({ op: 'expose', bind: SERVER_IP, port: PORT });
    expect(r).toMatchObject({ ok: true, urls: [`http://${SERVER_IP}:${PORT}/`] });
    const secret = r.secret as string;
    expect(fromClient(`http://${SERVER_IP}:${PORT}/json`)).toBe('401');
    expect(fromClient(`http://${SERVER_IP}:${PORT}/json`, ['Authorization: Bearer not-the-token'])).toBe('401');
    expect(fromClient(`http://${SERVER_IP}:${PORT}/json`, [`Authorization: Bearer ${secret}`])).toBe('200');
    expect(fromClient(`http://${SERVER_IP}:${PORT}/.portcullis/health`)).toBe('200');
    // Still only the gateway: the upstream's own port stays closed to the LAN.
    expect(fromClient(`http://${SERVER_IP}:${upstreamPort}/json`)).toBe('curl-exit-7');
  });

  it('is unreachable again after lock down', async () => {
    expect(await ask({ op: 'lockdown' })).toMatchObject({ ok: true, view: { mode: 'local' } });
    expect(fromClient(`http://${SERVER_IP}:${PORT}/json`)).toBe('curl-exit-7');
  });

  it('in public mode listens on every interface of its namespace, time-boxed, still only with a token', async () => {
    const r = await ask({ op: 'public', port: PORT });
    expect(r).toMatchObject({ ok: true, urls: expect.arrayContaining([`http://${SERVER_IP}:${PORT}/`]) });
    expect(['::', '0.0.0.0']).toContain(r.bind);
    expect(Date.parse(r.expiresAt as string)).toBeGreaterThan(Date.now());
    const secret = (await ask({ op: 'secret' })).secret as string;
    expect(fromClient(`http://${SERVER_IP}:${PORT}/json`)).toBe('401');
    expect(fromClient(`http://${SERVER_IP}:${PORT}/json`, [`X-Portcullis-Token: ${secret}`])).toBe('200');
    // A name the listener does not answer to (DNS rebinding) is refused even with the token.
    expect(fromClient(`http://${SERVER_IP}:${PORT}/json`, [`X-Portcullis-Token: ${secret}`, 'Host: attacker.example'])).toBe('421');
    expect(await ask({ op: 'lockdown' })).toMatchObject({ ok: true, view: { mode: 'local' } });
    expect(fromClient(`http://${SERVER_IP}:${PORT}/json`)).toBe('curl-exit-7');
  });

  it('ends a LAN exposure whose address leaves the machine, and stays closed when the address comes back', async () => {
    expect(await ask({ op: 'expose', bind: SERVER_IP, port: PORT })).toMatchObject({ ok: true });
    const token = `Authorization: Bearer ${(await ask({ op: 'secret' })).secret as string}`;
    expect(fromClient(`http://${SERVER_IP}:${PORT}/json`, [token])).toBe('200');
    // The laptop leaves the network the user exposed it on.
    expect(sh(['ip', 'netns', 'exec', S, 'ip', 'addr', 'del', `${SERVER_IP}/24`, 'dev', `pcs${tag}`]).ok).toBe(true);
    let lost: Record<string, unknown> | undefined;
    let audited: Array<Record<string, unknown>> = [];
    for (let i = 0; i < 50 && !lost; i++) {
      await new Promise((r) => setTimeout(r, 100));
      const r = await ask({ op: 'changes' });
      lost = (r.changes as Array<Record<string, unknown>>).find((c) => c.cause === 'address-lost');
      audited = r.audited as Array<Record<string, unknown>>;
    }
    expect(lost).toMatchObject({ server: 'ai', mode: 'local', urls: [], reason: expect.stringContaining(`${SERVER_IP} is no longer an address of this machine`) });
    expect(audited.at(-1)).toMatchObject({ action: 'exposure.address-lost', actor: { kind: 'system' }, from: 'lan', to: 'local', params: { bind: SERVER_IP, port: PORT } });
    // Another network hands this machine the same address: nothing of Portcullis listens on it.
    expect(sh(['ip', 'netns', 'exec', S, 'ip', 'addr', 'add', `${SERVER_IP}/24`, 'dev', `pcs${tag}`]).ok).toBe(true);
    expect(fromClient(`http://${SERVER_IP}:${PORT}/json`, [token])).toBe('curl-exit-7');
  });

  it('leaves alone a listener opened again on the same address while the old one was found gone, but not one only given a new time box', async () => {
    // The address is back (previous case); a user exposes again while the watch finds the old listener's address missing.
    expect(await ask({ op: 'expose', bind: SERVER_IP, port: PORT })).toMatchObject({ ok: true });
    const addressLost = async (): Promise<number> =>
      ((await ask({ op: 'changes' })).changes as Array<Record<string, unknown>>).filter((c) => c.cause === 'address-lost').length;
    const lostBefore = await addressLost();
    const other = PORT + 1;
    expect(await ask({ op: 'race', bind: SERVER_IP, port: other })).toMatchObject({ ok: true, kept: false, urls: [`http://${SERVER_IP}:${other}/`] });
    const token = `Authorization: Bearer ${(await ask({ op: 'secret' })).secret as string}`;
    expect(fromClient(`http://${SERVER_IP}:${other}/json`, [token])).toBe('200');
    expect(await addressLost()).toBe(lostBefore);
    // The same listener with a new time box is still the socket bound to the address found
    // gone: it must not outlive it (it would serve whichever network next hands that address out).
    expect(await ask({ op: 'race', bind: SERVER_IP, port: other })).toMatchObject({ ok: true, kept: true });
    expect(await addressLost()).toBe(lostBefore + 1);
    expect(fromClient(`http://${SERVER_IP}:${other}/json`, [token])).toBe('curl-exit-7');
  });

  it('ends a LAN exposure whose address comes back behind another router (a wake on another network with the same address)', async () => {
    const dev = `pcs${tag}`;
    const inS = (...args: string[]): boolean => sh(['ip', 'netns', 'exec', S, ...args]).ok;
    const routerMac = sh(['ip', 'netns', 'exec', C, 'cat', `/sys/class/net/pcc${tag}/address`]).out.trim();
    // The client's end plays the home router: the server's default route goes through it.
    expect(inS('ip', 'route', 'replace', 'default', 'via', CLIENT_IP, 'dev', dev)).toBe(true);
    expect(inS('ip', 'neigh', 'replace', CLIENT_IP, 'lladdr', routerMac, 'dev', dev, 'nud', 'permanent')).toBe(true);
    const port = PORT + 2;
    expect(await ask({ op: 'expose', bind: SERVER_IP, port })).toMatchObject({ ok: true });
    const token = `Authorization: Bearer ${(await ask({ op: 'secret' })).secret as string}`;
    const lost = async (): Promise<Array<Record<string, unknown>>> =>
      ((await ask({ op: 'changes' })).changes as Array<Record<string, unknown>>).filter((c) => c.cause === 'address-lost');
    const lostBefore = (await lost()).length;
    // Same address, same router, several checks later: still open.
    await new Promise((r) => setTimeout(r, 1_000));
    expect(fromClient(`http://${SERVER_IP}:${port}/json`, [token])).toBe('200');
    expect((await lost()).length).toBe(lostBefore);

    // Another network hands out the same address; its router is another device.
    const otherMac = '02:00:5e:10:00:01';
    expect(sh(['ip', 'netns', 'exec', C, 'ip', 'link', 'set', 'dev', `pcc${tag}`, 'address', otherMac]).ok).toBe(true);
    expect(inS('ip', 'neigh', 'replace', CLIENT_IP, 'lladdr', otherMac, 'dev', dev, 'nud', 'permanent')).toBe(true);
    let ended: Record<string, unknown> | undefined;
    for (let i = 0; i < 50 && !ended; i++) {
      await new Promise((r) => setTimeout(r, 100));
      ended = (await lost())[lostBefore];
    }
    expect(ended).toMatchObject({ server: 'ai', mode: 'local', reason: `${SERVER_IP} now reaches another network (its router was ${CLIENT_IP} at ${routerMac}, now ${CLIENT_IP} at ${otherMac})` });
    const audited = (await ask({ op: 'changes' })).audited as Array<Record<string, unknown>>;
    expect(audited.at(-1)).toMatchObject({
      action: 'exposure.address-lost',
      from: 'lan',
      to: 'local',
      params: { bind: SERVER_IP, port, router: { from: { gateway: CLIENT_IP, mac: routerMac }, to: { gateway: CLIENT_IP, mac: otherMac } } },
    });
    expect(fromClient(`http://${SERVER_IP}:${port}/json`, [token])).toBe('curl-exit-7');
  });
});
