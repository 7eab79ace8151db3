/**
 * The leak test (issue 5, "Must show"): a scripted session — tokens created, a server with its
 * own token exposed through the gateway, requests with every way of presenting a token,
 * rotations, a revocation, a crash, logs read — and then no plaintext token may appear in any
 * file under the home (settings, logs, audit journal, child records), in any child's
 * /proc/PID/cmdline, or in what the faces printed besides the secrets they were asked for.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { upstreamAccount } from '../../main/core/secrets/accounts.js';
import { runCli, startServe, type Served } from '../helpers/cli.js';
import { hasTestKeyring, noKeyringReason, secretToolLookup } from '../helpers/keyring.js';
import { freePort } from '../helpers/ports.js';
import { tempDir } from '../helpers/tmp.js';
import { waitFor } from '../helpers/wait.js';

const describeKeyring = hasTestKeyring ? describe : describe.skip;
if (!hasTestKeyring) console.warn(`leak: skipped, ${noKeyringReason}`);

// An upstream that checks its own token, prints it at start, logs every request's headers
// (so a forwarded client token would land in the logs) and crashes on /crash.
const upstreamScript = `
const http = require('http');
console.log('starting with my token ' + process.env.DEMO_TOKEN);
http.createServer((req, res) => {
  console.log('request ' + req.method + ' ' + req.url + ' ' + JSON.stringify(req.headers));
  if (req.url === '/crash') { res.end('bye'); setTimeout(() => process.exit(3), 20); return; }
  res.statusCode = req.headers.authorization === 'Bearer ' + process.env.DEMO_TOKEN ? 200 : 401;
  res.end('ok');
}).listen(Number(process.argv[1]), '127.0.0.1');
`;

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function get(url: string, headers: Record<string, string> = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers, agent: false }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

function descendants(root: number): number[] {
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // Gone between the listing and the read.
    }
  }
  const found: number[] = [];
  const walk = (pid: number): void => {
    for (const [child, parent] of parents) {
      if (parent !== pid) continue;
      found.push(child);
      walk(child);
    }
  };
  walk(root);
  return found;
}

function everyFile(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    const stat = statSync(path);
    if (stat.isDirectory()) return everyFile(path);
    return stat.isFile() ? [path] : [];
  });
}

describeKeyring('no plaintext token leaks anywhere', () => {
  const home = tempDir();
  const cli = async (...args: string[]): Promise<string> => {
    const result = await runCli(['--home', home, ...args]);
    if (result.code !== 0) throw new Error(`portcullis ${args.join(' ')} failed (${result.code}): ${result.stderr}`);
    printed.push(result.stderr);
    return result.stdout;
  };
  /** What the faces printed where no secret was asked for. */
  const printed: string[] = [];
  /** Every plaintext the session handled. */
  const secrets = new Set<string>();
  /** Every child's argv, sampled through the session. */
  const cmdlines = new Map<number, string>();
  let served: Served;
  let base = '';

  const sampleChildren = (): void => {
    for (const pid of [served.child.pid as number, ...descendants(served.child.pid as number)]) {
      try {
        cmdlines.set(pid, readFileSync(`/proc/${pid}/cmdline`, 'utf8'));
      } catch {
        // Exited meanwhile.
      }
    }
  };
  const upstreamSecret = async (): Promise<string> => {
    const id = (JSON.parse(await cli('ls', '--json')) as Array<{ id: string; name: string }>).find((s) => s.name === 'api')?.id ?? '';
    const secret = await secretToolLookup(upstreamAccount(readFileSync(join(home, 'home-id'), 'utf8').trim(), id));
    if (!secret) throw new Error('no upstream token in the keychain');
    secrets.add(secret);
    return secret;
  };
  const pidOf = async (): Promise<number | null> => (JSON.parse(await cli('status', 'api', '--json')) as Array<{ pid: number | null; state: string }>)[0]?.pid ?? null;
  const createShown = async (...args: string[]): Promise<string> => {
    const secret = (await cli('token', 'create', 'api', ...args, '--show')).trim();
    secrets.add(secret);
    return secret;
  };
  const idOf = async (label: string): Promise<string> =>
    (JSON.parse(await cli('token', 'ls', 'api', '--json')) as Array<{ id: string; label: string; state: string }>).find((t) => t.label === label && t.state === 'active')?.id ?? '';

  beforeAll(async () => {
    served = await startServe(home);
    const port = await freePort();
    await cli('add', 'api', '--port', String(port), '--', process.execPath, '-e', upstreamScript, String(port));
    await cli('token', 'upstream', 'api', '--env', 'DEMO_TOKEN');
    await upstreamSecret();
    await cli('start', 'api');
    sampleChildren();

    const laptop = await createShown('--label', 'laptop');
    const phone = await createShown('--label', 'phone', '--expires', '1h');
    const brief = await createShown('--label', 'brief', '--expires', '2h');
    const exposed = JSON.parse(await cli('expose', 'api', '--mode', 'lan', '--bind', '127.0.0.1', '--json')) as { exposure: { urls: string[] } };
    base = exposed.exposure.urls[0] as string;
    await waitFor(async () => (await get(base, { authorization: `Bearer ${laptop}` })).status === 200, 30_000, 'requests through the gateway');

    // Every way of presenting a token, right and wrong.
    expect((await get(`${base}v1/models`, { 'x-portcullis-token': phone })).status).toBe(200);
    expect((await get(`${base}v1/models`, { authorization: `Bearer ${brief}` })).status).toBe(200);
    const login = await get(`${base}lab?portcullis_token=${encodeURIComponent(phone)}&x=1`);
    expect(login.status).toBe(303);
    const cookie = String(login.headers['set-cookie'] ?? '').split(';')[0] ?? '';
    expect((await get(`${base}lab?x=1`, { cookie })).status).toBe(200);
    expect((await get(base, { authorization: `Bearer ${laptop}x` })).status).toBe(401);
    expect((await get(`${base}?portcullis_token=${encodeURIComponent(`${phone}x`)}`)).status).toBe(401);

    // Snippets and the QR code, revealed on request.
    await cli('token', 'snippet', 'api', await idOf('laptop'), '--for', 'curl', '--reveal');
    await cli('token', 'qr', 'api', await idOf('laptop'));

    // Rotations, a revocation, an expiry.
    const rotated = (await cli('token', 'rotate', 'api', await idOf('laptop'), '--show')).trim();
    secrets.add(rotated);
    const graced = (await cli('token', 'rotate', 'api', await idOf('phone'), '--grace', '10m', '--show')).trim();
    secrets.add(graced);
    expect((await get(base, { authorization: `Bearer ${graced}` })).status).toBe(200);
    expect((await get(base, { authorization: `Bearer ${laptop}` })).status).toBe(401);
    await cli('token', 'revoke', 'api', await idOf('brief'));
    await createShown('--label', 'short', '--expires', '1s');
    await waitFor(async () => (JSON.parse(await cli('token', 'ls', 'api', '--json')) as Array<{ label: string; state: string }>).some((t) => t.label === 'short' && t.state === 'expired'), 30_000, 'expiry');

    // A crash, and the supervisor bringing it back with its token from memory.
    const before = await pidOf();
    await get(`${base}crash`, { authorization: `Bearer ${rotated}` });
    await waitFor(async () => {
      const pid = await pidOf();
      return pid !== null && pid !== before && (await get(base, { authorization: `Bearer ${rotated}` })).status === 200;
    }, 60_000, 'the restart after the crash');
    sampleChildren();

    // The server's own token rotated (a restart), and used again through the gateway.
    await cli('token', 'upstream', 'api', '--rotate', '--yes');
    await upstreamSecret();
    await waitFor(async () => (await get(base, { authorization: `Bearer ${rotated}` })).status === 200, 60_000, 'the server to take its new token');
    sampleChildren();

    printed.push(await cli('logs', 'api', '--tail', '10000'));
    printed.push(await cli('audit', '--limit', '1000').catch((err: Error) => err.message));
    printed.push(await cli('token', 'ls', 'api'));
    printed.push(await cli('status', 'api', '--json'));
    await served.stop();
    printed.push(served.output());
  }, 300_000);

  it('handled enough secrets to mean something', () => {
    expect(secrets.size).toBeGreaterThanOrEqual(8);
    for (const s of secrets) expect(s).toMatch(/^pcs_[A-Za-z0-9_-]{43}$/);
  });

  it('no file under the home holds any of them (settings, logs, audit, child records)', () => {
    const files = everyFile(home).filter((f) => !f.endsWith('.sock'));
    expect(files.some((f) => f.endsWith('config.json'))).toBe(true);
    expect(files.some((f) => f.includes('/logs/'))).toBe(true);
    for (const file of files) {
      const text = readFileSync(file).toString('latin1');
      for (const secret of secrets) expect(text.includes(secret), `${file} holds a token`).toBe(false);
      expect(text, file).not.toMatch(/pcs_[A-Za-z0-9_-]{43}/);
    }
  });

  it("no child's command line holds one", () => {
    expect(cmdlines.size).toBeGreaterThanOrEqual(3);
    for (const [pid, argv] of cmdlines) for (const secret of secrets) expect(argv.includes(secret), `pid ${pid}`).toBe(false);
  });

  it('nothing printed without being asked for holds one (logs, audit, lists, serve)', () => {
    const text = printed.join('\n');
    expect(text).toContain('starting with my token');
    for (const secret of secrets) expect(text.includes(secret)).toBe(false);
  });
});
