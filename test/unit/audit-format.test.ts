import { describe, expect, it } from 'vitest';
import { csvRow } from '../../main/core/audit/export-csv.js';
import { normalizeLine } from '../../main/core/audit/normalize.js';
import { scrubPath, whitelistParams } from '../../main/core/audit/redact.js';
import type { AuditRecord } from '../../main/core/contract/audit.js';

describe('audit formats', () => {
  it("normalises picochat's own lines, other spellings, and keeps malformed ones as malformed", () => {
    expect(normalizeLine('p', '/r/.audit/audit.jsonl', 1, '{"ts":"2026-01-01T00:00:00Z","actor":"web","action":"job.start","outcome":"ok","params":{"run":"r1"}}')).toEqual({
      server: 'p',
      source: '/r/.audit/audit.jsonl',
      n: 1,
      ts: '2026-01-01T00:00:00Z',
      actor: 'web',
      action: 'job.start',
      outcome: 'ok',
      params: { run: 'r1' },
      malformed: null,
    });
    expect(normalizeLine('m', 'f', 2, '{"timestamp":"t","client":"c","tool":"search","ok":false,"arguments":{"api_key":"x","q":"y"}}')).toMatchObject({
      ts: 't',
      actor: 'c',
      action: 'search',
      outcome: 'error',
      params: { api_key: '[redacted]', q: 'y' },
    });
    expect(normalizeLine('m', 'f', 3, '[1,2]').malformed).toBe('[1,2]');
    expect(normalizeLine('m', 'f', 4, 'oops pcs_abcdef').malformed).toBe('oops pcs_[redacted]');
  });

  it('keeps only whitelisted params and scrubs token-bearing query parameters', () => {
    expect(whitelistParams('server.start', { pid: 3, argv: ['--key', 'k'], secret: 'y' })).toEqual({ pid: 3 });
    expect(whitelistParams('unknown.action', { label: 'l', anything: 1 })).toEqual({ label: 'l' });
    // By family: every token action may name the token, never carry it.
    expect(whitelistParams('token.rotate', { id: 't', fingerprint: 'ab12', secret: 's', token: 'x', graceUntil: null })).toEqual({ id: 't', fingerprint: 'ab12', graceUntil: null });
    expect(whitelistParams('upstream-token.set', { env: 'PICOCHAT_AUTH_TOKEN', value: 'v' })).toEqual({ env: 'PICOCHAT_AUTH_TOKEN' });
    expect(scrubPath('/a?token=abc&x=1&api_key=k')).toBe('/a?token=[redacted]&x=1&api_key=[redacted]');
    expect(scrubPath('/a?%74oken=abc&x=1')).toBe('/a?%74oken=[redacted]&x=1');
    expect(scrubPath('/v1/chat?stream=true')).toBe('/v1/chat?stream=true');
  });

  it('writes CSV cells quoted when needed and defuses spreadsheet formulas', () => {
    const record: AuditRecord = {
      seq: 7,
      ts: '2026-01-01T00:00:00.000Z',
      kind: 'access',
      actor: { kind: 'client', address: '10.0.0.2', tokenLabel: 'phone' },
      action: 'gateway.request',
      server: 'srv',
      outcome: 'denied',
      reason: '=HYPERLINK("x")',
      params: { path: '/a,b' },
      prev: 'f'.repeat(64),
    };
    expect(csvRow(record)).toBe(
      `7,2026-01-01T00:00:00.000Z,access,client:10.0.0.2 (phone),gateway.request,srv,denied,"'=HYPERLINK(""x"")","{""path"":""/a,b""}",,,${'f'.repeat(64)}`,
    );
  });
});
