/**
 * `portcullis gateway --tls-cert/--tls-key` end to end: the real bin against a real engine with
 * the private test keyring, a real supervised server, and HTTPS requests through the gateway.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeCert } from '../helpers/certs.js';
import { runCli } from '../helpers/cli.js';
import { hasTestKeyring, noKeyringReason, startKeyringEngine } from '../helpers/keyring.js';
import { fixture } from '../helpers/paths.js';
import { freePort } from '../helpers/ports.js';
import { tempDir } from '../helpers/tmp.js';
import { waitFor } from '../helpers/wait.js';

const describeKeyring = hasTestKeyring ? describe : describe.skip;
if (!hasTestKeyring) console.warn(`gateway-tls-cli: skipped, ${noKeyringReason}`);

function get(url: string, ca: string, token: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { ca, agent: false, headers: { authorization: `Bearer ${token}` } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

describeKeyring('portcullis gateway --tls-cert', () => {
  it('sets a certificate by relative paths, serves HTTPS with it, keeps only the paths, and goes back with --no-tls', async () => {
    const engine = await startKeyringEngine();
    const cli = (...args: string[]) => runCli(['--home', engine.home, ...args], {}, dir);
    const dir = tempDir();
    const cert = makeCert(dir, ['localhost', '127.0.0.2']);
    const other = makeCert(dir, ['127.0.0.2'], 'other');
    const upstreamPort = await freePort();
    await engine.call('servers.add', { name: 'llm', command: process.execPath, args: [fixture('http-server.mjs'), '--port', String(upstreamPort)], port: upstreamPort });
    await engine.call('servers.start', { name: 'llm' });

    expect((await cli('gateway')).stdout).toContain('HTTPS: off (plain HTTP');
    const half = await cli('gateway', '--tls-cert', 'gw-cert.pem');
    expect(half.code).toBe(2);
    expect(half.stderr).toContain('give --tls-cert and --tls-key together');
    const mismatch = await cli('gateway', '--tls-cert', 'gw-cert.pem', '--tls-key', 'other-key.pem');
    expect(mismatch.code).not.toBe(0);
    expect(mismatch.stderr).toContain(`the key in ${other.keyFile} does not belong to the certificate in ${cert.certFile}`);
    // Nothing of a refused change is applied.
    expect((await engine.call('exposure.settings', {})).tls).toBeNull();

    const set = await cli('gateway', '--tls-cert', 'gw-cert.pem', '--tls-key', 'gw-key.pem');
    expect(set.code).toBe(0);
    expect(set.stdout).toContain(`HTTPS: certificate ${cert.certFile}, key ${cert.keyFile}; for localhost, 127.0.0.2; valid until `);

    const port = await freePort('127.0.0.2');
    const exposed = await cli('expose', 'llm', '--mode', 'lan', '--bind', '127.0.0.2', '--port', String(port));
    expect(exposed.code).toBe(0);
    expect(exposed.stdout).toContain('llm is exposed (lan, HTTPS)');
    expect(exposed.stdout).toContain(`https://127.0.0.2:${port}/`);
    const secret = /shown only this once[^\n]*\n\s+(\S+)/.exec(exposed.stdout)?.[1] as string;
    await waitFor(async () => (await get(`https://127.0.0.2:${port}/`, cert.cert, secret).catch(() => 0)) === 200, 10_000, 'the gateway to answer over HTTPS');
    expect(await get(`https://127.0.0.2:${port}/`, cert.cert, 'not-the-token')).toBe(401);

    // The settings keep where the files are, never what is in them; nor does the journal.
    const key = readFileSync(cert.keyFile, 'utf8');
    const keyLines = key.split('\n').filter((l) => l.length > 16 && !l.startsWith('-----'));
    const saved = readFileSync(join(engine.home, 'config.json'), 'utf8');
    expect(JSON.parse(saved).exposure.tls).toEqual({ certFile: cert.certFile, keyFile: cert.keyFile });
    const journal = readdirSync(join(engine.home, 'audit')).map((f) => readFileSync(join(engine.home, 'audit', f), 'utf8')).join('');
    for (const line of keyLines) {
      expect(saved).not.toContain(line);
      expect(journal).not.toContain(line);
    }
    const [change] = (await engine.call('audit.query', { action: 'settings.change', limit: 1 })).records;
    expect(change).toMatchObject({ outcome: 'ok', from: { tls: null }, to: { tls: { certFile: cert.certFile, keyFile: cert.keyFile } } });

    // A new certificate set while the listener is open serves new connections at once.
    const next = makeCert(dir, ['127.0.0.2'], 'next');
    expect((await cli('gateway', '--tls-cert', 'next-cert.pem', '--tls-key', 'next-key.pem')).code).toBe(0);
    expect(await get(`https://127.0.0.2:${port}/`, next.cert, secret)).toBe(200);
    await expect(get(`https://127.0.0.2:${port}/`, cert.cert, secret)).rejects.toThrow();

    const off = await cli('gateway', '--no-tls');
    expect(off.stdout).toContain('HTTPS: off');
    // The open listener keeps HTTPS until exposed again, and the user is told so.
    expect(off.stderr).toContain('note: llm is still served over HTTPS until exposed again');
    expect(await get(`https://127.0.0.2:${port}/`, next.cert, secret)).toBe(200);
    await cli('lockdown', 'llm');
    const plain = await cli('expose', 'llm', '--mode', 'lan', '--bind', '127.0.0.2', '--port', String(port));
    expect(plain.stdout).toContain('llm is exposed (lan, plain HTTP)');
    expect(plain.stdout).toContain(`http://127.0.0.2:${port}/`);
  });
});
