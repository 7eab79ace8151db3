import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fingerprintOf, hashSecret, newSecret, TOKEN_PATTERN } from '../../main/core/secrets/token-format.js';

describe('token format', () => {
  it('is pcs_ and 43 base64url characters carrying 256 random bits', () => {
    const secret = newSecret();
    expect(secret).toMatch(/^pcs_[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(secret.slice(4), 'base64url')).toHaveLength(32);
  });

  it('never repeats', () => {
    const seen = new Set(Array.from({ length: 2000 }, newSecret));
    expect(seen.size).toBe(2000);
  });

  it('fingerprints with the first 8 hex digits of SHA-256', () => {
    const secret = newSecret();
    const hex = createHash('sha256').update(secret).digest('hex');
    expect(fingerprintOf(secret)).toBe(hex.slice(0, 8));
    expect(hashSecret(secret).toString('hex')).toBe(hex);
  });

  it('is found by the scanner pattern inside other text', () => {
    const secret = newSecret();
    const text = `GET /?token=${secret}&x=1 and again ${secret}.`;
    expect(text.match(TOKEN_PATTERN)).toEqual([secret, secret]);
  });
});
