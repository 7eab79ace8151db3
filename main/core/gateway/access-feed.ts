import type { AccessRecord } from '../contract/exposure.js';
import type { AccessEntry } from '../ports.js';

const MAX_BATCH = 100;

/**
 * Live access records for the UI, throttled: at most one batch per interval with the latest
 * records, and a count of those left out. The journal gets every record; the screen need not.
 * Entries are kept as handed over, with a number for their time: a record (and its ISO time
 * text) is built only for the few that are emitted, not for every request under load.
 */
export class AccessFeed {
  /** The latest entries, as a ring once full: `start` is the oldest. */
  private entries: AccessEntry[] = [];
  private times: number[] = [];
  private start = 0;
  private dropped = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly emit: (batch: { records: AccessRecord[]; dropped: number }) => void,
    private readonly intervalMs = 250,
  ) {}

  push(entry: AccessEntry, at: number = Date.now()): void {
    if (this.entries.length >= MAX_BATCH) {
      // Full: the oldest is overwritten (counted as left out) instead of shifting the list.
      this.entries[this.start] = entry;
      this.times[this.start] = at;
      this.start = (this.start + 1) % MAX_BATCH;
      this.dropped++;
    } else {
      this.entries.push(entry);
      this.times.push(at);
    }
    if (this.timer === null) {
      this.timer = setTimeout(() => this.flush(), this.intervalMs);
      this.timer.unref();
    }
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const n = this.entries.length;
    if (n === 0) return;
    const records: AccessRecord[] = [];
    for (let i = 0; i < n; i++) {
      const k = (this.start + i) % n;
      records.push({ ...(this.entries[k] as AccessEntry), at: new Date(this.times[k] as number).toISOString() });
    }
    const out = { records, dropped: this.dropped };
    this.entries = [];
    this.times = [];
    this.start = 0;
    this.dropped = 0;
    this.emit(out);
  }
}
