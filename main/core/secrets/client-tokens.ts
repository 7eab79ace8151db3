import type { Actor } from '../api.js';
import type { TokenView } from '../contract/tokens.js';
import { PortcullisError } from '../errors.js';
import type { AuditPort, ClientTokens, Keychain, TokenCheck } from '../ports.js';
import { clientAccount } from './accounts.js';
import { activeTokenRecord, type ClientTokenRecord, type TokenStore } from './records.js';
import { TokenRegistry } from './token-registry.js';
import { newSecret, newTokenId } from './token-format.js';
import { accepted, stateOf } from './token-state.js';

export interface ServerRef {
  id: string;
  name: string;
}

export interface ClientTokenDeps {
  homeId: string;
  keychain: Keychain;
  store: TokenStore;
  audit: AuditPort;
  /** The server's name for display; null once it is gone. */
  serverName: (serverId: string) => string | null;
  emit: (view: TokenView) => void;
  now?: () => number;
  /** How often uses seen by the gateway are written to settings. */
  lastUsedFlushMs?: number;
}

const system: Actor = { kind: 'system' };

/** Ended tokens stay listed this long, then leave settings; the audit journal keeps their story. */
export const KEEP_ENDED_MS = 30 * 86_400_000;
const DAY_MS = 86_400_000;

/**
 * The life cycle of client tokens: the secret goes to the keychain, its metadata and hash to
 * settings, and the hash into the registry the gateway verifies against.
 */
export class ClientTokenService implements ClientTokens {
  readonly registry: TokenRegistry;
  private readonly now: () => number;
  private flushTimer: NodeJS.Timeout | null = null;
  private pruneTimer: NodeJS.Timeout | null = null;

  constructor(private readonly deps: ClientTokenDeps) {
    this.now = deps.now ?? Date.now;
    this.registry = new TokenRegistry(this.now, (record) => this.ended(record));
    this.registry.put(deps.store.read().client);
    // Tokens that expired while Portcullis was not running still have their secret stored.
    for (const record of deps.store.read().client) {
      if (record.state === 'active' && record.endedAt === null && stateOf(record, this.now()) === 'expired') void this.retireExpired(record);
    }
    const every = deps.lastUsedFlushMs ?? 30_000;
    this.flushTimer = setInterval(() => this.flushLastUsed(), every);
    this.flushTimer.unref();
    // Rotating weekly for a year would otherwise list 52 dead tokens per server.
    this.pruneEnded();
    this.pruneTimer = setInterval(() => this.pruneEnded(), DAY_MS);
    this.pruneTimer.unref();
  }

  // ---- the gateway's side ---------------------------------------------------------------

  verify(serverId: string, presented: string): TokenCheck {
    return this.registry.verify(serverId, presented);
  }

  onInvalidated(listener: (serverId: string, tokenId: string) => void): () => void {
    return this.registry.onInvalidated(listener);
  }

  async ensureClientToken(serverId: string, serverName: string): Promise<{ created: { id: string; label: string; secret: string } | null }> {
    const valid = this.records(serverId).filter((r) => accepted(stateOf(r, this.now())));
    const first = valid[0];
    if (first) {
      // Fail closed: exposure needs a usable keychain even when a token already exists.
      await this.deps.keychain.get(clientAccount(this.deps.homeId, serverId, first.id));
      return { created: null };
    }
    const { record, secret } = await this.mint({ id: serverId, name: serverName }, 'default', null, system, true);
    return { created: { id: record.id, label: record.label, secret } };
  }

  // ---- the user's side ------------------------------------------------------------------

  list(server: ServerRef): TokenView[] {
    return this.records(server.id)
      .map((r) => this.view(r))
      .sort((a, b) => b.created.localeCompare(a.created));
  }

