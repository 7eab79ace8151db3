import type { LogLine } from '../../../main/core/api';

/**
 * The lines one open log view holds: at most `capacity`, oldest dropped first, so a server
 * printing thousands of lines a second keeps the page's memory bounded. Lines are appended
 * in place (no copy of the whole list per batch); `dropped` counts what fell off the front so
 * a paused view can keep the line the user is reading still.
 */
export class LogBuffer {
  private lines: LogLine[] = [];
  private start = 0;
  /** Lines dropped from the front since the buffer was created. */
  dropped = 0;
  /** Bumped on every change: React state keys off it. */
  version = 0;

  constructor(readonly capacity = 50_000) {}

  get size(): number {
    return this.lines.length - this.start;
  }

  at(index: number): LogLine | undefined {
    return this.lines[this.start + index];
  }

  /** The highest sequence number held, to skip lines a live event repeats after a fetch. */
  get lastSeq(): number {
    return this.lines[this.lines.length - 1]?.seq ?? -1;
  }

  append(batch: readonly LogLine[]): void {
    const last = this.lastSeq;
    for (const line of batch) if (line.seq > last) this.lines.push(line);
    const excess = this.size - this.capacity;
    if (excess > 0) {
      this.start += excess;
      this.dropped += excess;
      // Compact now and then rather than on every batch: shifting 50k entries costs.
      if (this.start > this.capacity / 2) {
        this.lines = this.lines.slice(this.start);
        this.start = 0;
      }
    }
    this.version++;
  }

  clear(): void {
    this.dropped += this.size;
    this.lines = [];
    this.start = 0;
    this.version++;
  }

  /** Indexes (into this buffer) of the lines that pass `keep`. */
  filter(keep: (line: LogLine) => boolean): number[] {
    const out: number[] = [];
    for (let i = 0; i < this.size; i++) if (keep(this.lines[this.start + i] as LogLine)) out.push(i);
    return out;
  }

  toText(indexes?: readonly number[]): string {
    const pick = indexes ?? Array.from({ length: this.size }, (_, i) => i);
    return pick.map((i) => this.format(this.at(i))).join('\n');
  }

  private format(line: LogLine | undefined): string {
    return line ? `${line.ts} ${line.stream} ${line.text}` : '';
  }
}
