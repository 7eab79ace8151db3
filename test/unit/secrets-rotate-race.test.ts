import { describe, expect, it } from 'vitest';
import type { Actor } from '../../main/core/api.js';
import { MemoryKeychain } from '../../main/core/audit/memory-keychain.js';
import { nullAudit } from '../../main/core/ports.js';
import { ClientTokenService } from '../../main/core/secrets/client-tokens.js';
import { memoryTokenStore } from '../helpers/token-store.js';

/** A keychain held in memory whose writes wait until the test lets them through. */
class GatedKeychain extends MemoryKeychain {
  private gate: Promise<void> | null = null;
  private open: () => void = () => undefined;
  hold(): void {
    this.gate = new Promise((resolve) => (this.open = resolve));
  }
  release(): void {
    this.open();
    this.gate = null;
  }
  override async set(account: string, secret: string): Promise<void> {
    await this.gate;
    await super.set(account, secret);
  }
}

const actor: Actor = { kind: 'cli', user: 'test' };
const server = { id: 'srv', name: 'demo' };

describe('rotation racing a revocation', () => {
  it('a token revoked while its rotation waits on the keychain stays revoked, and the rotation is refused', async () => {
    const keychain = new GatedKeychain();
    const service = new ClientTokenService({ homeId: 'h', keychain, store: memoryTokenStore(), audit: nullAudit, serverName: () => 'demo', emit: () => undefined });
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
