import { mkdirSync } from 'node:fs';
import type { AuditRecord } from '../contract/audit.js';
import { PortcullisError } from '../errors.js';
import type { AccessEntry, AuditEntry, AuditPort, Keychain } from '../ports.js';
import { toTuple } from './access-tuple.js';
import { auditDir } from './files.js';
import { HeadKeeper } from './head-keeper.js';
import { LiveFeed, type RecordListener } from './live-feed.js';
import type { Head } from './head-store.js';
import type { WriterState } from './journal-writer.js';
import type { Unchained } from './line.js';
import { findJournalEnd, type JournalEnd } from './repair.js';
import { pruneOldFiles } from './retention.js';
import { fromAuditEntry } from './to-record.js';
import type { FromWriter, WriterItem } from './writer-protocol.js';
import { WriterThread } from './writer-thread.js';

export interface JournalOptions {
  home: string;
  /** Where the head hash is kept; without one, a rewritten journal with a recomputed chain goes unnoticed. */
  keychain?: Keychain | null;
  /** This home's keychain prefix (secrets/home-id); required with a keychain. */
  homeId?: string;
  /** A new file once the current one reaches this size. */
  maxFileBytes?: number;
  retentionDays?: number;
  /** How often the head is copied to the keychain (and always at close). */
  headIntervalMs?: number;
  /** Longest wait before batched access records are written; at most 100 ms. */
  accessDelayMs?: number;
  now?: () => Date;
  log?: (message: string, err?: unknown) => void;
}

type Done = (err: Error | null, record?: AuditRecord) => void;

/** Records handed over together, and who waits for which of them. */
interface Batch {
  id: number;
  count: number;
  /** How many are gateway requests: counted as dropped if their write fails. */
  accessCount: number;
  /** Who waits for which record (by index in the batch). */
  callbacks: Array<{ index: number; done: Done }>;
  /** Resolved once the batch is answered (flush waits on this). */
  answered?: (error: Error | null) => void;
}

const MB = 1024 * 1024;
/** Beyond this many waiting access records the disk is not keeping up: further ones are counted, not kept. */
const MAX_PENDING = 200_000;
const DAY_MS = 86_400_000;
/**
 * Access records sent to the writer thread together at most. Small hand-offs keep each of the
 * event loop's pauses (the copy to the thread) and each burst of the thread's work short,
 * which is what a request's p99 latency sees. Against 1,024 (8 interleaved rounds, wrk): p99
 * 0.84 vs 1.44 ms at one connection, 5.9 vs 7.8 ms at 50, CPU per request the same. The
 * thread still merges whatever queued while it wrote into one write.
 */
const BATCH_RECORDS = 32;

/**
 * The append-only, hash-chained journal: `<home>/audit/journal-<first seq>.jsonl`. Records
 * are chained, hashed and written on the journal's own thread (writer-worker.ts), so a busy
 * gateway's event loop only hands entries over. Control records wait for fsync; access
 * records ride along in the next batch, at most `accessDelayMs` later.
 */
export class AuditJournal implements AuditPort {
  readonly dir: string;
  private maxFileBytes: number;
  private retentionDays: number;
  private readonly accessDelayMs: number;
  private readonly now: () => Date;
  /** Milliseconds now, without making a Date per request unless a clock was given. */
  private readonly nowMs: () => number;
  private readonly log: (message: string, err?: unknown) => void;
  private readonly ready: Promise<void>;
  private readonly heads: HeadKeeper;

  /** Handed over, not yet sent to the writer thread. */
  private pending: WriterItem[] = [];
  private pendingCallbacks: Batch['callbacks'] = [];
  private pendingDurable = false;
  private pendingAccess = 0;
  /** Sent, not yet answered, oldest first. */
  private inflight: Batch[] = [];
  private inflightCount = 0;
  private nextId = 0;
  private thread: WriterThread | null = null;
  private restarting: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private soon = false;
  private readonly headTimer: NodeJS.Timeout;
  private readonly pruneTimer: NodeJS.Timeout;

