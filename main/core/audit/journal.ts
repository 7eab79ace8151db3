import { mkdirSync } from 'node:fs';
import { open, truncate, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { AuditRecord } from '../contract/audit.js';
import { PortcullisError } from '../errors.js';
import type { AccessEntry, AuditEntry, AuditPort, Keychain } from '../ports.js';
import { auditDir, journalFileName, type JournalFile } from './files.js';
import { HeadKeeper } from './head-keeper.js';
import type { Head } from './head-store.js';
import { chainRecord, hashLine, type Unchained } from './line.js';
import { findJournalEnd } from './repair.js';
import { pruneOldFiles } from './retention.js';
import { fromAccessEntry, fromAuditEntry } from './to-record.js';

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

interface Pending {
  record: Unchained;
  durable: boolean;
  done?: (err: Error | null, record?: AuditRecord) => void;
}

const MB = 1024 * 1024;
/** Beyond this many waiting access records the disk is not keeping up: further ones are counted, not kept. */
const MAX_PENDING = 200_000;
const DAY_MS = 86_400_000;

/**
 * The append-only, hash-chained journal: `<home>/audit/journal-<first seq>.jsonl`. Lines are
 * chained as they are written (never before), so a failed write leaves no gap. Control
 * records wait for fsync; access records ride along in the next batch.
 */
export class AuditJournal implements AuditPort {
  readonly dir: string;
  private maxFileBytes: number;
  private retentionDays: number;
  private readonly accessDelayMs: number;
  private readonly now: () => Date;
  private readonly log: (message: string, err?: unknown) => void;
  private readonly ready: Promise<void>;
  private readonly heads: HeadKeeper;

  private pending: Pending[] = [];
  private draining: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private soon = false;
  private readonly headTimer: NodeJS.Timeout;
  private readonly pruneTimer: NodeJS.Timeout;

  private fh: FileHandle | null = null;
  private file: JournalFile | null = null;
  private size = 0;
  private seq = 0;
  private hash = '';
  private dropped = 0;
  private closed = false;
  private closing: Promise<void> | null = null;
  private unwritable: Error | null = null;

  private readonly recordListeners = new Set<(records: AuditRecord[]) => void>();
  private readonly unwritableListeners = new Set<(err: Error) => void>();
  private readonly warningListeners = new Set<(message: string) => void>();
  private readonly warnings: string[] = [];

  constructor(options: JournalOptions) {
    this.dir = auditDir(options.home);
    this.maxFileBytes = options.maxFileBytes ?? 20 * MB;
    this.retentionDays = options.retentionDays ?? 90;
    this.accessDelayMs = Math.min(options.accessDelayMs ?? 50, 100);
    this.now = options.now ?? (() => new Date());
    this.log = options.log ?? (() => undefined);
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
    if (this.closed || this.pending.length >= MAX_PENDING) {
      this.dropped++;
      return;
    }
    this.pending.push({ record: fromAccessEntry(entry, this.now().toISOString()), durable: false });
    this.schedule(false);
  }

  // ---- the rest of the module's surface --------------------------------------------------

  /** Appends one record; a durable one resolves only once it is fsync'd. */
  append(record: Unchained, durable: boolean): Promise<AuditRecord> {
    if (this.closed) return Promise.reject(new PortcullisError('failed', 'the audit journal is closed; the action was not recorded.'));
    return new Promise((resolve, reject) => {
      this.pending.push({ record, durable, done: (err, rec) => (err ? reject(err) : resolve(rec as AuditRecord)) });
      this.schedule(durable);
    });
  }

  /** Resolves once everything handed over so far is on disk (fsync'd). */
  async flush(): Promise<void> {
    await this.ready;
    const last = this.pending.at(-1);
    if (last) last.durable = true;
    await this.kick();
    if (this.fh) await this.fh.datasync();
  }

  /** New records, batch by batch, once they are written. */
  onRecords(listener: (records: AuditRecord[]) => void): () => void {
    this.recordListeners.add(listener);
    return () => this.recordListeners.delete(listener);
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
    return { seq: this.seq, hash: this.hash };
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
    if (limits.maxFileBytes !== undefined) this.maxFileBytes = limits.maxFileBytes;
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
    await this.heads.store(this.head());
    await this.fh?.close().catch(() => undefined);
    this.fh = null;
  }

  // ---- start-up ---------------------------------------------------------------------------

  private async init(): Promise<void> {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const end = findJournalEnd(this.dir);
    this.file = end.file;
    this.size = end.size;
    this.seq = end.seq;
    this.hash = end.hash;
    if (end.unreadableEnd) this.warn(`the last line of ${end.file?.path ?? 'the audit journal'} is not a record; run \`portcullis audit verify\`.`);
    // What start-up finds goes in before anything handed over meanwhile.
    const found: Pending[] = [];
    if (end.repaired) {
      this.warn(`the audit journal's last line was torn by a crash and has been truncated (${end.repaired.bytes} bytes of ${end.repaired.file}).`);
      found.push({
        record: this.systemRecord('audit.repair', 'ok', 'a torn last line (cut short by a crash) was truncated', {
          file: end.repaired.file,
          line: end.repaired.line,
          bytes: end.repaired.bytes,
        }),
        durable: true,
      });
    }
    this.pending.unshift(...found);
    this.heads.check({ seq: end.seq, hash: end.hash }, (stored) => {
      if (this.closed) return;
      this.warn('the audit journal does not match the head kept in the keychain: it was changed while Portcullis was not running. Run `portcullis audit verify`.');
      this.pending.push({
        record: this.systemRecord('audit.head-mismatch', 'error', 'the journal does not match the head hash kept in the keychain', { seq: stored.seq }),
        durable: true,
      });
      this.schedule(true);
    });
    this.prune();
    if (this.pending.length > 0) this.schedule(true);
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
        void this.kick();
      });
    } else if (!this.timer) {
      this.timer = setTimeout(() => {
        this.timer = null;
        void this.kick();
      }, this.accessDelayMs);
    }
  }

  private kick(): Promise<void> {
    this.draining ??= this.drain().finally(() => {
      this.draining = null;
      // Anything handed over between the loop's end and now still gets written.
      if (this.pending.length > 0) this.schedule(true);
    });
    return this.draining;
  }

  private async drain(): Promise<void> {
    try {
      await this.ready;
    } catch (err) {
      this.fail(this.pending.splice(0), err as Error);
      return;
    }
    while (this.pending.length > 0) {
      const batch = this.pending;
      this.pending = [];
      await this.writeBatch(batch);
    }
  }

  private async writeBatch(batch: Pending[]): Promise<void> {
    let seq = this.seq;
    let hash = this.hash;
    const lines: string[] = [];
    const sizes: number[] = [];
    const hashes: string[] = [];
    const records: AuditRecord[] = [];
    for (const item of batch) {
      const chained = chainRecord(item.record, ++seq, hash);
      hash = hashLine(chained.line);
      lines.push(chained.line);
      sizes.push(Buffer.byteLength(chained.line) + 1);
      hashes.push(hash);
      records.push(chained.record);
    }
    const durable = batch.some((item) => item.durable);
    let written = 0;
    let failure: Error | null = null;
    try {
      // One write per file: a batch that crosses the size limit continues in a new file.
      while (written < lines.length) {
        const fh = await this.fileFor(this.seq + 1);
        let room = this.maxFileBytes - this.size;
        let end = written;
        do room -= sizes[end++] as number;
        while (end < lines.length && room > 0);
        const bytes = Buffer.from(`${lines.slice(written, end).join('\n')}\n`, 'utf8');
        await fh.write(bytes);
        if (durable) await fh.datasync();
        // Committed file by file, so a failure in the next file leaves this one's lines counted.
        this.size += bytes.length;
        this.seq += end - written;
        this.hash = hashes[end - 1] as string;
        written = end;
      }
    } catch (err) {
      failure = err as Error;
      await this.undoPartialWrite();
    }
    const done = records.slice(0, written);
    batch.slice(0, written).forEach((item, i) => item.done?.(null, done[i]));
    if (done.length > 0) {
      for (const listener of this.recordListeners) {
        try {
          listener(done);
        } catch (err) {
          this.log('audit: a record listener failed', err);
        }
      }
    }
    if (failure) {
      this.fail(batch.slice(written), failure);
      return;
    }
    if (this.unwritable) {
      this.unwritable = null;
      this.warn('the audit journal is writable again.');
    }
    if (this.dropped > 0 && !this.closed) {
      const count = this.dropped;
      this.dropped = 0;
      this.pending.push({
        record: this.systemRecord('audit.dropped', 'error', 'access records were not kept: the journal could not be written or keep up', { count }),
        durable: true,
      });
    }
  }

  /** The open file, or a new one named for `firstSeq` when there is none yet or it is full. */
  private async fileFor(firstSeq: number): Promise<FileHandle> {
    if (this.fh && this.size < this.maxFileBytes) return this.fh;
    if (this.fh) {
      await this.fh.close();
      this.fh = null;
    }
    if (!this.file || this.size >= this.maxFileBytes) {
      this.file = { name: journalFileName(firstSeq), path: join(this.dir, journalFileName(firstSeq)), firstSeq };
      this.size = 0;
      this.fh = await open(this.file.path, 'a', 0o600);
      await this.syncDir();
    } else {
      this.fh = await open(this.file.path, 'a', 0o600);
    }
    return this.fh;
  }

  /** A new file's name must survive a crash too. */
  private async syncDir(): Promise<void> {
    const dir = await open(this.dir, 'r');
    try {
      await dir.sync();
    } catch {
      // Some filesystems refuse fsync on a directory; the file's own fsync still holds.
    } finally {
      await dir.close();
    }
  }

  /** Cuts back a half-written batch so the next one continues a whole chain. */
  private async undoPartialWrite(): Promise<void> {
    if (!this.file) return;
    await this.fh?.close().catch(() => undefined);
    this.fh = null;
    await truncate(this.file.path, this.size).catch(() => undefined);
  }

  private fail(batch: Pending[], err: Error): void {
    const error = new PortcullisError(
      'failed',
      `the audit journal in ${this.dir} cannot be written (${(err as NodeJS.ErrnoException).code ?? err.message}); the action was not recorded. Free disk space or fix the folder's permissions.`,
    );
    for (const item of batch) {
      if (item.done) item.done(error);
      else if (!item.durable) this.dropped++;
    }
    this.log('audit: write failed', err);
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
      const removed = pruneOldFiles(this.dir, this.retentionDays, this.now(), this.file?.path ?? null);
      if (removed.length > 0) {
        this.pending.push({
          record: this.systemRecord('audit.prune', 'ok', `journal files older than ${this.retentionDays} days were removed`, {
            files: removed,
            retentionDays: this.retentionDays,
          }),
          durable: true,
        });
        this.schedule(true);
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
