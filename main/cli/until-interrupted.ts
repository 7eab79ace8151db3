/**
 * Waits for a following command (`--follow`) to end: its own end (`done`, say the connection
 * closed) or the user's Ctrl-C / SIGTERM, which is a normal way out (exit 0). Then unsubscribes.
 */
export async function untilInterrupted(done: Promise<number>, unsubscribe: () => void): Promise<number> {
  let interrupted: (code: number) => void = () => {};
  const byUser = new Promise<number>((resolve) => (interrupted = resolve));
  const stop = (): void => interrupted(0);
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    return await Promise.race([done, byUser]);
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    unsubscribe();
  }
}
