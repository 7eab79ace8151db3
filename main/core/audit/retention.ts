import { rmSync, statSync } from 'node:fs';
import { listJournalFiles } from './files.js';

const DAY_MS = 86_400_000;

/**
 * Removes journal files whose last line is older than the retention period. The file being
 * written is never removed, so the chain always keeps its newest part.
 */
export function pruneOldFiles(dir: string, retentionDays: number, now: Date, current: string | null): string[] {
  const cutoff = now.getTime() - retentionDays * DAY_MS;
  const removed: string[] = [];
  const files = listJournalFiles(dir);
  for (const file of files.slice(0, -1)) {
    if (file.path === current) continue;
    // Only the oldest files go, in order, so the chain that remains has no holes.
    let old: boolean;
    try {
      old = statSync(file.path).mtimeMs < cutoff;
    } catch {
      break;
    }
    if (!old) break;
    rmSync(file.path, { force: true });
    removed.push(file.name);
  }
  return removed;
}
