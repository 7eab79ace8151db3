import type { AuditRecord } from '../contract/audit.js';

/** New records, and how many access records of the same stretch were written but not carried. */
export type RecordListener = (records: AuditRecord[], omitted: number) => void;

/** At most this often the listeners hear of new records; what is written meanwhile goes together. */
export const LIVE_INTERVAL_MS = 50;

/**
 * The journal's live stream to its listeners (the `audit.records` event). The writer thread
 * answers many small writes under load, each in turn; passed on one by one they would make as
 * many events for every face to send and render. The first write after a quiet spell goes at
 * once; later ones within LIVE_INTERVAL_MS go together at its end, in order. The writes are
 * contiguous, so the records of several still end at the newest seq and `omitted` adds up:
 * a reader can count and read back what was left out exactly as for one write.
 */
export class LiveFeed {
  private readonly listeners = new Set<RecordListener>();
  private waiting: { records: AuditRecord[]; omitted: number } | null = null;
  private timer: NodeJS.Timeout | null = null;
  private last = -Infinity;

  constructor(private readonly log: (message: string, err?: unknown) => void) {}

  get listening(): boolean {
    return this.listeners.size > 0;
  }

  listen(listener: RecordListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  add(records: AuditRecord[], omitted: number): void {
    if (records.length === 0 || this.listeners.size === 0) return;
    if (this.waiting) {
      for (const r of records) this.waiting.records.push(r);
      this.waiting.omitted += omitted;
      return;
    }
    const since = performance.now() - this.last;
    if (since >= LIVE_INTERVAL_MS) {
      this.deliver(records, omitted);
      return;
    }
    this.waiting = { records: [...records], omitted };
    this.timer = setTimeout(() => this.flush(), LIVE_INTERVAL_MS - since);
  }

  /** Passes on whatever is waiting now (the journal closing must not keep it back). */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const waiting = this.waiting;
    this.waiting = null;
    if (waiting) this.deliver(waiting.records, waiting.omitted);
  }

  private deliver(records: AuditRecord[], omitted: number): void {
    this.last = performance.now();
    for (const listener of this.listeners) {
      try {
        listener(records, omitted);
      } catch (err) {
        this.log('audit: a record listener failed', err);
      }
    }
  }
}
