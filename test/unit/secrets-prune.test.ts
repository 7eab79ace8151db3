import { describe, expect, it } from 'vitest';
import type { Actor } from '../../main/core/api.js';
import { MemoryKeychain } from '../../main/core/audit/memory-keychain.js';
import type { AuditEntry, AuditPort } from '../../main/core/ports.js';
import { ClientTokenService } from '../../main/core/secrets/client-tokens.js';
import { memoryTokenStore } from '../helpers/token-store.js';

const DAY = 86_400_000;
const actor: Actor = { kind: 'cli', user: 'test' };
const server = { id: 'srv', name: 'demo' };

describe('ended tokens', () => {
  it('leave the list 30 days after they ended, recorded in the audit journal; active ones and recent ends stay', async () => {
    let now = Date.parse('2026-01-01T00:00:00Z');
    const store = memoryTokenStore();
    const keychain = new MemoryKeychain();
    const records: AuditEntry[] = [];
    const audit: AuditPort = { record: async (e) => void records.push(e), access: () => undefined };
    const deps = { homeId: 'h', keychain, store, audit, serverName: () => 'demo', emit: () => undefined, now: () => now };
    const first = new ClientTokenService(deps);
    const active = (await first.create(server, { label: 'laptop', show: false }, actor)).token;
    const revoked = (await first.create(server, { label: 'old phone', show: false }, actor)).token;
    await first.revoke(server, revoked.id, actor);
    const rotated = await first.rotate(server, (await first.create(server, { label: 'ci', show: false }, actor)).token.id, { graceMs: DAY, show: false }, actor);
    now += 20 * DAY;
    const recent = (await first.create(server, { label: 'demo day', show: false }, actor)).token;
    await first.revoke(server, recent.id, actor);
    first.close();

    // 30 days and a half after the first ends: the next start (and every day after) tidies up.
    now += 11.5 * DAY;
    const later = new ClientTokenService(deps);
    const listed = later.list(server).map((t) => t.id);
    expect(listed).toContain(active.id);
    expect(listed).toContain(rotated.token.id);
    expect(listed).toContain(recent.id);
    expect(listed).not.toContain(revoked.id);
    expect(listed).not.toContain(rotated.replaced.id);
    expect(store.read().client.map((r) => r.id).sort()).toEqual(listed.sort());
    await new Promise((r) => setImmediate(r));
    expect(records.filter((r) => r.action === 'token.prune')).toEqual([
      expect.objectContaining({ kind: 'system', server: 'demo', outcome: 'ok', params: { count: 2 } }),
    ]);
    later.close();
  });
});
