import { z } from 'zod';
import { fingerprintOf, hashSecret } from './token-format.js';

/**
 * What settings keep about tokens: metadata and the SHA-256 the gateway checks against. The
 * secret itself lives only in the keychain. A SHA-256 of 256 random bits cannot be reversed or
 * guessed, so keeping it here lets the gateway verify without reading the keychain per start.
 */
export const clientTokenRecord = z.object({
  id: z.string().regex(/^[a-f0-9]{10}$/),
  serverId: z.string().min(1),
  label: z.string(),
  hash: z.string().regex(/^[a-f0-9]{64}$/),
  fingerprint: z.string().regex(/^[a-f0-9]{8}$/),
  createdAt: z.string(),
  expiresAt: z.string().nullable().default(null),
  lastUsedAt: z.string().nullable().default(null),
  /** Stored state; `expired` and `grace` are derived from the clock (see token-state.ts). */
  state: z.enum(['active', 'revoked', 'rotated']).default('active'),
  /** A rotated-out token is still accepted until then. */
  graceUntil: z.string().nullable().default(null),
  replacedBy: z.string().nullable().default(null),
  endedAt: z.string().nullable().default(null),
});
export type ClientTokenRecord = z.output<typeof clientTokenRecord>;

/** A server's own token (JUPYTER_TOKEN, VLLM_API_KEY, …): one per server, passed in its environment. */
export const upstreamTokenRecord = z.object({
  serverId: z.string().min(1),
  env: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/),
  header: z.string().min(1),
  /** `Bearer`, `token` (Jupyter), or empty for a bare header value. */
  scheme: z.string(),
  fingerprint: z.string().regex(/^[a-f0-9]{8}$/).nullable().default(null),
  createdAt: z.string().nullable().default(null),
});
export type UpstreamTokenRecord = z.output<typeof upstreamTokenRecord>;

export const tokensSection = z.object({
  client: z.array(clientTokenRecord).default([]),
  upstream: z.array(upstreamTokenRecord).default([]),
});
export type TokensSection = z.output<typeof tokensSection>;

/** The part of settings the secrets module reads and writes, handed to it by the panel. */
export interface TokenStore {
  read(): TokensSection;
  /** Validates and writes atomically, or throws and changes nothing. */
  write(change: (draft: TokensSection) => void): void;
}

/** A fresh, active token's record: what settings keep of a secret (its hash, never itself). */
export function activeTokenRecord(fields: { id: string; serverId: string; label: string; secret: string; expiresAt?: string | null; at?: number }): ClientTokenRecord {
  return {
    id: fields.id,
    serverId: fields.serverId,
    label: fields.label,
    hash: hashSecret(fields.secret).toString('hex'),
    fingerprint: fingerprintOf(fields.secret),
    createdAt: new Date(fields.at ?? Date.now()).toISOString(),
    expiresAt: fields.expiresAt ?? null,
    lastUsedAt: null,
    state: 'active',
    graceUntil: null,
    replacedBy: null,
    endedAt: null,
  };
}
