import { afterAll, onTestFinished } from 'vitest';

/** Clean-ups asked for outside a running test (in beforeAll, at a file's top level). */
const pending: Array<() => unknown> = [];

// Registered when a test file first imports this helper, while vitest collects it, so it runs
// after all of that file's tests. An afterAll registered later — from inside a beforeAll or a
// running test — is silently ignored by vitest, which left `serve` processes (and the servers
// they ran) behind after the run.
afterAll(async () => {
  for (const fn of pending.splice(0).reverse()) await fn();
});

/** Runs `fn` when the current test ends, or after the file's tests when called outside a test. */
export function cleanup(fn: () => unknown): void {
  try {
    onTestFinished(async () => void (await fn()));
  } catch {
    pending.push(fn);
  }
}
