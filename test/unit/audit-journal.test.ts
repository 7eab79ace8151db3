import { mkdirSync, readFileSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listJournalFiles } from '../../main/core/audit/files.js';
import { readHead } from '../../main/core/audit/head-store.js';
import { AuditJournal } from '../../main/core/audit/journal.js';
import { parseLine } from '../../main/core/audit/line.js';
import { MemoryKeychain } from '../../main/core/audit/memory-keychain.js';
import { queryJournal } from '../../main/core/audit/query.js';
import { verifyJournal } from '../../main/core/audit/verify.js';
import type { AuditRecord } from '../../main/core/contract/audit.js';
import type { AccessEntry } from '../../main/core/ports.js';
import { tempDir } from '../helpers/tmp.js';
import { waitFor } from '../helpers/wait.js';

const HOME_ID = 'b'.repeat(32);
const SECRET = 'pcs_Zx81supersecretTOKENvalue';

const request = (i: number, extra: Partial<AccessEntry> = {}): AccessEntry => ({
  server: 'picochat',
  mode: 'lan',
  client: `192.168.1.${i % 250}`,
  method: 'GET',
  path: `/api/item/${i}`,
  status: 200,
  bytesIn: 10,
  bytesOut: 200,
  durationMs: 1.5,
  tokenId: 'tok-1',
  tokenLabel: 'laptop',
  ...extra,
});

const allText = (dir: string): string => listJournalFiles(dir).map((f) => readFileSync(f.path, 'utf8')).join('');
const allRecords = (dir: string): AuditRecord[] =>
  allText(dir)
    .split('\n')
    .filter(Boolean)
    .map((l) => parseLine(l) as AuditRecord);

