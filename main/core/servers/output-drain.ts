import { spawn } from 'node:child_process';
import type { Readable } from 'node:stream';

/**
 * Keeps a server's output pipes read after Portcullis lets go of them (quitting with "leave
 * running"). With no reader left, the server's next write fails — EPIPE: Python's print
 * raises BrokenPipeError, Node's stdout emits an error — and servers log all the time, so
 * they would die of our quitting. A detached `sh` takes over the read ends and discards what
 * comes until the server closes them: output while Portcullis is away is not kept, since it
 * could only be stored unredacted. A server that writes faster than the drain reads (it
 * wakes every 0.2 s) waits on a full pipe meanwhile, as it would behind a slow terminal.
 * Returns false where there is no such shell (Windows).
 */
export function drainAfterDetach(streams: ReadonlyArray<Readable | null>): boolean {
  if (process.platform === 'win32') return false;
  const pipes = streams.filter((s): s is Readable => s !== null && !s.destroyed);
  if (pipes.length === 0) return true;
  // The pipes arrive as fds 3, 4, …, each with a loop of its own. They are non-blocking (libuv
  // made them so, and the flag belongs to the pipe, not to our copy): cat reads what is there,
  // stops at "try again" with status 1, and the loop goes again a moment later, until cat
  // ends at end of file (0) because the server closed its side.
  const loop = (fd: number): string => `(until cat <&${fd} >/dev/null 2>&1; do sleep 0.2; done) &`;
  const script = `${pipes.map((_, i) => loop(i + 3)).join(' ')} wait`;
  try {
    const drain = spawn('/bin/sh', ['-c', script], { detached: true, stdio: ['ignore', 'ignore', 'ignore', ...pipes] });
    drain.on('error', () => undefined);
    drain.unref();
  } catch {
    return false;
  }
  // The shell holds its own copies now; ours close with the streams.
  for (const p of pipes) p.destroy();
  return true;
}
