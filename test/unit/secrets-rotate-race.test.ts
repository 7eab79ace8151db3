import { describe, expect, it } from 'vitest';
import type { Actor } from '../../main/core/api.js';
import { nullAudit, type Keychain } from '../../main/core/ports.js';
import { ClientTokenService } from '../../main/core/secrets/client-tokens.js';
import { tokensSection, type TokenStore, type TokensSection } from '../../main/core/secrets/records.js';

/** A keychain held in memory whose writes wait until the test lets them through. */
class GatedKeychain implements Keychain {
  readonly entries = new Map<string, string>();
  private gate: Promise<void> | null = null;
  private open: () => void = () => undefined;
  hold(): void {
    this.gate = new Promise((resolve) => (this.open = resolve));
  }
  release(): void {
    this.open();
    this.gate = null;
  }
  async get(account: string) {
    return this.entries.get(account) ?? null;
  }
  async set(account: string, secret: string) {
    await this.gate;
    this.entries.set(account, secret);
  }
  async delete(account: string) {
    return this.entries.delete(account);
  }
  async find(prefix: string) {
    return [...this.entries].filter(([a]) => a.startsWith(prefix)).map(([account, secret]) => ({ account, secret }));
  }
}

/** Settings semantics: validated whole, replaced whole, unchanged when the change throws. */
function memoryStore(): TokenStore {
  let data: TokensSection = tokensSection.parse({});
  return {
    read: () => structuredClone(data),
    write: (change) => {
      const draft = structuredClone(data);
      change(draft);
      data = tokensSection.parse(draft);
    },
  };
}

const actor: Actor = { kind: 'cli', user: 'test' };
const server = { id: 'srv', name: 'demo' };

describe('rotation racing a revocation', () => {
  it('a token revoked while its rotation waits on the keychain stays revoked, and the rotation is refused', async () => {
    const keychain = new GatedKeychain();
    const service = new ClientTokenService({ homeId: 'h', keychain, store: memoryStore(), audit: nullAudit, serverName: () => 'demo', emit: () => undefined });
    const { token, secret } = await service.create(server, { label: 'laptop', show: true }, actor);
    keychain.hold();
    const rotation = service.rotate(server, token.id, { graceMs: 3_600_000, show: true }, actor);
    await service.revoke(server, token.id, actor);
    keychain.release();
    await expect(rotation).rejects.toMatchObject({ code: 'conflict', field: 'id' });
    expect(service.verify('srv', secret as string)).toEqual({ ok: false, reason: 'revoked' });
    expect(service.list(server).map((t) => t.state)).toEqual(['revoked']);
    expect([...keychain.entries.keys()]).toEqual([]);
    service.close();
  });
});
