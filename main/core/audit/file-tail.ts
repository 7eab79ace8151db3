import { open, stat, type FileHandle } from 'node:fs/promises';

export type TailState = 'waiting' | 'following' | 'error';

export interface FileTailOptions {
  path: string;
  /** Whole lines as they arrive (without the newline). */
  onLines: (lines: string[]) => void;
  onState?: (state: TailState, detail: string | null) => void;
  pollMs?: number;
  /** How much of an existing file is shown when the tail starts. */
  backlogBytes?: number;
}

const MAX_LINE = 64 * 1024;

/**
 * Follows a file another process appends to, like `tail -F`: a file renamed away (rotation)
 * is read to its end before the new one is opened, a file that shrank (truncation) is read
 * again from the start, a missing file is waited for. Polling, because inotify misses
 * renames on some filesystems and a stat every quarter second costs nothing.
 */
export class FileTail {
  private fh: FileHandle | null = null;
  private ino = -1;
  private offset = 0;
  private partial = '';
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  private state: TailState | null = null;
  private first = true;

  constructor(private readonly options: FileTailOptions) {}

  start(): this {
    void this.poll();
    return this;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.fh?.close().catch(() => undefined);
    this.fh = null;
  }

  private async poll(): Promise<void> {
    try {
      await this.step();
    } catch (err) {
      this.setState('error', (err as NodeJS.ErrnoException).code ?? (err as Error).message);
    }
    if (!this.stopped) {
      this.timer = setTimeout(() => void this.poll(), this.options.pollMs ?? 250);
      this.timer.unref();
    }
  }

  private async step(): Promise<void> {
    let info;
    try {
      info = await stat(this.options.path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      // Rotated away and not yet recreated: finish what the old file still holds.
      await this.finishOld();
      this.first = false;
      this.setState('waiting', 'the file does not exist yet');
      return;
    }
    if (info.ino !== this.ino) {
      await this.finishOld();
      this.fh = await open(this.options.path, 'r');
      this.ino = info.ino;
      const backlog = this.options.backlogBytes ?? 64 * 1024;
      // At start only the recent past is shown; a file that appears later is read whole.
      this.offset = this.first ? Math.max(0, info.size - backlog) : 0;
      this.partial = '';
      if (this.offset > 0) await this.skipToLineStart();
      this.first = false;
    } else if (info.size < this.offset) {
      // Truncated in place (`> file`, copytruncate): whatever is there now is new.
      this.offset = 0;
      this.partial = '';
    }
    this.setState('following', null);
    await this.readTo(info.size);
  }

  private async finishOld(): Promise<void> {
    if (!this.fh) return;
    const { size } = await this.fh.stat();
    await this.readTo(size);
    if (this.partial) this.emit([this.partial]);
    this.partial = '';
    await this.fh.close().catch(() => undefined);
    this.fh = null;
    this.ino = -1;
    this.first = false;
  }

  private async skipToLineStart(): Promise<void> {
    const probe = Buffer.alloc(MAX_LINE);
    const { bytesRead } = await (this.fh as FileHandle).read(probe, 0, probe.length, this.offset - 1);
    const newline = probe.subarray(0, bytesRead).indexOf(0x0a);
    this.offset = newline === -1 ? this.offset + bytesRead - 1 : this.offset + newline;
  }

  private async readTo(size: number): Promise<void> {
    const fh = this.fh;
    if (!fh) return;
    while (this.offset < size) {
      const chunk = Buffer.alloc(Math.min(size - this.offset, 1024 * 1024));
      const { bytesRead } = await fh.read(chunk, 0, chunk.length, this.offset);
      if (bytesRead === 0) break;
      this.offset += bytesRead;
      const parts = (this.partial + chunk.subarray(0, bytesRead).toString('utf8')).split('\n');
      this.partial = parts.pop() ?? '';
      if (this.partial.length > MAX_LINE) {
        parts.push(this.partial);
        this.partial = '';
      }
      const lines = parts.map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l)).filter((l) => l.length > 0);
      if (lines.length > 0) this.emit(lines);
    }
  }

  private emit(lines: string[]): void {
    try {
      this.options.onLines(lines);
    } catch {
      // A failing consumer must not stop the tail.
    }
  }

  private setState(state: TailState, detail: string | null): void {
    if (state === this.state) return;
    this.state = state;
    this.options.onState?.(state, detail);
  }
}
