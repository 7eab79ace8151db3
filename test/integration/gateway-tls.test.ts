/**
 * HTTPS on the gateway, over real sockets with a certificate made by the real openssl: the
 * token, cookies and streams never cross the network in the clear once a certificate is set.
 */
import { copyFileSync, readFileSync } from 'node:fs';
import { request, type RequestOptions } from 'node:https';
import type { IncomingHttpHeaders } from 'node:http';
import { connect } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { TlsFiles } from '../../main/core/gateway/tls.js';
import { makeCert, type TestCert } from '../helpers/certs.js';
import { tempDir } from '../helpers/tmp.js';
import { waitFor } from '../helpers/wait.js';
import { actor, bearer, call, startHarness, type Harness } from './gateway-fixture.js';

const NAMES = ['localhost', '127.0.0.1', '127.0.0.2', '127.0.0.3', '127.0.0.4', '127.0.0.5', '127.0.0.6'];

let h: Harness;
let dir: string;
let cert: TestCert;
/** What the gateway's settings name; tests point it elsewhere and back. */
let files: TlsFiles | null;
const warnings: string[] = [];

beforeAll(async () => {
  dir = tempDir();
  cert = makeCert(dir, NAMES);
  files = { certFile: cert.certFile, keyFile: cert.keyFile };
  h = await startHarness({ limits: { headersTimeoutMs: 400 }, deps: { tls: () => files, tlsCheckMs: 50, warn: (m) => warnings.push(m) } });
});

interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
  /** The certificate the server presented. */
  fingerprint: string;
}

function secureCall(to: string, port: number, options: RequestOptions & { body?: string; ca?: string } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: to, port, path: '/json', method: 'GET', ca: options.ca ?? cert.cert, agent: false, ...options, headers: { host: `${to}:${port}`, ...options.headers } },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        const fingerprint = (res.socket as import('node:tls').TLSSocket).getPeerCertificate().fingerprint256;
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body, fingerprint }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

async function expose(name: string, bind: string): Promise<{ port: number; secret: string; urls: string[]; encrypted: boolean; warnings: string[] }> {
  const r = await h.exposure.expose({ name, mode: 'lan', bind, confirm: false }, actor);
  const secret = r.createdToken?.secret ?? h.tokens.mint(h.ids[name] as string, 'extra').secret;
  return { port: r.exposure.port as number, secret, urls: r.exposure.urls, encrypted: r.exposure.encrypted, warnings: r.warnings };
}

