import { afterAll, onTestFinished } from 'vitest';

/**
 * Runs `fn` when the current test ends, or after the file's tests when called outside a test.
 * (Vitest silently ignores an afterAll registered inside a running test: servers and homes
 * made there would outlive the run.)
 */
export function cleanup(fn: () => unknown): void {
  try {
    onTestFinished(async () => void (await fn()));
  } catch {
    afterAll(async () => void (await fn()));
  }
}
