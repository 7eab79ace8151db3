import type { LogLine } from '../contract/servers.js';
import { Ring } from './log-ring.js';
import type { RotatingLog } from './log-files.js';
import { redact } from './redact.js';

export interface ServerLogsOptions {
  ringSize: number;
  batchMs: number;
  /** Every secret Portcullis holds for this server, asked again for every batch. */
  secrets: () => readonly string[];
  file: RotatingLog | null;
  /** Called with each batch of new lines (the live log event). */
  onBatch: (lines: LogLine[]) => void;
  /** Sees every redacted stdout/stderr line (a job's progress is parsed from it). */
  onLine?: (line: LogLine) => void;
}

const MAX_BATCH = 2_000;

/**
 * One server's output: each line is redacted first, then kept in the bounded ring, queued for
 * the live event and the log file. Nothing unredacted is stored, sent or shown.
 */
export class ServerLogs {
  private readonly ring: Ring<LogLine>;
  private seq = 0;
  private pending: LogLine[] = [];
  private fileText: string[] = [];
  private timer: NodeJS.Timeout | null = null;
  private secretCache: readonly string[] | null = null;
  private lastMs = 0;
  private lastTs = '';

  constructor(private readonly options: ServerLogsOptions) {
    this.ring = new Ring(options.ringSize);
  }

  append(stream: LogLine['stream'], raw: string): void {
    let text: string;
    try {
      this.secretCache ??= this.options.secrets();
      text = redact(raw, this.secretCache);
    } catch {
      // Fail closed: a line that cannot be checked against the known secrets is not kept.
      text = '‹line withheld: the known secrets could not be read›';
    }
    const line: LogLine = { seq: ++this.seq, ts: this.now(), stream, text };
    this.ring.push(line);
    this.pending.push(line);
    if (this.options.file) this.fileText.push(`${line.ts} ${stream} ${line.text}\n`);
    if (stream !== 'system') this.options.onLine?.(line);
    // A batch goes out after batchMs or MAX_BATCH lines, whichever comes first: a flood makes
    // more batches, never an unbounded queue, and no line is dropped on its way to the faces.
    if (this.pending.length >= MAX_BATCH) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), this.options.batchMs);
  }

  /** The ISO time, formatted once per millisecond: a flood prints many lines in each. */
  private now(): string {
    const ms = Date.now();
    if (ms !== this.lastMs) {
      this.lastMs = ms;
      this.lastTs = new Date(ms).toISOString();
    }
    return this.lastTs;
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.secretCache = null;
    if (this.fileText.length > 0 && this.options.file) {
      const text = this.fileText.join('');
      this.fileText = [];
      try {
        this.options.file.write(text);
      } catch {
        // A full disk must not stop the server or its live logs.
      }
    }
    if (this.pending.length === 0) return;
    const lines = this.pending;
    this.pending = [];
    this.options.onBatch(lines);
  }

  tail(n: number): LogLine[] {
    return this.ring.tail(n);
  }

  close(): void {
    this.flush();
    this.options.file?.close();
  }
}