describe('gateway over HTTPS', () => {
  it('serves HTTPS only: a token is still required, the upstream hears X-Forwarded-Proto https, the URLs say https', async () => {
    const { port, secret, urls, encrypted, warnings: said } = await expose('alpha', '127.0.0.2');
    expect(encrypted).toBe(true);
    expect(urls).toEqual([`https://127.0.0.2:${port}/`]);
    expect(said).toEqual([]);

    expect((await secureCall('127.0.0.2', port)).status).toBe(401);
    const ok = await secureCall('127.0.0.2', port, { headers: bearer(secret) });
    expect(ok.status).toBe(200);
    expect(ok.fingerprint).toBe(cert.fingerprint);
    const seen = h.upstream.seen.at(-1);
    expect(seen?.headers['x-forwarded-proto']).toBe('https');
    expect(seen?.headers.authorization).toBeUndefined();

    // Plain HTTP to an HTTPS listener is told to use https (in plain HTTP: no TLS was agreed),
    // is recorded, and never reaches the upstream.
    const before = h.upstream.seen.length;
    const plain = await call(port, { to: '127.0.0.2', headers: bearer(secret) });
    expect(plain.status).toBe(400);
    expect(JSON.parse(plain.body)).toMatchObject({ error: 'https_required', message: expect.stringContaining('https://') });
    expect(plain.body).not.toContain(secret);
    expect(h.upstream.seen.length).toBe(before);
    expect(h.audit.accesses.at(-1)).toMatchObject({ server: 'alpha', status: 400, reason: 'plain HTTP on an HTTPS listener' });
    // A client that does not trust the certificate refuses it.
    await expect(secureCall('127.0.0.2', port, { ca: makeCert(tempDir(), ['127.0.0.2'], 'other').cert, headers: bearer(secret) })).rejects.toThrow();
    await h.exposure.lockdown('alpha', actor);
  });

  it('gives browsers a Secure cookie, and checks Origin with its https scheme', async () => {
    const { port, secret } = await expose('alpha', '127.0.0.3');
    const login = await secureCall('127.0.0.3', port, { path: `/page?portcullis_token=${secret}` });
    expect(login.status).toBe(303);
    const cookie = String(login.headers['set-cookie']);
    expect(cookie).toMatch(/; HttpOnly; SameSite=Strict; Path=\/; Secure$/);

    const post = (origin: string) =>
      secureCall('127.0.0.3', port, { method: 'POST', path: '/json', headers: { ...bearer(secret), origin, 'content-type': 'application/json' }, body: '{}' });
    expect((await post(`https://127.0.0.3:${port}`)).status).toBe(200);
    // The same host over plain http is another origin: a page there must not drive this one.
    expect((await post(`http://127.0.0.3:${port}`)).status).toBe(403);
    await h.exposure.lockdown('alpha', actor);
  });

  it('lock down ends an open HTTPS event stream and a wss WebSocket; revoking a token ends its own', async () => {
    const { port, secret } = await expose('beta', '127.0.0.4');
    const doomed = h.tokens.mint(h.ids.beta as string, 'laptop');
    const sseBefore = h.upstream.sse.length;
    const streams = [secret, doomed.secret].map((s) => {
      const state = { events: 0, closed: false };
      const req = request({ host: '127.0.0.4', port, path: '/sse', ca: cert.cert, agent: false, headers: bearer(s) }, (res) => {
        res.on('data', () => state.events++);
        res.on('close', () => (state.closed = true));
        res.on('error', () => undefined);
      });
      req.on('error', () => (state.closed = true));
      req.end();
      return state;
    });
    await waitFor(() => h.upstream.sse.length >= sseBefore + 2, 10_000, 'both streams to open upstream');
    for (const res of h.upstream.sse.slice(sseBefore)) res.write('data: hello\n\n');
    await waitFor(() => streams.every((s) => s.events > 0), 10_000, 'the first events');

    h.tokens.revoke(doomed.id);
    await waitFor(() => streams[1]?.closed, 10_000, "the revoked token's stream to end");
    expect(streams[0]?.closed).toBe(false);

    const ws = new WebSocket(`wss://127.0.0.4:${port}/ws`, { ca: cert.cert, headers: bearer(secret) });
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    const echo = new Promise((resolve) => ws.once('message', (d) => resolve(String(d))));
    ws.send('over tls');
    expect(await echo).toBe('over tls');
    let wsClosed = false;
    ws.on('close', () => (wsClosed = true));
    ws.on('error', () => undefined);

    await h.exposure.lockdown('beta', actor);
    await waitFor(() => streams[0]?.closed && wsClosed, 10_000, 'the stream and the WebSocket to end');
    const refused = await new Promise<string>((resolve) => {
      const s = connect({ host: '127.0.0.4', port });
      s.once('connect', () => resolve('connected'));
      s.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? 'error'));
    });
    expect(refused).toBe('ECONNREFUSED');
  });

  it('cuts off a client that opens a connection and never finishes the handshake', async () => {
    const { port } = await expose('alpha', '127.0.0.5');
    const socket = connect({ host: '127.0.0.5', port });
    let closed = false;
    socket.on('close', () => (closed = true));
    socket.on('error', () => undefined);
    await waitFor(() => closed, 10_000, 'the server to drop the silent connection');
    await h.exposure.lockdown('alpha', actor);
  });

  it('picks up a renewed certificate for new connections without reopening the listener', async () => {
    const { port, secret } = await expose('gamma', '127.0.0.6');
    expect((await secureCall('127.0.0.6', port, { headers: bearer(secret) })).fingerprint).toBe(cert.fingerprint);
    // Renewed in place, as certbot and `tailscale cert` do: same paths, new pair.
    const renewed = makeCert(tempDir(), NAMES, 'renewed');
    copyFileSync(renewed.keyFile, cert.keyFile);
    copyFileSync(renewed.certFile, cert.certFile);
    const reply = await waitFor(
      async () => {
        const r = await secureCall('127.0.0.6', port, { ca: renewed.cert, headers: bearer(secret) }).catch(() => undefined);
        return r?.fingerprint === renewed.fingerprint ? r : undefined;
      },
      10_000,
      'the renewed certificate to be served',
    );
    expect(reply.status).toBe(200);
    expect(h.exposure.view(h.ids.gamma as string, 'gamma')).toMatchObject({ mode: 'lan', port, encrypted: true });
    const renewedKey = renewed.keyFile;
    cert = { ...renewed, certFile: files?.certFile as string, keyFile: files?.keyFile as string };

    // A renewal that is not a pair is not taken: the listener keeps serving the one it has.
    // (Warnings from the moment between the two copies above are not this one's.)
    warnings.length = 0;
    copyFileSync(makeCert(tempDir(), NAMES, 'stray').keyFile, cert.keyFile);
    await waitFor(() => warnings.some((w) => w.includes('cannot be used')), 10_000, 'a warning about the broken renewal');
    expect((await secureCall('127.0.0.6', port, { headers: bearer(secret) })).fingerprint).toBe(renewed.fingerprint);
    copyFileSync(renewedKey, cert.keyFile);
    await h.exposure.lockdown('gamma', actor);
  });

  it('a new time box keeps the HTTPS listener; another certificate set since, or none, opens it again with that', async () => {
    const first = await h.exposure.expose({ name: 'beta', mode: 'lan', bind: '127.0.0.5', confirm: false }, actor);
    const port = first.exposure.port as number;
    const secret = first.createdToken?.secret ?? h.tokens.mint(h.ids.beta as string, 'extra').secret;
    expect(await h.exposure.expose({ name: 'beta', mode: 'lan', bind: '127.0.0.5', durationMs: 3_600_000, confirm: false }, actor)).toMatchObject({ kept: true });
    const saved = files;
    const other = makeCert(tempDir(), NAMES, 'other');
    files = { certFile: other.certFile, keyFile: other.keyFile };
    const switched = await h.exposure.expose({ name: 'beta', mode: 'lan', bind: '127.0.0.5', confirm: false }, actor);
    expect(switched).toMatchObject({ kept: false, exposure: { port, encrypted: true } });
    expect((await secureCall('127.0.0.5', port, { ca: other.cert, headers: bearer(secret) })).fingerprint).toBe(other.fingerprint);
    files = null;
    expect(await h.exposure.expose({ name: 'beta', mode: 'lan', bind: '127.0.0.5', confirm: false }, actor)).toMatchObject({ kept: false, exposure: { port, encrypted: false } });
    files = saved;
    await h.exposure.lockdown('beta', actor);
  });

  it('refuses to expose with an unusable certificate, opens nothing, and never quotes the key', async () => {
    const good = files as TlsFiles;
    const other = makeCert(tempDir(), ['127.0.0.2'], 'other');
    const key = readFileSync(good.keyFile, 'utf8');
    const cases: Array<[TlsFiles, RegExp]> = [
      [{ ...good, keyFile: `${dir}/missing-key.pem` }, /TLS key file .*missing-key\.pem cannot be read \(ENOENT\)/],
      [{ ...good, keyFile: other.keyFile }, /the key in .*other-key\.pem does not belong to the certificate in .*gw-cert\.pem/],
      [{ certFile: good.keyFile, keyFile: good.keyFile }, /gw-key\.pem is not a PEM certificate/],
    ];
    for (const [bad, message] of cases) {
      files = bad;
      const failed = await h.exposure.expose({ name: 'alpha', mode: 'lan', bind: '127.0.0.2', confirm: false }, actor).catch((e: Error) => e);
      expect(failed).toBeInstanceOf(Error);
      expect((failed as Error).message).toMatch(message);
      expect((failed as Error).message).toMatch(/exposure refused: .* alpha is unchanged/);
      // Not a word of the key: no line of its base64 body appears.
      for (const line of key.split('\n').filter((l) => l.length > 16 && !l.startsWith('-----'))) expect((failed as Error).message).not.toContain(line);
      expect(h.exposure.view(h.ids.alpha as string, 'alpha')).toMatchObject({ mode: 'local', urls: [] });
      expect(h.audit.records.at(-1)).toMatchObject({ action: 'exposure.expose', server: 'alpha', outcome: 'error' });
    }
    files = good;
  });

  it('says public exposure over plain HTTP is unencrypted, and not when HTTPS is on', async () => {
    const secure = await h.exposure.expose({ name: 'alpha', mode: 'public', bind: '127.0.0.2', confirm: true }, actor);
    expect(secure.exposure.encrypted).toBe(true);
    expect(secure.warnings).toEqual([]);
    await h.exposure.lockdown('alpha', actor);
    const saved = files;
    files = null;
    const plain = await h.exposure.expose({ name: 'alpha', mode: 'public', bind: '127.0.0.2', confirm: true }, actor);
    expect(plain.exposure.encrypted).toBe(false);
    expect(plain.exposure.urls.every((u) => u.startsWith('http://'))).toBe(true);
    expect(plain.warnings.join(' ')).toMatch(/unencrypted: set an HTTPS certificate/);
    await h.exposure.lockdown('alpha', actor);
    files = saved;
  });

  it('warns when the certificate names none of the addresses clients would use', async () => {
    const saved = files;
    const elsewhere = makeCert(tempDir(), ['gpu.lab.example'], 'elsewhere');
    files = { certFile: elsewhere.certFile, keyFile: elsewhere.keyFile };
    const r = await h.exposure.expose({ name: 'beta', mode: 'lan', bind: '127.0.0.3', confirm: false }, actor);
    // The certificate's name is the URL, and the listener answers to it in Host.
    expect(r.exposure.urls).toEqual([`https://gpu.lab.example:${r.exposure.port}/`]);
    expect(r.warnings).toEqual([]);
    const secret = h.tokens.mint(h.ids.beta as string, 'named').secret;
    const viaName = await new Promise<number>((resolve, reject) => {
      const s = tlsConnect({ host: '127.0.0.3', port: r.exposure.port as number, servername: 'gpu.lab.example', ca: elsewhere.cert }, () => {
        s.write(`GET /json HTTP/1.1\r\nHost: gpu.lab.example:${r.exposure.port}\r\nAuthorization: Bearer ${secret}\r\nConnection: close\r\n\r\n`);
      });
      let text = '';
      s.on('data', (d: Buffer) => (text += d.toString()));
      s.on('end', () => resolve(Number(/^HTTP\/1\.1 (\d+)/.exec(text)?.[1])));
      s.on('error', reject);
    });
    expect(viaName).toBe(200);
    await h.exposure.lockdown('beta', actor);
    const nameless = makeCert(tempDir(), ['10.9.8.7'], 'nameless');
    files = { certFile: nameless.certFile, keyFile: nameless.keyFile };
    const warned = await h.exposure.expose({ name: 'beta', mode: 'lan', bind: '127.0.0.3', confirm: false }, actor);
    expect(warned.warnings.join(' ')).toMatch(/names none of this listener's addresses or names \(it is for 10\.9\.8\.7\)/);
    await h.exposure.lockdown('beta', actor);
    files = saved;
  });
});
