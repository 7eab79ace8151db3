/**
 * The small interfaces core modules receive instead of each other (DESIGN.md: "Core modules
 * don't import each other; one composition root does"). The panel builds the real ones.
 */
import type { Actor } from './api.js';
import { PortcullisError } from './errors.js';

// ---- keychain -------------------------------------------------------------------------

/** The OS keychain, service "Portcullis". Accounts are `<homeId>/<server>/<tokenId>`. */
export interface Keychain {
  get(account: string): Promise<string | null>;
  set(account: string, secret: string): Promise<void>;
  delete(account: string): Promise<boolean>;
  /** Every entry whose account starts with `prefix`. */
  find(prefix: string): Promise<Array<{ account: string; secret: string }>>;
}

/** No Secret Service, locked, or access denied: exposure is refused and nothing falls back to disk. */
export class KeychainUnavailableError extends PortcullisError {
  constructor(cause: string) {
    super('unavailable', cause);
    this.name = 'KeychainUnavailableError';
  }
}

// ---- audit ----------------------------------------------------------------------------

export type AuditKind = 'control' | 'access' | 'server' | 'system';
export type AuditOutcome = 'ok' | 'denied' | 'error';

export interface AuditEntry {
  kind: Exclude<AuditKind, 'access'>;
  actor: Actor;
  action: string;
  server?: string;
  outcome: AuditOutcome;
  reason?: string;
  /** Whitelisted, non-secret parameters of the action. */
  params?: Record<string, unknown>;
  from?: unknown;
  to?: unknown;
}

/** One request that reached the gateway, allowed or denied. */
export interface AccessEntry {
  server: string;
  mode: 'lan' | 'public';
  client: string;
  method: string;
  /** Path and query with any secret parameter removed. */
  path: string;
  status: number;
  bytesIn: number;
  bytesOut: number;
  durationMs: number;
  tokenId?: string;
  tokenLabel?: string;
  /** Why it was denied. */
  reason?: string;
}

export interface AuditPort {
  /** Durable: resolves once the record is on disk (fsync), before the action is reported done. */
  record(entry: AuditEntry): Promise<void>;
  /** Batched (at most 100 ms until written): the gateway must stay fast. */
  access(entry: AccessEntry): void;
}

/** Until the journal is wired in, records go nowhere. */
export const nullAudit: AuditPort = {
  record: async () => undefined,
  access: () => undefined,
};

// ---- secrets the logs must never show ---------------------------------------------------

/** Every secret Portcullis holds for a server, so its logs can be redacted before storage. */
export type KnownSecrets = (serverId: string) => readonly string[];

// ---- client tokens, as the gateway sees them ---------------------------------------------

export type TokenCheck =
  | { ok: true; tokenId: string; label: string }
  | { ok: false; reason: 'missing' | 'unknown' | 'expired' | 'revoked' };

/**
 * What the gateway needs of the secrets module: constant-time checks against hashes held in
 * memory (no keychain read per request), and word when tokens stop being valid so their open
 * connections can be ended.
 */
export interface TokenVerifier {
  verify(serverId: string, presented: string): TokenCheck;
  /** Called when a token is revoked, expires or is rotated out (after any grace). */
  onInvalidated(listener: (serverId: string, tokenId: string) => void): () => void;
}

/** What exposing needs: fail closed unless a valid client token exists (one is minted if none). */
export interface ClientTokens extends TokenVerifier {
  /**
   * Ensures the server has at least one valid client token, creating one if it has none.
   * Throws KeychainUnavailableError when the keychain cannot be used. The created token's
   * secret is returned once, to be shown to the user who asked.
   */
  ensureClientToken(serverId: string, serverName: string): Promise<{ created: { id: string; label: string; secret: string } | null }>;
}

// ---- clipboard --------------------------------------------------------------------------

/** The desktop clipboard (Electron's `clipboard`, asynchronous since Electron 45); `portcullis serve` has none. */
export interface Clipboard {
  writeText(text: string): void | Promise<void>;
  readText(): string | Promise<string>;
}

/** The header the upstream server's own token travels in, when its profile takes one. */
export type UpstreamAuth = (serverId: string) => { header: string; value: string } | null;
