import { execFile } from 'node:child_process';
import { request, type IncomingMessage } from 'node:http';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { clientAccount } from '../../main/core/secrets/accounts.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { hasTestKeyring, noKeyringReason, secretToolLookup, startKeyringEngine, type KeyringEngine } from '../helpers/keyring.js';
import { freePort } from '../helpers/ports.js';
import { waitFor } from '../helpers/wait.js';

const run = promisify(execFile);
const describeKeyring = hasTestKeyring ? describe : describe.skip;
if (!hasTestKeyring) console.warn(`tokens-gateway: skipped, ${noKeyringReason}`);

// An upstream with an endless event stream, so a connection can be open when a token ends.
const upstream = `
const http = require('http');
http.createServer((req, res) => {
  if (req.url === '/stream') {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    const t = setInterval(() => res.write('data: tick\\n\\n'), 50);
    req.on('close', () => clearInterval(t));
    return;
  }
  res.end('ok');
}).listen(Number(process.argv[1]), '127.0.0.1');
`;

async function exposed(): Promise<{ engine: KeyringEngine; base: string }> {
  const engine = await startKeyringEngine();
  const port = await freePort();
  await engine.call('servers.add', { name: 'llm', command: process.execPath, args: ['-e', upstream, String(port)], port });
  await engine.call('servers.start', { name: 'llm' });
  const first = await engine.call('tokens.create', { server: 'llm', label: 'first', show: true });
  const { exposure } = await engine.call('exposure.expose', { name: 'llm', mode: 'lan', bind: '127.0.0.1' });
  const base = exposure.urls[0] as string;
  // Until the upstream listens the gateway answers 502; a valid token is needed to get that far.
  await waitFor(async () => (await get(base, '/', first.secret)).status === 200, 10_000, 'the upstream to listen');
  expect((await get(base, '/', null)).status).toBe(401);
  return { engine, base };
}

function get(base: string, path: string, token: string | null): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, base), { headers: token ? { authorization: `Bearer ${token}` } : {}, agent: false }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Opens the event stream with a token; `ended` resolves when the gateway closes it. */
function openStream(base: string, token: string): Promise<{ ticks: () => number; ended: Promise<void>; status: number }> {
  return new Promise((resolve, reject) => {
    const req = request(new URL('/stream', base), { headers: { authorization: `Bearer ${token}` }, agent: false }, (res: IncomingMessage) => {
      let ticks = 0;
      res.on('data', () => ticks++);
      const ended = new Promise<void>((done) => {
        res.on('close', () => done());
        res.on('error', () => done());
      });
      resolve({ ticks: () => ticks, ended, status: res.statusCode ?? 0 });
    });
    req.on('error', reject);
    req.end();
  });
}

describeKeyring('a running gateway and the token life cycle', () => {
  it('a revoked token is refused at once and its open stream ends', async () => {
    const { engine, base } = await exposed();
    const { token, secret } = await engine.call('tokens.create', { server: 'llm', label: 'alice', show: true });
    expect((await get(base, '/', secret)).status).toBe(200);
    const stream = await openStream(base, secret as string);
    expect(stream.status).toBe(200);
    await waitFor(() => stream.ticks() > 2, 10_000, 'events through the gateway');
    const started = Date.now();
    await engine.call('tokens.revoke', { server: 'llm', id: token.id });
    const refused = await get(base, '/', secret);
    expect(refused.status).toBe(401);
    expect(refused.body).not.toContain(secret as string);
    await stream.ended;
    console.log(`revoked: stream ended ${Date.now() - started} ms after the revoke call began`);
  });

  it('an expired token is refused and its open stream ends when it expires', async () => {
    const { engine, base } = await exposed();
    const { secret, token } = await engine.call('tokens.create', { server: 'llm', label: 'brief', expires: '2s', show: true });
    const stream = await openStream(base, secret as string);
    expect(stream.status).toBe(200);
    await stream.ended;
    console.log(`expired: stream ended ${Date.now() - Date.parse(token.expires ?? '')} ms after the expiry time`);
    expect(Date.now()).toBeGreaterThanOrEqual(Date.parse(token.expires ?? ''));
    expect((await get(base, '/', secret)).status).toBe(401);
  });

  it('rotated out: without grace refused at once; with grace accepted until it ends', async () => {
    const { engine, base } = await exposed();
    const a = await engine.call('tokens.create', { server: 'llm', label: 'ci', show: true });
    const stream = await openStream(base, a.secret as string);
    const rotated = await engine.call('tokens.rotate', { server: 'llm', id: a.token.id, show: true });
    expect((await get(base, '/', a.secret)).status).toBe(401);
    expect((await get(base, '/', rotated.secret)).status).toBe(200);
    await stream.ended;

    const b = await engine.call('tokens.create', { server: 'llm', label: 'bob', show: true });
    const graced = await engine.call('tokens.rotate', { server: 'llm', id: b.token.id, grace: '2s', show: true });
    const graceStream = await openStream(base, b.secret as string);
    expect((await get(base, '/', b.secret)).status).toBe(200);
    expect((await get(base, '/', graced.secret)).status).toBe(200);
    await graceStream.ended;
    expect(Date.now()).toBeGreaterThanOrEqual(Date.parse(graced.replaced.graceUntil ?? ''));
    expect((await get(base, '/', b.secret)).status).toBe(401);
    expect((await get(base, '/', graced.secret)).status).toBe(200);
  });

  it('use is recorded as lastUsed, coalesced', async () => {
    const { engine, base } = await exposed();
    const { token, secret } = await engine.call('tokens.create', { server: 'llm', label: 'used', show: true });
    for (let i = 0; i < 5; i++) expect((await get(base, '/', secret)).status).toBe(200);
    await engine.panel.shutdown();
    // After the flush on shutdown the time is in settings; a new list shows it.
    const list = await engine.call('tokens.list', { server: 'llm' });
    const used = list.find((t) => t.id === token.id);
    expect(used?.lastUsed).not.toBeNull();
  });

  it('exposing a server with no token mints one into the keychain and shows it once', async () => {
    const engine = await startKeyringEngine();
    const port = await freePort();
    await engine.call('servers.add', { name: 'fresh', command: process.execPath, args: ['-e', upstream, String(port)], port });
    const { createdToken } = await engine.call('exposure.expose', { name: 'fresh', mode: 'lan', bind: '127.0.0.1' });
    expect(createdToken).toMatchObject({ label: 'default', secret: expect.stringMatching(/^pcs_/) });
    const serverId = (await engine.call('servers.get', { name: 'fresh' })).id;
    const homeId = readFileSync(join(engine.home, 'home-id'), 'utf8').trim();
    expect(await secretToolLookup(clientAccount(homeId, serverId, createdToken?.id ?? ''))).toBe(createdToken?.secret);
    // The curl snippet points at the gateway while exposed, and works as printed.
    await engine.call('servers.start', { name: 'fresh' });
    const exposedUrl = (await engine.call('exposure.get', { name: 'fresh' })).urls[0];
    const snip = await engine.call('tokens.snippet', { server: 'fresh', id: createdToken?.id ?? '', for: 'curl', reveal: true });
    expect(snip.url).toBe(exposedUrl);
    await waitFor(async () => (await run('sh', ['-c', `${snip.text} -s -o /dev/null -w '%{http_code}'`])).stdout === '200' || undefined, 10_000, 'the snippet to work');
    await engine.call('exposure.lockdown', { name: 'fresh' });
    const again = await engine.call('exposure.expose', { name: 'fresh', mode: 'lan', bind: '127.0.0.1' });
    expect(again.createdToken).toBeNull();
  });
});
