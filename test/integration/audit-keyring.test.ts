import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listJournalFiles } from '../../main/core/audit/files.js';
import { GENESIS, hashLine } from '../../main/core/audit/line.js';
import { runCli } from '../helpers/cli.js';
import { hasTestKeyring, noKeyringReason, secretToolLookup, startKeyringEngine } from '../helpers/keyring.js';
import { tempDir } from '../helpers/tmp.js';

describe.skipIf(!hasTestKeyring)(`the audit head in the OS keychain (${hasTestKeyring ? 'private keyring' : noKeyringReason})`, () => {
  it('is stored at exit, checked by verify, and catches a journal rewritten with a recomputed chain', async () => {
    const home = tempDir('pc-audit-key-');
    const engine = await startKeyringEngine(home);
    for (const name of ['one', 'two', 'three']) await engine.call('servers.add', { name, command: process.execPath });
    await engine.close();

    const homeId = readFileSync(join(home, 'home-id'), 'utf8').trim();
    const file = (listJournalFiles(join(home, 'audit'))[0] as { path: string }).path;
    const lines = readFileSync(file, 'utf8').split('\n').slice(0, -1);
    const stored = JSON.parse((await secretToolLookup(`${homeId}/.audit/head`)) ?? 'null') as { seq: number; hash: string };
    expect(stored).toEqual({ seq: lines.length, hash: hashLine(lines.at(-1) as string) });

    const intact = await runCli(['--home', home, 'audit', 'verify']);
    expect(intact.stderr).toBe('');
    expect(intact.code).toBe(0);
    expect(intact.stdout).toContain(`head: matches the keychain (seq ${lines.length})`);

    // A forger rewrites who added "two" and recomputes the whole chain: every line links up.
    let prev = GENESIS;
    const forged = lines.map((line) => {
      const record = JSON.parse(line) as Record<string, unknown>;
      if (record.server === 'two') record.actor = { kind: 'desktop', user: 'someone-else' };
      record.prev = prev;
      const text = JSON.stringify(record);
      prev = hashLine(text);
      return text;
    });
    writeFileSync(file, `${forged.join('\n')}\n`);
    expect((await runCli(['--home', home, 'audit', 'verify', '--no-keychain'])).code).toBe(0);
    // With the keychain out of reach the forgery cannot be seen: verify must not call that a pass.
    const blind = await runCli(['--home', home, 'audit', 'verify'], { DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/portcullis-test-bus' });
    expect(blind.code).toBe(1);
    expect(blind.stdout).toContain('head: not checked — the keychain cannot be read');
    expect(blind.stderr).toContain('unlock the keychain and run again, or add --no-keychain');
    const caught = await runCli(['--home', home, 'audit', 'verify']);
    expect(caught.code).toBe(1);
    expect(caught.stdout).toContain(`audit journal NOT intact (head): ${file} line ${lines.length}: this line (seq ${lines.length}) does not match the head hash kept in the keychain`);

    // The next start notices too, says so, and keeps the keychain's head as evidence.
    const again = await startKeyringEngine(home);
    await again.call('servers.add', { name: 'four', command: process.execPath });
    await again.close();
    expect(again.panel.info().warnings.join('\n')).toContain('does not match the head kept in the keychain');
    expect(JSON.parse((await secretToolLookup(`${homeId}/.audit/head`)) ?? 'null')).toEqual(stored);
    expect((await runCli(['--home', home, 'audit', 'verify'])).code).toBe(1);

    // The user looks, then accepts the journal as it is: recorded, and verify passes again.
    const accepting = await startKeyringEngine(home);
    await expect(accepting.call('audit.acceptHead', { confirm: true })).resolves.toMatchObject({ ok: true, problem: null });
    const [accepted] = (await accepting.call('audit.query', { action: 'audit.head-accept', limit: 1 })).records;
    expect(accepted).toMatchObject({ kind: 'control', actor: { kind: 'cli' }, outcome: 'ok', params: { storedSeq: stored.seq } });
    await expect(accepting.call('audit.acceptHead', { confirm: true })).rejects.toThrow(/nothing to accept/);
    await accepting.close();
    expect((await runCli(['--home', home, 'audit', 'verify'])).code).toBe(0);
  }, 90_000);

  it('accepts only a head mismatch: a line changed inside the chain stays evidence', async () => {
    const home = tempDir('pc-audit-key-');
    const engine = await startKeyringEngine(home);
    for (const name of ['one', 'two']) await engine.call('servers.add', { name, command: process.execPath });
    const file = (listJournalFiles(join(home, 'audit'))[0] as { path: string }).path;
    await engine.call('audit.verify', {});
    writeFileSync(file, readFileSync(file, 'utf8').replace('"one"', '"uno"'));
    await expect(engine.call('audit.acceptHead', { confirm: true })).rejects.toThrow(/cannot be accepted/);
    await expect(engine.call('audit.acceptHead', {} as never)).rejects.toThrow(/confirm must be true/);
    await engine.close();
  }, 60_000);
});
