import { closeSync, mkdirSync, openSync, renameSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A log file that rotates by size: `NAME.log`, then `NAME.log.1` … `NAME.log.(files-1)`,
 * oldest dropped. Only already-redacted text is handed to it. Writes are synchronous and
 * batched by the caller, so a crash loses at most one batch and ordering is exact.
 */
export class RotatingLog {
  private fd: number | null = null;
  private size = 0;
  readonly path: string;

  constructor(
    dir: string,
    name: string,
    private readonly maxBytes = 10 * 1024 * 1024,
    private readonly files = 5,
  ) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    this.path = join(dir, `${name}.log`);
  }

  write(text: string): void {
    let rest = text;
    while (rest) {
      if (this.fd === null) this.open();
      const room = this.maxBytes - this.size;
      // Cut at a line end that fits; a file holds at least one line, however long.
      let piece = rest;
      if (Buffer.byteLength(rest) > room) {
        const cut = rest.lastIndexOf('\n', Math.max(0, room - 1));
        if (cut >= 0) piece = rest.slice(0, cut + 1);
        else if (this.size > 0) piece = '';
        else piece = rest.slice(0, rest.indexOf('\n') + 1 || rest.length);
      }
      if (!piece) {
        this.rotate();
        continue;
      }
      writeSync(this.fd as number, piece);
      this.size += Buffer.byteLength(piece);
      rest = rest.slice(piece.length);
      if (rest) this.rotate();
    }
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }

  private open(): void {
    this.fd = openSync(this.path, 'a', 0o600);
    try {
      this.size = statSync(this.path).size;
    } catch {
      this.size = 0;
    }
  }

  private rotate(): void {
    this.close();
    for (let i = this.files - 1; i >= 1; i--) {
      const from = i === 1 ? this.path : `${this.path}.${i - 1}`;
      try {
        renameSync(from, `${this.path}.${i}`);
      } catch {
        // That generation does not exist yet.
      }
    }
    this.fd = openSync(this.path, 'w', 0o600);
    this.size = 0;
  }
}
