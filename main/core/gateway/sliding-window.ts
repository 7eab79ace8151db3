/**
 * A sliding-window counter per key (the previous window's count, weighted by how much of it
 * still overlaps, plus the current one), in a table bounded by least-recent use, so a flood
 * from many addresses costs bounded memory.
 */
interface Row {
  windowStart: number;
  current: number;
  previous: number;
}

export type Verdict = { ok: true } | { ok: false; retryAfterS: number };

const allowed: Verdict = { ok: true };

export class SlidingWindow {
  private readonly rows = new Map<string, Row>();
  /** The most recently used key: already at the young end, so it need not be moved there. */
  private youngest: string | null = null;

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly maxKeys: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts one event for `key`, unless it is already over the limit (then it is refused). */
  hit(key: string): Verdict {
    const t = this.now();
    const row = this.row(key, true, t) as Row;
    const verdict = this.judge(row, t);
    if (verdict.ok) row.current++;
    return verdict;
  }

  /** Whether `key` is over the limit now, without counting anything. */
  check(key: string): Verdict {
    const t = this.now();
    const row = this.row(key, false, t);
    return row ? this.judge(row, t) : allowed;
  }

  get size(): number {
    return this.rows.size;
  }

  private row(key: string, create: boolean, t: number): Row | undefined {
    let row = this.rows.get(key);
    if (row) {
      // Re-inserting moves the key to the young end of the map's order (least recent first);
      // the key used last is there already (one busy client: no churn on every request).
      if (key !== this.youngest) {
        this.rows.delete(key);
        this.rows.set(key, row);
        this.youngest = key;
      }
    } else {
      if (!create) return undefined;
      row = { windowStart: t, current: 0, previous: 0 };
      this.rows.set(key, row);
      this.youngest = key;
      if (this.rows.size > this.maxKeys) this.rows.delete(this.rows.keys().next().value as string);
    }
    const elapsedWindows = Math.floor((t - row.windowStart) / this.windowMs);
    if (elapsedWindows >= 1) {
      row.previous = elapsedWindows === 1 ? row.current : 0;
      row.current = 0;
      row.windowStart += elapsedWindows * this.windowMs;
    }
    return row;
  }

  private judge(row: Row, t: number): Verdict {
    const into = (t - row.windowStart) / this.windowMs;
    const estimate = row.previous * (1 - into) + row.current;
    if (estimate < this.limit) return allowed;
    return { ok: false, retryAfterS: Math.max(1, Math.ceil(this.waitMs(row, into) / 1000)) };
  }

  /** How long until the estimate falls below the limit if nothing more is counted. */
  private waitMs(row: Row, into: number): number {
    const w = this.windowMs;
    if (row.current < this.limit) {
      // Still in this window: the previous window's share must fade enough.
      const needInto = 1 - (this.limit - row.current) / row.previous;
      return Math.max(0, (needInto - into) * w);
    }
    // Only after this window ends, and then its own count must fade.
    return (1 - into) * w + (1 - this.limit / row.current) * w;
  }
}
