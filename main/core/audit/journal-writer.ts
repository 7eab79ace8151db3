import { closeSync, fdatasyncSync, fsyncSync, ftruncateSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { journalFileName, type JournalFile } from './files.js';
import { accessLine } from './access-line.js';
import { chainRecord, hashLine } from './line.js';
import type { WriterItem } from './writer-protocol.js';

/** Where the chain stands: the file lines go to, its size, the last seq and hash. */
export interface WriterState {
  file: JournalFile | null;
  size: number;
  seq: number;
  hash: string;
}

export interface WriteOutcome {
  /** How many of the records (from the first) are on disk; the rest were not written. */
  written: number;
  /** The written lines, each ending in a newline. */
  text: string;
  /** The same lines one by one, without their newlines. */
  lines: string[];
  error: { message: string; code?: string } | null;
}

/**
 * Chains and appends records to `<dir>/journal-<first seq>.jsonl` with blocking calls: it runs
 * on the journal's own thread, where blocking costs nobody. Lines are chained as they are
 * written (never before), so a failed write leaves no gap: a half-written batch is cut back and
 * the chain continues from the last whole line.
 */
export class JournalWriter {
  private fd: number | null = null;

  constructor(
    private readonly dir: string,
    private state: WriterState,
    public maxFileBytes: number,
  ) {}

  get current(): WriterState {
    return this.state;
  }

  write(items: readonly WriterItem[], durable: boolean): WriteOutcome {
    let seq = this.state.seq;
    let hash = this.state.hash;
    const lines: string[] = [];
    const sizes: number[] = [];
    const hashes: string[] = [];
    for (const item of items) {
      // A gateway request's tuple becomes its line directly; any other record goes through chainRecord.
      const line = Array.isArray(item) ? accessLine(item, ++seq, hash) : chainRecord(item.record, ++seq, hash).line;
      hash = hashLine(line);
      lines.push(line);
      sizes.push(Buffer.byteLength(line) + 1);
      hashes.push(hash);
    }
    let written = 0;
    let text = '';
    try {
      if (items.length === 0 && durable && this.fd !== null) fdatasyncSync(this.fd);
      // One write per file: a batch that crosses the size limit continues in a new file.
      while (written < lines.length) {
        const fd = this.fileFor(this.state.seq + 1);
        let room = this.maxFileBytes - this.state.size;
        let end = written;
        do room -= sizes[end++] as number;
        while (end < lines.length && room > 0);
        const chunk = `${lines.slice(written, end).join('\n')}\n`;
        const bytes = Buffer.from(chunk, 'utf8');
        let off = 0;
        while (off < bytes.length) off += writeSync(fd, bytes, off);
        if (durable) fdatasyncSync(fd);
        // Committed file by file, so a failure in the next file leaves this one's lines counted.
        this.state = { ...this.state, size: this.state.size + bytes.length, seq: this.state.seq + end - written, hash: hashes[end - 1] as string };
        text += chunk;
        written = end;
      }
      return { written, text, lines, error: null };
    } catch (err) {
      this.undoPartialWrite();
      const e = err as NodeJS.ErrnoException;
      return { written, text, lines, error: { message: e.message, ...(e.code ? { code: e.code } : {}) } };
    }
  }

  close(): void {
    if (this.fd === null) return;
    try {
      fdatasyncSync(this.fd);
    } finally {
      closeSync(this.fd);
      this.fd = null;
    }
  }

  /** The open file, or a new one named for `firstSeq` when there is none yet or it is full. */
  private fileFor(firstSeq: number): number {
    if (this.fd !== null && this.state.size < this.maxFileBytes) return this.fd;
    if (this.fd !== null) {
      closeSync(this.fd);
      this.fd = null;
    }
    if (!this.state.file || this.state.size >= this.maxFileBytes) {
      const name = journalFileName(firstSeq);
      this.state = { ...this.state, file: { name, path: join(this.dir, name), firstSeq }, size: 0 };
      this.fd = openSync(join(this.dir, name), 'a', 0o600);
      this.syncDir();
    } else {
      this.fd = openSync(this.state.file.path, 'a', 0o600);
    }
    return this.fd;
  }

  /** A new file's name must survive a crash too. */
  private syncDir(): void {
    const dir = openSync(this.dir, 'r');
    try {
      fsyncSync(dir);
    } catch {
      // Some filesystems refuse fsync on a directory; the file's own fsync still holds.
    } finally {
      closeSync(dir);
    }
  }

  /** Cuts back a half-written batch so the next one continues a whole chain. */
  private undoPartialWrite(): void {
    if (this.fd !== null) {
      try {
        closeSync(this.fd);
      } catch {
        // Already unusable; the truncate below is what matters.
      }
      this.fd = null;
    }
    const file = this.state.file;
    if (!file) return;
    try {
      const fd = openSync(file.path, 'r+');
      try {
        ftruncateSync(fd, this.state.size);
      } finally {
        closeSync(fd);
      }
    } catch {
      // The file is gone or unreachable: the next write starts from the state as counted.
    }
  }
}
