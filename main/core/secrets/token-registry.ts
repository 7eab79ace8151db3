import { timingSafeEqual } from 'node:crypto';
import type { TokenCheck, TokenVerifier } from '../ports.js';
import type { ClientTokenRecord } from './records.js';
import { hashSecret } from './token-format.js';
import { accepted, endsAt, stateOf } from './token-state.js';

interface Entry {
  record: ClientTokenRecord;
  hash: Buffer;
  /** Whether listeners were told it stopped being accepted (at most once per token). */
  invalidated: boolean;
}

/** setTimeout holds at most 2^31-1 ms; a later deadline is re-armed when this one fires. */
const MAX_TIMER_MS = 2_147_483_647;

/**
 * The gateway's view of client tokens: SHA-256 hashes in memory, compared in constant time, and
 * one timer for the next expiry or end of grace so listeners hear of it within moments.
 */
export class TokenRegistry implements TokenVerifier {
  private readonly entries = new Map<string, Entry>();
  private readonly listeners = new Set<(serverId: string, tokenId: string) => void>();
  private readonly lastUsed = new Map<string, number>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly now: () => number = Date.now,
    /** Told when a token stops being accepted, after the listeners (the service persists and cleans up). */
    private readonly onEnded: (record: ClientTokenRecord) => void = () => undefined,
  ) {}

  /** Adds or replaces tokens (loading from settings, creating, rotating, revoking). */
  put(records: readonly ClientTokenRecord[]): void {
    for (const record of records) {
      const previous = this.entries.get(record.id);
      const entry: Entry = { record, hash: Buffer.from(record.hash, 'hex'), invalidated: previous?.invalidated ?? false };
      if (!accepted(stateOf(record, this.now()))) entry.invalidated = true;
      this.entries.set(record.id, entry);
      if (previous && accepted(stateOf(previous.record, this.now())) && !accepted(stateOf(record, this.now()))) {
        this.notify(record);
      }
    }
    this.schedule();
  }

  remove(tokenIds: readonly string[]): void {
    for (const id of tokenIds) {
      const entry = this.entries.get(id);
      this.entries.delete(id);
      this.lastUsed.delete(id);
      if (entry && !entry.invalidated) this.notify(entry.record);
    }
    this.schedule();
  }

  verify(serverId: string, presented: string): TokenCheck {
    if (presented.length === 0) return { ok: false, reason: 'missing' };
    const hash = hashSecret(presented);
    let match: Entry | null = null;
    // Every candidate is compared, so the time taken does not tell which one matched.
    for (const entry of this.entries.values()) {
      if (entry.record.serverId !== serverId) continue;
      if (timingSafeEqual(entry.hash, hash)) match = entry;
    }
    if (!match) return { ok: false, reason: 'unknown' };
    const state = stateOf(match.record, this.now());
    if (state === 'expired') return { ok: false, reason: 'expired' };
    if (!accepted(state)) return { ok: false, reason: 'revoked' };
    this.lastUsed.set(match.record.id, this.now());
    return { ok: true, tokenId: match.record.id, label: match.record.label };
  }

  onInvalidated(listener: (serverId: string, tokenId: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Uses seen since the last call, to be written to settings (coalesced by the caller). */
  takeLastUsed(): Map<string, number> {
    const taken = new Map(this.lastUsed);
    this.lastUsed.clear();
    return taken;
  }

  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private notify(record: ClientTokenRecord): void {
    const entry = this.entries.get(record.id);
    if (entry) entry.invalidated = true;
    for (const listener of this.listeners) {
      try {
        listener(record.serverId, record.id);
      } catch {
        // One failing listener must not keep the others from closing connections.
      }
    }
    this.onEnded(record);
  }

  /** Tells listeners of tokens whose expiry or grace has passed, then arms the next timer. */
  private sweep(): void {
    const now = this.now();
    for (const entry of this.entries.values()) {
      if (!entry.invalidated && !accepted(stateOf(entry.record, now))) this.notify(entry.record);
    }
    this.schedule();
  }

  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    let next = Infinity;
    for (const entry of this.entries.values()) {
      if (entry.invalidated) continue;
      const end = endsAt(entry.record);
      if (end !== null) next = Math.min(next, end);
    }
    if (next === Infinity) return;
    const delay = Math.min(Math.max(next - this.now(), 0), MAX_TIMER_MS);
    this.timer = setTimeout(() => this.sweep(), delay);
    // An expiry far ahead must not keep a CLI or test process alive.
    this.timer.unref();
  }
}