describe('audit journal', () => {
  it('never writes a secret: params are whitelisted and token-shaped text is replaced', async () => {
    const home = tempDir('pc-audit-');
    const journal = new AuditJournal({ home });
    await journal.record({
      kind: 'control',
      actor: { kind: 'cli', user: 'alice' },
      action: 'token.create',
      server: 'picochat',
      outcome: 'ok',
      reason: `made ${SECRET}`,
      params: { tokenId: 't1', label: 'laptop', secret: SECRET, value: SECRET, expiresAt: null },
      to: { env: { PICOCHAT_AUTH_TOKEN: 'upstream-secret-value' }, apiKey: 'k-123', note: SECRET },
    });
    journal.access(request(1, { path: `/?portcullis_token=${encodeURIComponent(SECRET)}&q=1`, reason: `bad token ${SECRET}`, status: 401 }));
    await journal.close();
    const text = allText(journal.dir);
    expect(text).not.toContain('supersecret');
    expect(text).not.toContain('upstream-secret-value');
    expect(text).not.toContain('k-123');
    const [control, access] = allRecords(journal.dir);
    expect(control?.params).toEqual({ tokenId: 't1', label: 'laptop', expiresAt: null });
    expect(control?.to).toEqual({ env: { PICOCHAT_AUTH_TOKEN: '[redacted]' }, apiKey: '[redacted]', note: 'pcs_[redacted]' });
    expect(access?.params?.path).toBe('/?portcullis_token=[redacted]&q=1');
  });

  it('writes batched access records on a clean stop and chains them with control records', async () => {
    const home = tempDir('pc-audit-');
    const keychain = new MemoryKeychain();
    const journal = new AuditJournal({ home, keychain, homeId: HOME_ID });
    const seen: AuditRecord[] = [];
    let omitted = 0;
    journal.onRecords((records, left) => {
      seen.push(...records);
      omitted += left;
    });
    for (let i = 0; i < 2_500; i++) {
      journal.access(request(i));
      if (i % 500 === 0) await journal.record({ kind: 'control', actor: { kind: 'system' }, action: 'server.expose', server: 'picochat', outcome: 'ok', params: { mode: 'lan' } });
    }
    await journal.close();
    const records = allRecords(journal.dir);
    expect(records).toHaveLength(2_505);
    expect(records.map((r) => r.seq)).toEqual(Array.from({ length: 2_505 }, (_, i) => i + 1));
    expect(records.filter((r) => r.kind === 'access')).toHaveLength(2_500);
    // Live: every control record; access records beyond the newest 100 of a write only counted.
    expect(seen.length + omitted).toBe(2_505);
    expect(seen.filter((r) => r.kind === 'control')).toHaveLength(5);
    expect(await readHead(keychain, HOME_ID)).toEqual(journal.head());
    expect((await verifyJournal(journal.dir, { head: await readHead(keychain, HOME_ID) })).ok).toBe(true);
  });

  it('marks gateway requests ok, denied with the reason, or error, with the token label as actor', async () => {
    const home = tempDir('pc-audit-');
    const journal = new AuditJournal({ home });
    journal.access(request(1));
    journal.access(request(2, { status: 401, reason: 'unknown token', tokenId: undefined, tokenLabel: undefined }));
    journal.access(request(3, { status: 502 }));
    await journal.close();
    const [ok, denied, failed] = allRecords(journal.dir);
    expect(ok).toMatchObject({ kind: 'access', action: 'gateway.request', outcome: 'ok', actor: { kind: 'client', address: '192.168.1.1', tokenLabel: 'laptop' } });
    expect(denied).toMatchObject({ outcome: 'denied', reason: 'unknown token', actor: { kind: 'client', address: '192.168.1.2' } });
    expect(failed).toMatchObject({ outcome: 'error', params: { status: 502 } });
  });

  it('queries newest first with filters and pages back through rotated files', async () => {
    const home = tempDir('pc-audit-');
    const journal = new AuditJournal({ home, maxFileBytes: 4_000 });
    for (let i = 0; i < 60; i++) journal.access(request(i, i % 3 === 0 ? { status: 403, reason: 'origin mismatch' } : {}));
    await journal.record({ kind: 'control', actor: { kind: 'cli', user: 'alice' }, action: 'server.stop', server: 'jupyter', outcome: 'ok' });
    await journal.close();
    expect(listJournalFiles(journal.dir).length).toBeGreaterThan(1);

    const newest = await queryJournal(journal.dir, { limit: 5 });
    expect(newest.records.map((r) => r.seq)).toEqual([61, 60, 59, 58, 57]);
    expect(newest.nextBefore).toBe(57);

    const denied: AuditRecord[] = [];
    let before: number | undefined;
    do {
      const page = await queryJournal(journal.dir, { outcome: 'denied', limit: 7, before });
      denied.push(...page.records);
      before = page.nextBefore ?? undefined;
    } while (before !== undefined);
    expect(denied).toHaveLength(20);
    expect(denied.every((r) => r.outcome === 'denied' && r.reason === 'origin mismatch')).toBe(true);
    expect(denied.map((r) => r.seq)).toEqual([...denied.map((r) => r.seq)].sort((a, b) => b - a));

    expect((await queryJournal(journal.dir, { server: 'jupyter', limit: 10 })).records).toHaveLength(1);
    expect((await queryJournal(journal.dir, { client: '192.168.1.7', limit: 10 })).records.map((r) => r.seq)).toEqual([8]);
    expect((await queryJournal(journal.dir, { text: 'ALICE', limit: 10 })).records.map((r) => r.action)).toEqual(['server.stop']);
    expect((await queryJournal(journal.dir, { since: new Date(Date.now() + 60_000).toISOString(), limit: 10 })).records).toHaveLength(0);
  });

  it('removes files past retention at open, records it, and the rest still verifies', async () => {
    const home = tempDir('pc-audit-');
    const first = new AuditJournal({ home, maxFileBytes: 1_500 });
    for (let i = 0; i < 40; i++) await first.record({ kind: 'control', actor: { kind: 'system' }, action: 'server.start', server: `s${i}`, outcome: 'ok' });
    await first.close();
    const files = listJournalFiles(first.dir);
    expect(files.length).toBeGreaterThan(3);
    const old = new Date(Date.now() - 100 * 86_400_000);
    for (const f of files.slice(0, 2)) utimesSync(f.path, old, old);

    const second = new AuditJournal({ home, retentionDays: 90 });
    await second.whenReady();
    await second.close();
    const left = listJournalFiles(second.dir);
    expect(left.map((f) => f.name)).toEqual(files.slice(2).map((f) => f.name));
    const prune = allRecords(second.dir).at(-1);
    expect(prune).toMatchObject({ kind: 'system', action: 'audit.prune', params: { files: files.slice(0, 2).map((f) => f.name), retentionDays: 90 } });
    expect((await verifyJournal(second.dir, { head: null })).ok).toBe(true);
  });

  it('applies a shorter retention at once when configured while running', async () => {
    const home = tempDir('pc-audit-');
    const journal = new AuditJournal({ home, maxFileBytes: 1_500 });
    for (let i = 0; i < 30; i++) await journal.record({ kind: 'control', actor: { kind: 'system' }, action: 'server.start', server: `s${i}`, outcome: 'ok' });
    const files = listJournalFiles(journal.dir);
    const old = new Date(Date.now() - 10 * 86_400_000);
    utimesSync((files[0] as { path: string }).path, old, old);
    journal.configure({ retentionDays: 30 });
    await journal.flush();
    expect(listJournalFiles(journal.dir)).toHaveLength(files.length);
    journal.configure({ retentionDays: 7 });
    await waitFor(() => allRecords(journal.dir).some((r) => r.action === 'audit.prune'), 20_000, 'the prune record');
    await journal.close();
    expect(listJournalFiles(journal.dir).map((f) => f.name)).not.toContain((files[0] as { name: string }).name);
  });

  it('refuses control records and calls onUnwritable when the journal cannot be written', async () => {
    const home = tempDir('pc-audit-');
    const journal = new AuditJournal({ home, maxFileBytes: 1 });
    const failures: Error[] = [];
    journal.onUnwritable((err) => failures.push(err));
    await journal.record({ kind: 'control', actor: { kind: 'system' }, action: 'server.start', outcome: 'ok' });
    // Every record now needs a new file; the folder is replaced by a plain file, so none can be made.
    rmSync(journal.dir, { recursive: true });
    writeFileSync(journal.dir, 'not a folder');
    await expect(journal.record({ kind: 'control', actor: { kind: 'system' }, action: 'server.stop', outcome: 'ok' })).rejects.toThrow(/audit journal .* cannot be written/);
    expect(failures).toHaveLength(1);
    expect(journal.isUnwritable).toBe(true);
    // Writable again: the next record goes in and continues the chain.
    rmSync(journal.dir);
    mkdirSync(journal.dir);
    await journal.record({ kind: 'control', actor: { kind: 'system' }, action: 'server.stop', outcome: 'ok' });
    await journal.close();
    expect(journal.isUnwritable).toBe(false);
    expect(readdirSync(journal.dir)).toHaveLength(1);
    expect(allRecords(journal.dir)).toMatchObject([{ seq: 2, action: 'server.stop' }]);
  });

  it('copies the head to the keychain on its interval while running, not only at exit', async () => {
    const home = tempDir('pc-audit-');
    const keychain = new MemoryKeychain();
    const journal = new AuditJournal({ home, keychain, homeId: HOME_ID, headIntervalMs: 50 });
    await journal.record({ kind: 'control', actor: { kind: 'system' }, action: 'server.start', outcome: 'ok' });
    journal.access(request(1));
    await journal.flush();
    await waitFor(async () => JSON.stringify(await readHead(keychain, HOME_ID)) === JSON.stringify({ seq: 2, hash: journal.head().hash }), 20_000, 'the head in the keychain');
    await journal.close();
  });

  it('refuses to overwrite a keychain head the journal no longer matches, and says so in the journal', async () => {
    const home = tempDir('pc-audit-');
    const keychain = new MemoryKeychain();
    const first = new AuditJournal({ home, keychain, homeId: HOME_ID });
    for (let i = 0; i < 3; i++) await first.record({ kind: 'control', actor: { kind: 'system' }, action: 'server.start', outcome: 'ok' });
    await first.close();
    const stored = await readHead(keychain, HOME_ID);
    // Someone deletes the whole journal while Portcullis is not running.
    rmSync(join(home, 'audit'), { recursive: true });
    const second = new AuditJournal({ home, keychain, homeId: HOME_ID });
    const warnings: string[] = [];
    second.onWarning((w) => warnings.push(w));
    await second.record({ kind: 'control', actor: { kind: 'system' }, action: 'server.start', outcome: 'ok' });
    await second.close();
    expect(warnings.join('\n')).toContain('does not match the head kept in the keychain');
    expect(await readHead(keychain, HOME_ID)).toEqual(stored);
    expect(allRecords(second.dir).find((r) => r.action === 'audit.head-mismatch')).toMatchObject({ kind: 'system', outcome: 'error', params: { seq: 3 } });
    expect((await verifyJournal(second.dir, { head: stored })).problem?.kind).toBe('head');
  });
});
