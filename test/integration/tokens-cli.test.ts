import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { clientAccount } from '../../main/core/secrets/accounts.js';
import { runCli, startServe } from '../helpers/cli.js';
import { hasTestKeyring, noKeyringReason, secretToolLookup } from '../helpers/keyring.js';
import { freePort } from '../helpers/ports.js';
import { tempDir } from '../helpers/tmp.js';

const describeKeyring = hasTestKeyring ? describe : describe.skip;
if (!hasTestKeyring) console.warn(`tokens-cli: skipped, ${noKeyringReason}`);

const PCS_LINE = /^pcs_[A-Za-z0-9_-]{43}\n$/;

describeKeyring('portcullis token … against portcullis serve and the real keyring', { timeout: 120_000 }, () => {
  const home = tempDir();
  const cli = (...args: string[]) => runCli(['--home', home, ...args]);
  let serverId = '';
  let port = 0;

  beforeAll(async () => {
    await startServe(home);
    port = await freePort();
    const added = await cli('add', 'demo', '--port', String(port), '--', process.execPath, '-e', 'setInterval(() => {}, 1000)');
    expect(added.code).toBe(0);
    serverId = (JSON.parse((await cli('ls', '--json')).stdout) as Array<{ id: string }>)[0]?.id ?? '';
  });

  const account = (tokenId: string) => clientAccount(readFileSync(join(home, 'home-id'), 'utf8').trim(), serverId, tokenId);

  it('create --show prints the secret alone; ls --json has the documented shape; show prints it again', async () => {
    const created = await cli('token', 'create', 'demo', '--label', 'laptop', '--expires', '30d', '--show');
    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(PCS_LINE);
    expect(created.stderr).toMatch(/created token [a-f0-9]{10} "laptop"/);
    const secret = created.stdout.trim();

    const listed = await cli('token', 'ls', 'demo', '--json');
    expect(listed.code).toBe(0);
    const tokens = JSON.parse(listed.stdout) as Array<Record<string, unknown>>;
    expect(tokens).toHaveLength(1);
    expect(Object.keys(tokens[0] ?? {}).sort()).toEqual(['created', 'expires', 'fingerprint', 'id', 'label', 'lastUsed', 'state']);
    expect(tokens[0]).toMatchObject({ label: 'laptop', state: 'active', lastUsed: null });
    const id = tokens[0]?.id as string;

    const shown = await cli('token', 'show', 'demo', id);
    expect(shown).toMatchObject({ code: 0, stdout: `${secret}\n` });
    expect(await secretToolLookup(account(id))).toBe(secret);

    const table = await cli('token', 'ls', 'demo');
    expect(table.stdout).toMatch(/ID\s+LABEL\s+STATE\s+FINGERPRINT/);
    expect(table.stdout).toContain('laptop');
    expect(table.stdout).not.toContain(secret);
  });

  it('create without --show keeps the secret off the terminal', async () => {
    const created = await cli('token', 'create', 'demo', '--label', 'quiet');
    expect(created.code).toBe(0);
    expect(created.stdout + created.stderr).not.toMatch(/pcs_/);
    expect(created.stdout).toMatch(/show its secret with `portcullis token show demo [a-f0-9]{10}`/);
  });

  it('rotate --grace and revoke, with the keychain following', async () => {
    const created = await cli('token', 'create', 'demo', '--label', 'phone', '--show');
    const id = (JSON.parse((await cli('token', 'ls', 'demo', '--json')).stdout) as Array<{ id: string; label: string }>).find((t) => t.label === 'phone')?.id as string;
    const rotated = await cli('token', 'rotate', 'demo', id, '--grace', '10m', '--show');
    expect(rotated.code).toBe(0);
    expect(rotated.stdout).toMatch(PCS_LINE);
    expect(rotated.stdout).not.toBe(created.stdout);
    expect(rotated.stderr).toMatch(new RegExp(`${id} is still accepted until`));
    const after = JSON.parse((await cli('token', 'ls', 'demo', '--json')).stdout) as Array<{ id: string; label: string; state: string }>;
    expect(after.filter((t) => t.label === 'phone').map((t) => t.state).sort()).toEqual(['active', 'grace']);
    const fresh = after.find((t) => t.label === 'phone' && t.state === 'active')?.id as string;

    const revoked = await cli('token', 'revoke', 'demo', fresh);
    expect(revoked.code).toBe(0);
    expect(revoked.stdout).toMatch(/^revoked [a-f0-9]{10} "phone"/);
    expect(await secretToolLookup(account(fresh))).toBeNull();
    const refused = await cli('token', 'show', 'demo', fresh);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/is revoked; its secret is gone/);
  });

  it('snippet hides the secret unless --reveal; qr prints a code', async () => {
    const created = await cli('token', 'create', 'demo', '--label', 'snip', '--show');
    const secret = created.stdout.trim();
    const id = (JSON.parse((await cli('token', 'ls', 'demo', '--json')).stdout) as Array<{ id: string; label: string }>).find((t) => t.label === 'snip')?.id as string;
    const hidden = await cli('token', 'snippet', 'demo', id, '--for', 'curl');
    expect(hidden.code).toBe(0);
    expect(hidden.stdout).toContain(`http://127.0.0.1:${port}`);
    expect(hidden.stdout).not.toMatch(/pcs_/);
    expect(hidden.stderr).toContain('--reveal');
    const shown = await cli('token', 'snippet', 'demo', id, '--for', 'python', '--reveal', '--url', 'http://192.168.1.20:8443');
    expect(shown.stdout).toContain(`OpenAI(base_url="http://192.168.1.20:8443/v1", api_key="${secret}")`);
    const qr = await cli('token', 'qr', 'demo', id, '--url', 'http://192.168.1.20:8443');
    expect(qr.code).toBe(0);
    expect(qr.stdout).toMatch(/[█▀▄]/);
    expect(qr.stdout).not.toContain(secret);
  });

  it('bad input: exit 2 and a message naming what to fix', async () => {
    const badDuration = await cli('token', 'create', 'demo', '--expires', 'soon');
    expect(badDuration.code).toBe(2);
    expect(badDuration.stderr).toContain('expires must be a duration such as 30d');
    const badKind = await cli('token', 'snippet', 'demo', 'abcd', '--for', 'perl');
    expect(badKind.code).toBe(2);
    expect(badKind.stderr).toContain('--for must be one of curl, python, js, mcp, env');
    const missing = await cli('token', 'show', 'demo');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/missing NAME and ID\nusage: portcullis token show NAME ID/);
    const unknownServer = await cli('token', 'ls', 'nope');
    expect(unknownServer.code).toBe(1);
    expect(unknownServer.stderr).toContain('no server named "nope"');
    const usage = await cli('token');
    expect(usage.code).toBe(2);
    expect(usage.stdout).toContain('token create NAME [--label L] [--expires DURATION] [--show]');
  });
});
