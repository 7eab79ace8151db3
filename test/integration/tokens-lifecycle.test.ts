import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { clientAccount } from '../../main/core/secrets/accounts.js';
import { hasTestKeyring, noKeyringReason, secretToolLookup, startKeyringEngine, type KeyringEngine } from '../helpers/keyring.js';
import { tempDir } from '../helpers/tmp.js';
import { waitFor } from '../helpers/wait.js';

const describeKeyring = hasTestKeyring ? describe : describe.skip;
if (!hasTestKeyring) console.warn(`tokens-lifecycle: skipped, ${noKeyringReason}`);

const PCS = /^pcs_[A-Za-z0-9_-]{43}$/;

async function setup(home = tempDir()) {
  const engine = await startKeyringEngine(home);
  await engine.call('servers.add', { name: 'demo', command: process.execPath, args: ['-e', 'setInterval(() => {}, 1000)'], port: 18_999 });
  return engine;
}

const homeIdOf = (home: string): string => readFileSync(join(home, 'home-id'), 'utf8').trim();
const accountOf = async (engine: KeyringEngine, tokenId: string): Promise<string> =>
  clientAccount(homeIdOf(engine.home), (await engine.call('servers.get', { name: 'demo' })).id, tokenId);

describeKeyring('client tokens in the real keyring', () => {
  it('create puts the secret in the keychain and only metadata in settings; list shows it', async () => {
    const engine = await setup();
    const { token, secret } = await engine.call('tokens.create', { server: 'demo', label: 'laptop', show: true });
    expect(secret).toMatch(PCS);
    expect(token).toMatchObject({ label: 'laptop', server: 'demo', state: 'active', expires: null, lastUsed: null });
    expect(token.fingerprint).toMatch(/^[a-f0-9]{8}$/);
    expect(await secretToolLookup(await accountOf(engine, token.id))).toBe(secret);

    const hidden = await engine.call('tokens.create', { server: 'demo', label: 'alice', expires: '30d' });
    expect(hidden.secret).toBeNull();
    expect(Date.parse(hidden.token.expires ?? '') - Date.parse(hidden.token.created)).toBe(30 * 86_400_000);

    const list = await engine.call('tokens.list', { server: 'demo' });
    expect(list.map((t) => t.label).sort()).toEqual(['alice', 'laptop']);
    const settings = readFileSync(join(engine.home, 'config.json'), 'utf8');
    expect(settings).toContain(token.fingerprint);
    expect(settings).not.toContain(secret as string);
    expect(settings).not.toMatch(/pcs_/);
  });

  it('reveal reads the keychain and is audited without the secret', async () => {
    const engine = await setup();
    const { token, secret } = await engine.call('tokens.create', { server: 'demo', label: 'phone', show: true });
    const { secret: shown } = await engine.call('tokens.reveal', { server: 'demo', id: token.id });
    expect(shown).toBe(secret);
    const page = await engine.call('audit.query', {});
    const actions = page.records.map((r) => r.action);
    expect(actions).toEqual(expect.arrayContaining(['token.create', 'token.reveal']));
    expect(JSON.stringify(page.records)).not.toContain(secret as string);
  });

  it('rotate without grace: new secret, same label, the old one gone from the keychain', async () => {
    const engine = await setup();
    const first = await engine.call('tokens.create', { server: 'demo', label: 'ci', show: true });
    const rotated = await engine.call('tokens.rotate', { server: 'demo', id: first.token.id, show: true });
    expect(rotated.secret).toMatch(PCS);
    expect(rotated.secret).not.toBe(first.secret);
    expect(rotated.token).toMatchObject({ label: 'ci', state: 'active' });
    expect(rotated.replaced).toMatchObject({ id: first.token.id, state: 'rotated', replacedBy: rotated.token.id, graceUntil: null });
    expect(await secretToolLookup(await accountOf(engine, first.token.id))).toBeNull();
    expect(await secretToolLookup(await accountOf(engine, rotated.token.id))).toBe(rotated.secret);
    await expect(engine.call('tokens.reveal', { server: 'demo', id: first.token.id })).rejects.toThrow(/is rotated; its secret is gone/);
  });

  it('rotate with grace: the old token stays accepted (state grace) until the grace ends', async () => {
    const engine = await setup();
    const first = await engine.call('tokens.create', { server: 'demo', label: 'bob' });
    const rotated = await engine.call('tokens.rotate', { server: 'demo', id: first.token.id, grace: '1h' });
    expect(rotated.secret).toBeNull();
    expect(rotated.replaced.state).toBe('grace');
    expect(Date.parse(rotated.replaced.graceUntil ?? '') - Date.now()).toBeGreaterThan(59 * 60_000);
    const list = await engine.call('tokens.list', { server: 'demo' });
    expect(list.find((t) => t.id === first.token.id)?.state).toBe('grace');
  });

  it('revoke deletes the secret from the keychain and refuses to show it', async () => {
    const engine = await setup();
    const { token, secret } = await engine.call('tokens.create', { server: 'demo', label: 'temp', show: true });
    const account = await accountOf(engine, token.id);
    expect(await secretToolLookup(account)).toBe(secret);
    const { token: revoked, warning } = await engine.call('tokens.revoke', { server: 'demo', id: token.id });
    expect(warning).toBeNull();
    expect(revoked.state).toBe('revoked');
    expect(await secretToolLookup(account)).toBeNull();
    await expect(engine.call('tokens.reveal', { server: 'demo', id: token.id })).rejects.toThrow(/is revoked/);
  });

  it('expire: shown as expired, its secret removed, once its time has passed', async () => {
    const engine = await setup();
    const { token } = await engine.call('tokens.create', { server: 'demo', label: 'short', expires: '1s' });
    const account = await accountOf(engine, token.id);
    await waitFor(async () => (await engine.call('tokens.list', { server: 'demo' })).find((t) => t.id === token.id)?.state === 'expired', 10_000, 'expiry');
    await waitFor(async () => (await secretToolLookup(account)) === null, 10_000, 'the expired secret to leave the keychain');
    await expect(engine.call('tokens.reveal', { server: 'demo', id: token.id })).rejects.toThrow(/is expired/);
  });

  it('survives a restart and a reset settings file keeps the same keychain prefix', async () => {
    const home = tempDir();
    const engine = await setup(home);
    const { token, secret } = await engine.call('tokens.create', { server: 'demo', label: 'keep', show: true });
    const homeId = homeIdOf(home);
    await engine.close();
    const again = await startKeyringEngine(home);
    expect(homeIdOf(home)).toBe(homeId);
    expect((await again.call('tokens.reveal', { server: 'demo', id: token.id })).secret).toBe(secret);
    expect((await again.call('tokens.list', { server: 'demo' }))[0]).toMatchObject({ id: token.id, label: 'keep', state: 'active' });
  });

  it('a token that expired while Portcullis was stopped is shown expired and its secret deleted at the next start', async () => {
    const home = tempDir();
    const engine = await setup(home);
    const { token } = await engine.call('tokens.create', { server: 'demo', label: 'offline', expires: '3s' });
    const account = await accountOf(engine, token.id);
    await engine.close();
    expect(await secretToolLookup(account)).not.toBeNull();
    await waitFor(() => Date.now() > Date.parse(token.expires ?? ''), 5_000, 'the expiry time to pass');
    const again = await startKeyringEngine(home);
    expect((await again.call('tokens.list', { server: 'demo' }))[0]?.state).toBe('expired');
    await waitFor(async () => (await secretToolLookup(account)) === null, 10_000, 'the expired secret to be deleted');
  });

  it('removing a server removes its tokens from the keychain', async () => {
    const engine = await setup();
    const { token } = await engine.call('tokens.create', { server: 'demo', label: 'gone' });
    const account = await accountOf(engine, token.id);
    await engine.call('servers.remove', { name: 'demo' });
    await waitFor(async () => (await secretToolLookup(account)) === null, 10_000, 'the keychain entry to go');
  });

  it('bad input names the field and changes nothing', async () => {
    const engine = await setup();
    await expect(engine.call('tokens.create', { server: 'demo', expires: 'soon' })).rejects.toMatchObject({
      code: 'invalid_args',
      field: 'expires',
      message: expect.stringContaining('expires must be a duration such as 30d'),
    });
    await expect(engine.call('tokens.create', { server: 'nope' })).rejects.toMatchObject({ code: 'not_found', message: expect.stringContaining('no server named "nope"') });
    await expect(engine.call('tokens.revoke', { server: 'demo', id: 'abcdef0123' })).rejects.toMatchObject({ code: 'not_found', field: 'id' });
    await expect(engine.call('tokens.rotate', { server: 'demo', id: 'zz' })).rejects.toMatchObject({ code: 'invalid_args', field: 'id' });
    await expect(engine.call('tokens.create', { server: 'demo', label: 'a\u0007b' })).rejects.toMatchObject({ field: 'label' });
    expect(await engine.call('tokens.list', { server: 'demo' })).toEqual([]);
  });

  it('copy (desktop): the clipboard holds the secret, the audit says so without it; serve has no clipboard', async () => {
    let text = '';
    const clipboard = { writeText: async (t: string) => void (text = t), readText: async () => text };
    const home = tempDir();
    const desktop = await startKeyringEngine(home, undefined, clipboard);
    await desktop.call('servers.add', { name: 'demo', command: process.execPath, args: ['-e', '0'], port: 18_998 });
    const { token, secret } = await desktop.call('tokens.create', { server: 'demo', label: 'clip', show: true });
    const copied = await desktop.call('tokens.copy', { server: 'demo', id: token.id });
    expect(copied.clearsAfterMs).toBe(30_000);
    expect(text).toBe(secret);
    const records = (await desktop.call('audit.query', { action: 'token.copy' })).records;
    expect(records).toHaveLength(1);
    expect(JSON.stringify(records)).not.toContain(secret as string);
    // Quitting within the 30 s clears it too.
    await desktop.close();
    expect(text).toBe('');

    const headless = await setup();
    const made = await headless.call('tokens.create', { server: 'demo', label: 'noclip' });
    await expect(headless.call('tokens.copy', { server: 'demo', id: made.token.id })).rejects.toMatchObject({
      code: 'unavailable',
      message: expect.stringContaining('no clipboard of its own'),
    });
  });
});