  /** The chain's end as last written. */
  private state: WriterState = { file: null, size: 0, seq: 0, hash: '' };
  private dropped = 0;
  private closed = false;
  private closing: Promise<void> | null = null;
  private unwritable: Error | null = null;

  private readonly live: LiveFeed;
  private readonly unwritableListeners = new Set<(err: Error) => void>();
  private readonly warningListeners = new Set<(message: string) => void>();
  private readonly warnings: string[] = [];

  constructor(options: JournalOptions) {
    this.dir = auditDir(options.home);
    this.maxFileBytes = options.maxFileBytes ?? 20 * MB;
    this.retentionDays = options.retentionDays ?? 90;
    this.accessDelayMs = Math.min(options.accessDelayMs ?? 50, 100);
    this.now = options.now ?? (() => new Date());
    const given = options.now;
    this.nowMs = given ? () => given().getTime() : Date.now;
    this.log = options.log ?? (() => undefined);
    this.live = new LiveFeed(this.log);
    const keychain = options.keychain && options.homeId ? options.keychain : null;
    this.heads = new HeadKeeper(keychain, options.homeId ?? '', this.dir, this.log);
    this.ready = this.init();
    // A failed start is reported through the first write; never an unhandled rejection.
    this.ready.catch(() => undefined);
    this.headTimer = setInterval(() => void this.heads.store(this.head()), options.headIntervalMs ?? 60_000);
    this.headTimer.unref();
    this.pruneTimer = setInterval(() => this.prune(), DAY_MS);
    this.pruneTimer.unref();
  }

  // ---- AuditPort ------------------------------------------------------------------------

  record(entry: AuditEntry): Promise<void> {
    return this.append(fromAuditEntry(entry, this.now().toISOString()), true).then(() => undefined);
  }

  access(entry: AccessEntry): void {
    if (this.closed || this.pending.length + this.inflightCount >= MAX_PENDING) {
      this.dropped++;
      return;
    }
    // Handed over as is (a flat tuple): the writer thread makes the record (redaction, ISO time, JSON, hash).
    // A full batch goes at once: the thread works while more arrive, and no message grows huge.
    this.pendingAccess++;
    if (this.pending.push(toTuple(entry, this.nowMs())) >= BATCH_RECORDS) this.kick();
    else this.schedule(false);
  }

  // ---- the rest of the module's surface --------------------------------------------------

  /** Appends one record; a durable one resolves only once it is fsync'd. */
  append(record: Unchained, durable: boolean): Promise<AuditRecord> {
    if (this.closed) return Promise.reject(new PortcullisError('failed', 'the audit journal is closed; the action was not recorded.'));
    return new Promise((resolve, reject) => {
      this.pendingCallbacks.push({ index: this.pending.length, done: (err, rec) => (err ? reject(err) : resolve(rec as AuditRecord)) });
      this.pending.push({ record });
      this.pendingDurable ||= durable;
      this.schedule(durable);
    });
  }

  /** Resolves once everything handed over so far is on disk (fsync'd); rejects if it could not be written. */
  async flush(): Promise<void> {
    await this.ready;
    // A closed journal wrote everything as it closed.
    if (this.closed && this.pending.length === 0) return;
    if (!this.thread?.alive) await this.restart();
    const error = await new Promise<Error | null>((answered) => this.send(true, answered));
    if (error) throw error;
  }

  /**
   * New records once they are written (the writes of up to 50 ms together, see LiveFeed). `omitted`: access records of the same
   * stretch that were written but are not in `records` (heavy traffic; see
   * LIVE_ACCESS_PER_SECOND) — the seqs are contiguous, so a reader that needs every record
   * queries the stretch that ends at the newest seq it was given.
   */
  onRecords(listener: RecordListener): () => void {
    return this.live.listen(listener);
  }

  /**
   * Called when a write fails (disk full, permissions): the panel locks down public exposure
   * here, since requests that cannot be recorded must not be served (DESIGN.md, fail closed).
   */
  onUnwritable(listener: (err: Error) => void): () => void {
    this.unwritableListeners.add(listener);
    if (this.unwritable) listener(this.unwritable);
    return () => this.unwritableListeners.delete(listener);
  }

