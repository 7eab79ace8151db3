import { describe, expect, it } from 'vitest';
import { fromTuple, toTuple } from '../../main/core/audit/access-tuple.js';
import type { AccessEntry } from '../../main/core/ports.js';

describe('an access entry on its way to the writer thread', () => {
  it('arrives field for field, with and without its optional fields, after a copy across threads', () => {
    const allowed: AccessEntry = { server: 'pico', mode: 'lan', client: '10.0.0.2', method: 'POST', path: '/v1/chat', status: 200, bytesIn: 12, bytesOut: 345, durationMs: 1.5, tokenId: 'a1b2', tokenLabel: 'laptop' };
    const denied: AccessEntry = { server: 'pico', mode: 'public', client: '::1', method: 'GET', path: '/', status: 401, bytesIn: 0, bytesOut: 80, durationMs: 0.2, reason: 'unauthorized' };
    for (const entry of [allowed, denied]) {
      // structuredClone is the copy postMessage makes.
      const back = fromTuple(structuredClone(toTuple(entry, 1_700_000_000_123)));
      expect(back).toEqual({ entry, at: 1_700_000_000_123 });
      // Absent fields stay absent (not undefined keys), as the record's line must not change.
      expect(Object.keys(back.entry).sort()).toEqual(Object.keys(entry).sort());
    }
  });
});
