import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { z } from 'zod';

/** One process Portcullis started and must never lose track of. */
export const childRecord = z.object({
  serverId: z.string(),
  name: z.string(),
  pid: z.number().int().positive(),
  pgid: z.number().int().positive(),
  /** /proc start ticks (or `ps -o lstart`): tells our process from a later one with the same pid. */
  startTime: z.string().nullable(),
  startedAt: z.string(),
  port: z.number().int().nullable(),
});
export type ChildRecord = z.output<typeof childRecord>;

/**
 * `<home>/children.json`: every running child, rewritten atomically (temp file + rename) on
 * each start and exit, so a Portcullis killed at any moment leaves a readable list behind.
 */
export class ChildRecords {
  private records = new Map<string, ChildRecord>();

  constructor(
    private readonly file: string | null,
    private readonly onError?: (err: unknown) => void,
  ) {}

  /** What the previous Portcullis left; unreadable files count as empty (and are replaced). */
  readLeftovers(): ChildRecord[] {
    if (!this.file || !existsSync(this.file)) return [];
    try {
      const parsed = z.array(childRecord).safeParse(JSON.parse(readFileSync(this.file, 'utf8')));
      return parsed.success ? parsed.data : [];
    } catch {
      return [];
    }
  }

  set(record: ChildRecord): void {
    this.records.set(record.serverId, record);
    this.save();
  }

  delete(serverId: string): void {
    if (this.records.delete(serverId)) this.save();
  }

  /** After recovery: only what this Portcullis now watches stays listed. */
  replaceAll(records: ChildRecord[]): void {
    this.records = new Map(records.map((r) => [r.serverId, r]));
    this.save();
  }

  private save(): void {
    if (!this.file) return;
    const tmp = `${this.file}.${process.pid}.tmp`;
    try {
      writeFileSync(tmp, `${JSON.stringify([...this.records.values()], null, 2)}\n`, { mode: 0o600 });
      renameSync(tmp, this.file);
    } catch (err) {
      // A home that vanished or filled up must not crash the supervisor mid-exit; say so instead.
      this.onError?.(err);
    }
  }
}
