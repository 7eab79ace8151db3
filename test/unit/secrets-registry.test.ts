import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { activeTokenRecord, type ClientTokenRecord } from '../../main/core/secrets/records.js';
import { TokenRegistry } from '../../main/core/secrets/token-registry.js';
import { newSecret } from '../../main/core/secrets/token-format.js';

function record(serverId: string, id: string, secret: string, extra: Partial<ClientTokenRecord> = {}): ClientTokenRecord {
  return { ...activeTokenRecord({ id, serverId, label: `label-${id}`, secret }), ...extra };
}

describe('the gateway’s token checks', () => {
  beforeEach(() => vi.useFakeTimers({ now: new Date('2026-01-01T00:00:00Z') }));
  afterEach(() => vi.useRealTimers());

  it('accepts a server’s own active token and nothing else', () => {
    const registry = new TokenRegistry();
    const a = newSecret();
    const b = newSecret();
    registry.put([record('srv-a', 'aaaaaaaaaa', a), record('srv-b', 'bbbbbbbbbb', b)]);
    expect(registry.verify('srv-a', a)).toEqual({ ok: true, tokenId: 'aaaaaaaaaa', label: 'label-aaaaaaaaaa' });
    expect(registry.verify('srv-a', b)).toEqual({ ok: false, reason: 'unknown' });
    expect(registry.verify('srv-a', `${a}x`)).toEqual({ ok: false, reason: 'unknown' });
    expect(registry.verify('srv-a', '')).toEqual({ ok: false, reason: 'missing' });
  });

  it('refuses an expired token from the moment it expires and tells listeners once', () => {
    const registry = new TokenRegistry();
    const secret = newSecret();
    const heard: string[] = [];
    registry.onInvalidated((server, id) => heard.push(`${server}/${id}`));
    registry.put([record('srv', 'cccccccccc', secret, { expiresAt: new Date(Date.now() + 5_000).toISOString() })]);
    vi.advanceTimersByTime(4_999);
    expect(registry.verify('srv', secret).ok).toBe(true);
    expect(heard).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(registry.verify('srv', secret)).toEqual({ ok: false, reason: 'expired' });
    expect(heard).toEqual(['srv/cccccccccc']);
    vi.advanceTimersByTime(60_000);
    expect(heard).toHaveLength(1);
  });

  it('keeps a rotated-out token working through its grace period only', () => {
    const registry = new TokenRegistry();
    const secret = newSecret();
    const heard: string[] = [];
    registry.onInvalidated((_, id) => heard.push(id));
    const active = record('srv', 'dddddddddd', secret);
    registry.put([active]);
    registry.put([{ ...active, state: 'rotated', graceUntil: new Date(Date.now() + 60_000).toISOString() }]);
    expect(registry.verify('srv', secret).ok).toBe(true);
    vi.advanceTimersByTime(60_000);
    expect(registry.verify('srv', secret)).toEqual({ ok: false, reason: 'revoked' });
    expect(heard).toEqual(['dddddddddd']);
  });

  it('tells listeners at once when a token is revoked, and refuses it', () => {
    const registry = new TokenRegistry();
    const secret = newSecret();
    const heard: string[] = [];
    registry.onInvalidated((_, id) => heard.push(id));
    const active = record('srv', 'eeeeeeeeee', secret);
    registry.put([active]);
    registry.put([{ ...active, state: 'revoked' }]);
    expect(heard).toEqual(['eeeeeeeeee']);
    expect(registry.verify('srv', secret)).toEqual({ ok: false, reason: 'revoked' });
  });

  it('re-arms for expiries beyond what one timer can hold', () => {
    const registry = new TokenRegistry();
    const secret = newSecret();
    const heard: string[] = [];
    registry.onInvalidated((_, id) => heard.push(id));
    const days40 = 40 * 86_400_000;
    registry.put([record('srv', 'ffffffffff', secret, { expiresAt: new Date(Date.now() + days40).toISOString() })]);
    vi.advanceTimersByTime(days40 - 1);
    expect(heard).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(heard).toEqual(['ffffffffff']);
  });

  it('remembers uses for the coalesced last-used write', () => {
    const registry = new TokenRegistry();
    const secret = newSecret();
    registry.put([record('srv', '0123456789', secret)]);
    registry.verify('srv', secret);
    registry.verify('srv', secret);
    const used = registry.takeLastUsed();
    expect([...used.keys()]).toEqual(['0123456789']);
    expect(registry.takeLastUsed().size).toBe(0);
  });
});