  /** Things the user must know: a head mismatch, a repaired torn line, a keychain that failed. */
  onWarning(listener: (message: string) => void): () => void {
    this.warningListeners.add(listener);
    for (const w of this.warnings) listener(w);
    return () => this.warningListeners.delete(listener);
  }

  /** Whether the last write failed (and the journal is not taking records). */
  get isUnwritable(): boolean {
    return this.unwritable !== null;
  }

  /** Resolves once the journal is open (and any torn line repaired). */
  whenReady(): Promise<void> {
    return this.ready;
  }

  /** The last written record's place in the chain. */
  head(): Head {
    return { seq: this.state.seq, hash: this.state.hash };
  }

  /**
   * Accepts the journal as it is after a head mismatch: a durable record says who accepted
   * it and what the keychain held, then the keychain takes the new head. The old evidence
   * stays in the journal's own history.
   */
  async acceptHead(entry: AuditEntry): Promise<Head> {
    await this.ready;
    await this.heads.whenChecked();
    await this.record(entry);
    const head = this.head();
    await this.heads.reanchor(head);
    return head;
  }

  /** New size and retention limits, in force from the next write; a shorter retention prunes now. */
  configure(limits: { maxFileBytes?: number; retentionDays?: number }): void {
    if (limits.maxFileBytes !== undefined) {
      this.maxFileBytes = limits.maxFileBytes;
      this.thread?.send({ type: 'limits', maxFileBytes: limits.maxFileBytes });
    }
    if (limits.retentionDays !== undefined) this.retentionDays = limits.retentionDays;
    void this.ready.then(() => this.prune(), () => undefined);
  }

