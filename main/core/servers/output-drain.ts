import { spawn } from 'node:child_process';
import type { Readable } from 'node:stream';

/** How often the keeper looks whether Portcullis or the server is gone, in seconds. */
const POLL_S = 2;

/**
 * Keeps a server's output pipes read once Portcullis is gone — quit with "leave running", or
 * killed. With no reader left, the server's next write would fail (EPIPE: Python's print
 * raises BrokenPipeError, Node's stdout emits an error), and servers log all the time, so
 * they would die of our going. Started beside every server: a detached `sh` holding its own
 * copies of the read ends. While Portcullis runs it only waits (Portcullis reads); once
 * Portcullis has gone it reads and discards until the server closes its side — output while
 * Portcullis is away is not kept, since it could only be stored unredacted. It ends by itself
 * when the server does. Not on Windows, which has no such shell.
 */
export function keepOutputDrained(serverPid: number, streams: ReadonlyArray<Readable | null>): void {
  if (process.platform === 'win32') return;
  const pipes = streams.filter((s): s is Readable => s !== null && !s.destroyed);
  if (pipes.length === 0) return;
  // The pipes arrive as fds 3, 4, …, each drained by a loop of its own. They are non-blocking
  // (libuv made them so, and the flag belongs to the pipe, not to a copy): cat reads what is
  // there, stops at "try again" with status 1, and the loop goes again a moment later, until
  // cat ends at end of file (0) because the server closed its side.
  const drain = (fd: number): string => `(until cat <&${fd} >/dev/null 2>&1; do sleep 0.2; done) &`;
  const script = [
    `while kill -0 ${process.pid} 2>/dev/null && kill -0 ${serverPid} 2>/dev/null; do sleep ${POLL_S}; done`,
    // The server ended while Portcullis runs: Portcullis reads what is left (a second reader
    // would take lines of anything still holding the pipes), so the keeper just goes.
    `kill -0 ${process.pid} 2>/dev/null && exit 0`,
    `${pipes.map((_, i) => drain(i + 3)).join(' ')} wait`,
  ].join('\n');
  try {
    const keeper = spawn('/bin/sh', ['-c', script], { detached: true, stdio: ['ignore', 'ignore', 'ignore', ...pipes] });
    keeper.on('error', () => undefined);
    keeper.unref();
  } catch {
    // No shell to start: the server keeps its output pipes only while Portcullis runs.
  } finally {
    // Handing a stream to a child as stdio makes Node stop reading it here: Portcullis is the
    // reader while it runs, so it reads on.
    for (const p of pipes) p.resume();
  }
}
