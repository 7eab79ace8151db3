import type { AccessRecord } from '../contract/exposure.js';

const MAX_BATCH = 100;

/**
 * Live access records for the UI, throttled: at most one batch per interval with the latest
 * records, and a count of those left out. The journal gets every record; the screen need not.
 */
export class AccessFeed {
  private batch: AccessRecord[] = [];
  private dropped = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly emit: (batch: { records: AccessRecord[]; dropped: number }) => void,
    private readonly intervalMs = 250,
  ) {}

  push(record: AccessRecord): void {
    if (this.batch.length >= MAX_BATCH) {
      this.batch.shift();
      this.dropped++;
    }
    this.batch.push(record);
    this.timer ??= setTimeout(() => this.flush(), this.intervalMs);
    this.timer.unref();
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.batch.length === 0) return;
    const out = { records: this.batch, dropped: this.dropped };
    this.batch = [];
    this.dropped = 0;
    this.emit(out);
  }
}