  async create(server: ServerRef, options: { label?: string; expiresInMs?: number; show: boolean }, actor: Actor) {
    const label = options.label ?? this.defaultLabel(server.id);
    const at = this.now();
    const expiresAt = options.expiresInMs === undefined ? null : new Date(at + options.expiresInMs).toISOString();
    const { record, secret } = await this.mint(server, label, expiresAt, actor, options.show, at);
    return { token: this.view(record), secret: options.show ? secret : null };
  }

  /** Reads the secret of a usable token; `action` names it in the audit record. */
  async reveal(server: ServerRef, id: string, actor: Actor, action: string): Promise<{ record: ClientTokenRecord; secret: string }> {
    const record = this.find(server, id);
    const state = stateOf(record, this.now());
    if (state !== 'active') {
      throw new PortcullisError('conflict', `token ${record.id} ("${record.label}") is ${state}; its secret is gone. Create or rotate a token instead.`, 'id');
    }
    const secret = await this.deps.keychain.get(clientAccount(this.deps.homeId, server.id, record.id));
    if (secret === null) {
      await this.audit(actor, action, server.name, record, 'error', 'secret missing from the keychain');
      throw new PortcullisError(
        'failed',
        `the keychain has no secret for token ${record.id} ("${record.label}"): it was removed outside Portcullis. Revoke it and create another.`,
        'id',
      );
    }
    await this.audit(actor, action, server.name, record, 'ok');
    return { record, secret };
  }

  async rotate(server: ServerRef, id: string, options: { graceMs?: number; show: boolean }, actor: Actor) {
    const old = this.find(server, id);
    const state = stateOf(old, this.now());
    if (state !== 'active') {
      throw new PortcullisError('conflict', `token ${old.id} ("${old.label}") is ${state}; only an active token can be rotated. Create a new one instead.`, 'id');
    }
    const secret = newSecret();
    const fresh = this.newRecord(server.id, old.label, old.expiresAt, secret);
    const account = clientAccount(this.deps.homeId, server.id, fresh.id);
    await this.deps.keychain.set(account, secret);
    const endedAt = new Date(this.now()).toISOString();
    const graceUntil = options.graceMs ? new Date(this.now() + options.graceMs).toISOString() : null;
    let replaced: ClientTokenRecord;
    try {
      this.deps.store.write((draft) => {
        const target = draft.client.find((r) => r.id === old.id);
        // Revoked or rotated by another call while the keychain was being written: a grace
        // period must never bring a revoked token back.
        if (!target || stateOf(target, this.now()) !== 'active') {
          throw new PortcullisError('conflict', `token ${old.id} changed while it was being rotated; see \`portcullis token ls ${server.name}\` and try again.`, 'id');
        }
        Object.assign(target, { state: 'rotated', graceUntil, replacedBy: fresh.id, endedAt });
        draft.client.push(fresh);
      });
      replaced = this.recordById(old.id) as ClientTokenRecord;
    } catch (err) {
      await this.deps.keychain.delete(account).catch(() => false);
      throw err;
    }
    this.registry.put([fresh, replaced]);
    // The old secret can no longer be shown; during a grace period only its hash is needed.
    const warning = await this.deleteSecret(server.id, old.id);
    await this.audit(actor, 'token.rotate', server.name, fresh, 'ok', warning ?? undefined, {
      replaced: old.id,
      replacedFingerprint: old.fingerprint,
      graceUntil,
      shown: options.show,
    });
    this.deps.emit(this.view(replaced));
    this.deps.emit(this.view(fresh));
    return { token: this.view(fresh), replaced: this.view(replaced), secret: options.show ? secret : null };
  }

  async revoke(server: ServerRef, id: string, actor: Actor): Promise<{ token: TokenView; warning: string | null }> {
    const record = this.find(server, id);
    if (record.state === 'revoked') return { token: this.view(record), warning: `token ${record.id} was already revoked.` };
    const endedAt = new Date(this.now()).toISOString();
    const revoked: ClientTokenRecord = { ...record, state: 'revoked', graceUntil: null, endedAt };
    // Both are synchronous, so no request slips in between; the keychain comes after.
    this.deps.store.write((draft) => {
      const target = draft.client.find((r) => r.id === record.id);
      if (target) Object.assign(target, { state: 'revoked', graceUntil: null, endedAt });
    });
    this.registry.put([revoked]);
    const warning = await this.deleteSecret(server.id, record.id);
    await this.audit(actor, 'token.revoke', server.name, revoked, 'ok', warning ?? undefined);
    this.deps.emit(this.view(revoked));
    return { token: this.view(revoked), warning };
  }

