import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { listJournalFiles } from '../../main/core/audit/files.js';
import { AuditJournal } from '../../main/core/audit/journal.js';
import { queryJournal } from '../../main/core/audit/query.js';
import { verifyJournal } from '../../main/core/audit/verify.js';
import type { AuditRecord } from '../../main/core/contract/audit.js';
import { tempDir } from '../helpers/tmp.js';
import { waitFor } from '../helpers/wait.js';
import { actor, bearer, call, startHarness } from './gateway-fixture.js';

describe('gateway requests in the audit journal', () => {
  it('shows an allowed request with its token label and a denied one with its reason, live and on disk', async () => {
    const journal = new AuditJournal({ home: tempDir('pc-audit-gw-') });
    const live: AuditRecord[] = [];
    journal.onRecords((records) => live.push(...records));
    // The real gateway (listener, auth, forwarding) with the real journal as its audit port.
    const h = await startHarness({ deps: { audit: journal } });
    const exposed = await h.exposure.expose({ name: 'alpha', mode: 'lan', bind: '127.0.0.2', confirm: false }, actor);
    const port = exposed.exposure.port as number;
    const secret = exposed.createdToken?.secret as string;
    const label = exposed.createdToken?.label as string;

    expect((await call(port, { path: '/json?x=1', headers: bearer(secret) })).status).toBe(200);
    const allowed = await waitFor(() => live.find((r) => r.kind === 'access' && r.outcome === 'ok'), 20_000, 'the allowed request in the live stream');
    expect(allowed).toMatchObject({
      action: 'gateway.request',
      actor: { kind: 'client', address: '127.0.0.1', tokenLabel: label },
      params: { method: 'GET', path: '/json?x=1', status: 200, mode: 'lan' },
    });

    expect((await call(port, { headers: bearer('A'.repeat(43)) })).status).toBe(401);
    const denied = await waitFor(() => live.find((r) => r.kind === 'access' && r.outcome === 'denied'), 20_000, 'the denied request in the live stream');
    expect(denied.reason).toBeTruthy();
    expect(denied.actor).toEqual({ kind: 'client', address: '127.0.0.1' });
    expect(denied.params).toMatchObject({ status: 401 });

    await h.exposure.shutdown();
    await journal.close();
    const page = await queryJournal(journal.dir, { kind: 'access', limit: 10 });
    expect(page.records.map((r) => r.seq)).toEqual([denied.seq, allowed.seq]);
    // Exposing is a control record, written before the exposure was reported done.
    const control = await queryJournal(journal.dir, { kind: 'control', limit: 10 });
    expect(control.records.length).toBeGreaterThan(0);
    expect(control.records.some((r) => r.seq < allowed.seq)).toBe(true);
    const text = listJournalFiles(journal.dir).map((f) => readFileSync(f.path, 'utf8')).join('');
    expect(text).not.toContain(secret);
    expect(text).not.toContain('A'.repeat(43));
    expect((await verifyJournal(journal.dir, { head: null })).ok).toBe(true);
  });
});
