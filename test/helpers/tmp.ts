import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanup } from './cleanup.js';

/** A fresh directory removed after the file's tests; short, so socket paths fit. */
export function tempDir(prefix = 'pc-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  cleanup(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}