  /** A server was removed: its tokens end, their secrets leave the keychain, their records go. */
  async forgetServer(serverId: string): Promise<void> {
    const records = this.records(serverId);
    this.registry.remove(records.map((r) => r.id));
    this.deps.store.write((draft) => {
      draft.client = draft.client.filter((r) => r.serverId !== serverId);
    });
    for (const record of records) await this.deleteSecret(serverId, record.id);
  }

  find(server: ServerRef, id: string): ClientTokenRecord {
    const matches = this.records(server.id).filter((r) => r.id.startsWith(id));
    const [only] = matches;
    if (!only) {
      throw new PortcullisError('not_found', `${server.name} has no token ${id}. See its tokens with \`portcullis token ls ${server.name}\`.`, 'id');
    }
    if (matches.length > 1) throw new PortcullisError('invalid_args', `token id ${id} is ambiguous for ${server.name}; give more digits.`, 'id');
    return only;
  }

  view(record: ClientTokenRecord): TokenView {
    return {
      id: record.id,
      label: record.label,
      server: this.deps.serverName(record.serverId) ?? record.serverId,
      serverId: record.serverId,
      fingerprint: record.fingerprint,
      created: record.createdAt,
      expires: record.expiresAt,
      lastUsed: record.lastUsedAt,
      state: stateOf(record, this.now()),
      graceUntil: record.graceUntil,
      replacedBy: record.replacedBy,
    };
  }

  async audit(actor: Actor, action: string, server: string, record: ClientTokenRecord, outcome: 'ok' | 'error', reason?: string, extra: Record<string, unknown> = {}): Promise<void> {
    // Only what identifies the token: never its secret.
    const params = { id: record.id, label: record.label, fingerprint: record.fingerprint, expires: record.expiresAt, ...extra };
    await this.deps.audit.record({ kind: 'control', actor, action, server, outcome, ...(reason ? { reason } : {}), params });
  }

  /** Writes coalesced last-used times (also on close). */
  flushLastUsed(): void {
    const used = this.registry.takeLastUsed();
    if (used.size === 0) return;
    try {
      this.deps.store.write((draft) => {
        for (const record of draft.client) {
          const at = used.get(record.id);
          if (at !== undefined) record.lastUsedAt = new Date(at).toISOString();
        }
      });
    } catch {
      return; // The next flush tries again with newer times; a use time is not worth failing for.
    }
    for (const id of used.keys()) {
      const record = this.recordById(id);
      if (record) this.deps.emit(this.view(record));
    }
  }

  close(): void {
    if (this.flushTimer) clearInterval(this.flushTimer);
    this.flushTimer = null;
    if (this.pruneTimer) clearInterval(this.pruneTimer);
    this.pruneTimer = null;
    this.flushLastUsed();
    this.registry.close();
  }

  private async mint(server: ServerRef, label: string, expiresAt: string | null, actor: Actor, shown: boolean, at = this.now()) {
    const secret = newSecret();
    const record = this.newRecord(server.id, label, expiresAt, secret, at);
    const account = clientAccount(this.deps.homeId, server.id, record.id);
    // Keychain first: if it is unavailable nothing is written anywhere.
    await this.deps.keychain.set(account, secret);
    try {
      this.deps.store.write((draft) => {
        draft.client.push(record);
      });
    } catch (err) {
      await this.deps.keychain.delete(account).catch(() => false);
      throw err;
    }
    this.registry.put([record]);
    await this.audit(actor, 'token.create', server.name, record, 'ok', undefined, { shown });
    this.deps.emit(this.view(record));
    return { record, secret };
  }

