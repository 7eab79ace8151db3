import { describe, expect, it } from 'vitest';
import type { AuditActor, AuditRecordOutcome } from '../../main/core/contract/audit.js';
import { accessLine } from '../../main/core/audit/access-line.js';
import { toTuple } from '../../main/core/audit/access-tuple.js';
import { isoTime } from '../../main/core/audit/iso-time.js';
import { chainRecord, GENESIS, hashLine, type Unchained } from '../../main/core/audit/line.js';
import { scrubPath, scrubString } from '../../main/core/audit/redact.js';
import type { AccessEntry } from '../../main/core/ports.js';

/**
 * The record an access entry stands for, built as a generic record and serialized by
 * chainRecord — how the journal wrote every access line before accessLine, and how it writes
 * every other record. accessLine must give the same bytes (and so the same hashes): journals
 * written before and after read and verify as one chain.
 */
function referenceLine(e: AccessEntry, at: number, seq: number, prev: string): string {
  const outcome: AuditRecordOutcome = e.reason !== undefined ? 'denied' : e.status >= 500 ? 'error' : 'ok';
  const actor: AuditActor & { kind: 'client' } = { kind: 'client', address: scrubString(e.client) };
  if (e.tokenId !== undefined) actor.tokenId = scrubString(e.tokenId);
  if (e.tokenLabel !== undefined) actor.tokenLabel = scrubString(e.tokenLabel);
  const record: Unchained = { ts: new Date(Math.floor(at)).toISOString(), kind: 'access', actor, action: 'gateway.request', server: scrubString(e.server), outcome };
  if (e.reason !== undefined) record.reason = scrubString(e.reason);
  record.params = {
    mode: e.mode,
    method: scrubString(e.method).slice(0, 16),
    path: scrubPath(e.path),
    status: e.status,
    bytesIn: e.bytesIn,
    bytesOut: e.bytesOut,
    durationMs: Math.round(e.durationMs * 10) / 10,
  };
  return chainRecord(record, seq, prev).line;
}

/** A small seeded generator, so a failure names an entry that can be made again. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Text that JSON must escape or that redaction must change, mixed with plain text. */
const PIECES = ['a', '/v1/chat', '"', '\\', '\n', '\t', '\u0000', '\u001f', '\u007f', 'é', '—', '🙂', '\ud83d', '\udc00', '\u2028', 'pcs_Ab3-_x9', '?token=abc', '&api_key=1', '%74oken=2', '?q=ok', '&x=%zz', '<', ' '];

function text(next: () => number, max: number): string {
  let s = '';
  const n = Math.floor(next() * max);
  for (let i = 0; i < n; i++) s += PIECES[Math.floor(next() * PIECES.length)];
  return s;
}

function entry(next: () => number): AccessEntry {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)] as T;
  const e: AccessEntry = {
    server: pick(['pico', 'jupyter-lab', text(next, 6)]),
    mode: pick(['lan', 'public'] as const),
    client: pick(['127.0.0.1', '::1', '10.0.0.2', text(next, 4)]),
    method: pick(['GET', 'POST', 'QUERY', 'M-SEARCH', text(next, 12)]),
    path: `/${text(next, 12)}`,
    status: pick([200, 204, 303, 401, 413, 429, 500, 502, 503]),
    bytesIn: pick([0, 12, 1_048_576, 2 ** 40]),
    bytesOut: pick([0, 345, 65_536]),
    durationMs: pick([0, 0.04, 0.05, 0.4213, 1.25, 99.95, 12_345.678, -0, Number.NaN, Number.POSITIVE_INFINITY]),
  };
  if (next() < 0.7) e.tokenId = pick(['b3e1c0ffee', text(next, 4)]);
  if (next() < 0.6) e.tokenLabel = pick(['laptop', 'Ana’s "phone"', text(next, 5)]);
  if (next() < 0.3) e.reason = pick(['unauthorized', 'rate_limited', text(next, 5)]);
  return e;
}

describe('a gateway request written as its journal line', () => {
  it('is byte for byte the line the generic record path writes, over 20,000 varied entries', () => {
    const next = random(20261122);
    let prev = GENESIS;
    for (let i = 1; i <= 20_000; i++) {
      const e = entry(next);
      const at = 1_700_000_000_000 + Math.floor(next() * 1e11) + (next() < 0.2 ? 0.75 : 0);
      // The tuple crosses to the writer thread as postMessage copies it.
      const line = accessLine(structuredClone(toTuple(e, at)), i, prev);
      expect(line, JSON.stringify(e)).toBe(referenceLine(e, at, i, prev));
      prev = hashLine(line);
    }
  });

  it('keeps a long path or a token out of the line, and stays valid JSON whatever the text', () => {
    const e: AccessEntry = {
      server: 'pico',
      mode: 'lan',
      client: '10.0.0.2',
      method: 'GET',
      path: `/x?portcullis_token=pcs_Secret1&note=${'n'.repeat(5_000)}\u2028"`,
      status: 200,
      bytesIn: 0,
      bytesOut: 1,
      durationMs: 0.5,
      tokenLabel: 'pcs_AlsoSecret',
    };
    const line = accessLine(toTuple(e, Date.UTC(2026, 10, 22, 12)), 7, GENESIS);
    expect(line).not.toContain('pcs_Secret1');
    expect(line).not.toContain('pcs_AlsoSecret');
    const record = JSON.parse(line) as { ts: string; params: { path: string } };
    expect(record.ts).toBe(isoTime(Date.UTC(2026, 10, 22, 12)));
    expect(record.params.path.length).toBeLessThanOrEqual(2_049);
    expect(record.params.path.startsWith('/x?portcullis_token=[redacted]&note=nnn')).toBe(true);
  });
});
