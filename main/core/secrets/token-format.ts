import { hash, randomBytes } from 'node:crypto';

/** The recognisable prefix lets secret scanners (and our own log redaction) find leaked tokens. */
export const TOKEN_PREFIX = 'pcs_';

/** `pcs_` + 43 base64url characters: 256 random bits. Global, for replacing every match. */
export const TOKEN_PATTERN = /pcs_[A-Za-z0-9_-]{43}/g;

/** A fresh secret: 32 bytes from the OS CSPRNG, base64url without padding. */
export function newSecret(): string {
  return TOKEN_PREFIX + randomBytes(32).toString('base64url');
}

/** SHA-256 of the secret: what the gateway compares against, kept in memory and settings. */
export function hashSecret(secret: string): Buffer {
  // The one-shot form (Node ≥ 20.12): the gateway hashes every presented token.
  return hash('sha256', secret, 'buffer');
}

/** First 8 hex digits of the SHA-256: enough to tell tokens apart, useless to an attacker. */
export function fingerprintOf(secret: string): string {
  return hashSecret(secret).toString('hex').slice(0, 8);
}

/** Short ids are typed on command lines (`token show NAME ID`), so 10 hex digits, not a UUID. */
export function newTokenId(): string {
  return randomBytes(5).toString('hex');
}
