import { appendFileSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { join } from 'node:path';

export type LogSink = (message: string, err?: unknown) => void;

/**
 * The desktop app's own log: unexpected errors and start-up failures, which a window-only
 * app would otherwise lose. One file, moved to `.1` past `maxBytes`, so it stays bounded.
 * Callers pass messages and errors only; tokens never reach a log (DESIGN.md, secrets).
 */
export function openLogFile(dir: string, maxBytes = 5 * 1024 * 1024): LogSink {
  const file = join(dir, 'portcullis.log');
  return (message, err) => {
    const detail = err === undefined ? '' : ` ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`;
    const line = `${new Date().toISOString()} ${message}${detail}\n`;
    console.error(`portcullis: ${message}`, err ?? '');
    try {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      if (fileSize(file) + line.length > maxBytes) renameSync(file, `${file}.1`);
      appendFileSync(file, line, { mode: 0o600 });
    } catch {
      // A log that cannot be written must not take the app down; stderr still has it.
    }
  };
}

function fileSize(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}
