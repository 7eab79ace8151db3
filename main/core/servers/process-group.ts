import { spawnSync } from 'node:child_process';
import { groupMembers, pidAlive } from './proc.js';

/**
 * Signals a whole process group, so a server's own children stop with it. Windows has no
 * groups: `taskkill /T` ends the process tree instead (forcefully for SIGKILL).
 */
export function signalGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  if (process.platform === 'win32') {
    if (signal === 0) return pidAlive(pgid);
    const args = ['/PID', String(pgid), '/T', ...(signal === 'SIGKILL' ? ['/F'] : [])];
    return spawnSync('taskkill', args, { windowsHide: true }).status === 0;
  }
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}

/** Any live process left in the group (zombies waiting to be reaped do not count). */
export function groupAlive(pgid: number): boolean {
  if (process.platform === 'linux') return groupMembers(pgid).length > 0;
  return signalGroup(pgid, 0);
}

/** Polls until the group is gone or `limitMs` passes; true when it is gone. */
export async function waitForGroupExit(pgid: number, limitMs: number, pollMs = 25): Promise<boolean> {
  const deadline = Date.now() + limitMs;
  while (groupAlive(pgid)) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, pollMs));
  }
  return true;
}

/**
 * SIGTERM to the group, SIGKILL to whatever is left after `timeoutMs`. Resolves once nothing
 * of the group runs; `onKill` says when the timeout was needed.
 */
export async function terminateGroup(pgid: number, timeoutMs: number, onKill?: () => void): Promise<void> {
  signalGroup(pgid, 'SIGTERM');
  if (await waitForGroupExit(pgid, timeoutMs)) return;
  onKill?.();
  signalGroup(pgid, 'SIGKILL');
  await waitForGroupExit(pgid, 5_000);
}