  private newRecord(serverId: string, label: string, expiresAt: string | null, secret: string, at = this.now()): ClientTokenRecord {
    let id = newTokenId();
    while (this.recordById(id)) id = newTokenId();
    return activeTokenRecord({ id, serverId, label, secret, expiresAt, at });
  }

  private defaultLabel(serverId: string): string {
    const labels = new Set(this.records(serverId).map((r) => r.label));
    if (!labels.has('default')) return 'default';
    let n = 2;
    while (labels.has(`token-${n}`)) n++;
    return `token-${n}`;
  }

  private records(serverId: string): ClientTokenRecord[] {
    return this.deps.store.read().client.filter((r) => r.serverId === serverId);
  }

  private recordById(id: string): ClientTokenRecord | undefined {
    return this.deps.store.read().client.find((r) => r.id === id);
  }

  /** Best effort: the token is already refused; a leftover entry is reported, not fatal. */
  private async deleteSecret(serverId: string, tokenId: string): Promise<string | null> {
    try {
      await this.deps.keychain.delete(clientAccount(this.deps.homeId, serverId, tokenId));
      return null;
    } catch (err) {
      return `the token is refused, but its secret could not be deleted from the keychain: ${(err as Error).message}`;
    }
  }

  /** Expiry or the end of a grace period (revocation reports itself). */
  private ended(record: ClientTokenRecord): void {
    if (record.state === 'revoked') return;
    const current = this.recordById(record.id);
    if (!current) return;
    const name = this.deps.serverName(record.serverId) ?? record.serverId;
    this.deps.emit(this.view(current));
    if (current.state === 'active') {
      void this.retireExpired(current);
      void this.audit(system, 'token.expire', name, current, 'ok').catch(() => undefined);
    }
  }

  /**
   * Revoked, rotated-out and expired tokens whose end is more than KEEP_ENDED_MS ago leave the
   * list and settings (their secrets left the keychain when they ended). An expired token whose
   * secret could not be deleted yet (no endedAt) stays until it is.
   */
  private pruneEnded(): void {
    const now = this.now();
    const endOf = (r: ClientTokenRecord): string | null => (r.state === 'rotated' ? (r.graceUntil ?? r.endedAt) : r.endedAt);
    const old = this.deps.store.read().client.filter((r) => {
      if (accepted(stateOf(r, now))) return false;
      const end = endOf(r);
      return end !== null && Date.parse(end) + KEEP_ENDED_MS <= now;
    });
    if (old.length === 0) return;
    const ids = new Set(old.map((r) => r.id));
    try {
      this.deps.store.write((draft) => {
        draft.client = draft.client.filter((r) => !ids.has(r.id));
      });
    } catch {
      return; // Settings cannot be written now: tried again tomorrow.
    }
    this.registry.remove([...ids]);
    const byServer = new Map<string, number>();
    for (const r of old) byServer.set(r.serverId, (byServer.get(r.serverId) ?? 0) + 1);
    for (const [serverId, count] of byServer) {
      void this.deps.audit
        .record({
          kind: 'system',
          actor: system,
          action: 'token.prune',
          server: this.deps.serverName(serverId) ?? serverId,
          outcome: 'ok',
          reason: `tokens that ended more than ${KEEP_ENDED_MS / DAY_MS} days ago were removed from the list`,
          params: { count },
        })
        .catch(() => undefined);
    }
  }

  /** An expired token's secret is of no more use: deleted, and the record says when it ended. */
  private async retireExpired(record: ClientTokenRecord): Promise<void> {
    if ((await this.deleteSecret(record.serverId, record.id)) !== null) return; // Tried again at the next start.
    try {
      this.deps.store.write((draft) => {
        const target = draft.client.find((r) => r.id === record.id);
        if (target && target.endedAt === null) target.endedAt = record.expiresAt;
      });
    } catch {
      // The secret is gone; only the bookkeeping is late, and it is redone harmlessly.
    }
  }
}