  /** Writes everything still waiting, stores the head in the keychain and closes the file. */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    await this.ready.catch(() => undefined);
    await this.heads.whenChecked();
    await this.flush().catch((err: unknown) => this.log('audit: final flush failed', err));
    this.closed = true;
    clearInterval(this.headTimer);
    clearInterval(this.pruneTimer);
    if (this.timer) clearTimeout(this.timer);
    // Closing must not keep back records the live feed was still gathering.
    this.live.flush();
    await this.heads.store(this.head());
    await this.thread?.close();
    this.thread = null;
  }

  // ---- start-up ---------------------------------------------------------------------------

  private async init(): Promise<void> {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const end = findJournalEnd(this.dir);
    await this.startThread(end);
    if (end.unreadableEnd) this.warn(`the last line of ${end.file?.path ?? 'the audit journal'} is not a record; run \`portcullis audit verify\`.`);
    if (end.repaired) {
      this.warn(`the audit journal's last line was torn by a crash and has been truncated (${end.repaired.bytes} bytes of ${end.repaired.file}).`);
      this.recordRepair(end.repaired, 'a torn last line (cut short by a crash) was truncated');
    }
    this.heads.check({ seq: end.seq, hash: end.hash }, (stored) => {
      if (this.closed) return;
      this.warn('the audit journal does not match the head kept in the keychain: it was changed while Portcullis was not running. Run `portcullis audit verify`.');
      this.appendSystem('audit.head-mismatch', 'error', 'the journal does not match the head hash kept in the keychain', { seq: stored.seq });
    });
    this.prune();
    if (this.pending.length > 0) this.schedule(true);
  }

  private async startThread(end: WriterState): Promise<void> {
    this.state = { file: end.file, size: end.size, seq: end.seq, hash: end.hash };
    this.thread = await WriterThread.start(
      { dir: this.dir, state: this.state, maxFileBytes: this.maxFileBytes },
      (message) => this.onWritten(message),
      (err) => this.onThreadExit(err),
    );
  }

  /** A writer thread that died is replaced, continuing from the journal's end as found on disk. */
  private restart(): Promise<void> {
    this.restarting ??= (async () => {
      const end = findJournalEnd(this.dir);
      // A thread killed mid-write may have left a torn line, which findJournalEnd cut away.
      if (end.repaired) this.recordRepair(end.repaired, 'a torn last line (cut short when the writer stopped) was truncated');
      await this.startThread(end);
    })().finally(() => {
      this.restarting = null;
    });
    return this.restarting;
  }

  private onThreadExit(cause: Error): void {
    this.log('audit: the writer thread stopped', cause);
    const err = new PortcullisError(
      'failed',
      `the audit journal's writer stopped (${cause.message}); the action was not recorded. A new writer starts with the next record.`,
    );
    this.thread = null;
    const lost = this.inflight;
    this.inflight = [];
    this.inflightCount = 0;
    for (const batch of lost) this.failBatch(batch, 0, err);
    if (lost.length > 0) this.markUnwritable(err);
  }

  /** The repair goes in before anything handed over meanwhile: the journal says what happened first. */
  private recordRepair(repaired: NonNullable<JournalEnd['repaired']>, reason: string): void {
    this.pending.unshift({ record: this.systemRecord('audit.repair', 'ok', reason, { file: repaired.file, line: repaired.line, bytes: repaired.bytes }) });
    for (const c of this.pendingCallbacks) c.index++;
    this.pendingDurable = true;
    this.schedule(true);
  }

  /** A durable system record, written as soon as possible. */
  private appendSystem(action: string, outcome: 'ok' | 'error', reason: string, params: Record<string, unknown>): void {
    this.pending.push({ record: this.systemRecord(action, outcome, reason, params) });
    this.pendingDurable = true;
    this.schedule(true);
  }

  private systemRecord(action: string, outcome: 'ok' | 'error', reason: string, params: Record<string, unknown>): Unchained {
    return fromAuditEntry({ kind: 'system', actor: { kind: 'system' }, action, outcome, reason, params }, this.now().toISOString());
  }

  // ---- writing ----------------------------------------------------------------------------

  private schedule(now: boolean): void {
    if (now) {
      if (this.soon) return;
      this.soon = true;
      setImmediate(() => {
        this.soon = false;
        this.kick();
      });
    } else if (!this.timer) {
      this.timer = setTimeout(() => {
        this.timer = null;
        this.kick();
      }, this.accessDelayMs);
    }
  }

  /** Sends what is waiting to the writer thread (starting one first if there is none). */
  private kick(): void {
    if (this.pending.length === 0) return;
    if (this.closed && !this.thread?.alive) {
      this.failBatch(this.take().batch, 0, new PortcullisError('failed', 'the audit journal is closed; the action was not recorded.'));
      return;
    }
    if (this.thread?.alive) {
      this.send(this.pendingDurable);
      return;
    }
    // Still starting, or the thread died: once one runs (restart() is shared by every caller).
    this.ready.then(() => (this.thread?.alive ? undefined : this.restart())).then(
      () => this.kick(),
      (err: unknown) => {
        this.failBatch(this.take().batch, 0, err as Error);
        this.markUnwritable(err as Error);
      },
    );
  }

  /** Everything waiting, as one batch no longer pending. */
  private take(answered?: Batch['answered']): { batch: Batch; items: WriterItem[]; durable: boolean } {
    const batch: Batch = { id: this.nextId++, count: this.pending.length, accessCount: this.pendingAccess, callbacks: this.pendingCallbacks, answered };
    const taken = { batch, items: this.pending, durable: this.pendingDurable };
    this.pending = [];
    this.pendingCallbacks = [];
    this.pendingDurable = false;
    this.pendingAccess = 0;
    return taken;
  }

  private send(durable: boolean, answered?: Batch['answered']): void {
    const { batch, items, durable: needed } = this.take(answered);
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    const thread = this.thread;
    if (!thread?.alive) {
      this.failBatch(batch, 0, new Error('the audit writer thread is not running'));
      return;
    }
    this.inflight.push(batch);
    this.inflightCount += batch.count;
    thread.send({ type: 'batch', id: batch.id, items, durable: durable || needed });
  }

  private onWritten(message: FromWriter): void {
    this.state = message.state;
    const answered: Batch[] = [];
    while (this.inflight.length > 0 && (this.inflight[0] as Batch).id <= message.lastId) answered.push(this.inflight.shift() as Batch);
    const needRecords = message.written > 0 && (this.live.listening || answered.some((b) => b.callbacks.length > 0));
    // One parse for the whole answer, and only when someone will read the records.
    const records: AuditRecord[] = needRecords ? (JSON.parse(`[${message.text.slice(0, -1).replaceAll('\n', ',')}]`) as AuditRecord[]) : [];
    // Records by their index among the written ones (control records, which have callbacks, are always picked).
    const picked = message.picked;
    const byIndex = picked === null ? records : sparse(picked, records);
    const omitted = picked === null ? 0 : message.written - picked.length;
    const error = message.error ? this.writeError(message.error) : null;
    let offset = 0;
    for (const batch of answered) {
      this.inflightCount -= batch.count;
      for (const { index, done } of batch.callbacks) {
        const at = offset + index;
        if (at < message.written) done(null, byIndex[at] as AuditRecord);
      }
      if (offset + batch.count > message.written) this.failBatch(batch, Math.max(0, message.written - offset), error as Error, true);
      batch.answered?.(offset + batch.count > message.written ? error : null);
      offset += batch.count;
    }
    this.live.add(records, omitted);
    if (error) {
      this.log('audit: write failed', message.error);
      this.markUnwritable(error);
      return;
    }
    if (this.unwritable) {
      this.unwritable = null;
      this.warn('the audit journal is writable again.');
    }
    if (this.dropped > 0 && !this.closed) {
      const count = this.dropped;
      this.dropped = 0;
      this.appendSystem('audit.dropped', 'error', 'access records were not kept: the journal could not be written or keep up', { count });
    }
  }

  /** The batch's records from `from` on were not written: their callers hear why; lost access records are counted. */
  private failBatch(batch: Batch, from: number, err: Error, callbacksOnly = false): void {
    const error = err instanceof PortcullisError ? err : this.writeError(err);
    let failedWithCallback = 0;
    for (const { index, done } of batch.callbacks) {
      if (index < from) continue;
      done(error);
      failedWithCallback++;
    }
    // Which of the failed ones were requests is not kept (the items went to the thread); a
    // whole batch fails together in practice, and then the count is exact.
    this.dropped += Math.min(batch.accessCount, batch.count - from - failedWithCallback);
    if (!callbacksOnly) batch.answered?.(error);
  }

  private writeError(err: { message: string; code?: string }): PortcullisError {
    return new PortcullisError(
      'failed',
      `the audit journal in ${this.dir} cannot be written (${err.code ?? err.message}); the action was not recorded. Free disk space or fix the folder's permissions.`,
    );
  }

  private markUnwritable(err: Error): void {
    const error = err instanceof PortcullisError ? err : this.writeError(err);
    const first = this.unwritable === null;
    this.unwritable = error;
    if (first) {
      this.warn(error.message);
      for (const listener of this.unwritableListeners) listener(error);
    }
  }

  // ---- retention, warnings ------------------------------------------------------------------

  private prune(): void {
    if (this.closed) return;
    try {
      const removed = pruneOldFiles(this.dir, this.retentionDays, this.now(), this.state.file?.path ?? null);
      if (removed.length > 0) {
        this.appendSystem('audit.prune', 'ok', `journal files older than ${this.retentionDays} days were removed`, {
          files: removed,
          retentionDays: this.retentionDays,
        });
      }
    } catch (err) {
      this.log('audit: retention failed', err);
    }
  }

  private warn(message: string): void {
    this.warnings.push(message);
    for (const listener of this.warningListeners) listener(message);
  }
}

function sparse(picked: readonly number[], records: readonly AuditRecord[]): AuditRecord[] {
  const out: AuditRecord[] = [];
  for (let i = 0; i < picked.length; i++) out[picked[i] as number] = records[i] as AuditRecord;
  return out;
}
