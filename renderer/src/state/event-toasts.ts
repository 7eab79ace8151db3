import type { RestartEvent, ServerView } from '../../../main/core/api';

export interface Toast {
  color: 'red' | 'yellow' | 'green' | 'blue' | 'orange';
  title: string;
  message: string;
}

/**
 * What deserves a toast when a server changes: giving up (failed), falling unhealthy,
 * recovering. Crashes followed by a restart are said by `toastForRestart`. Pure, so the rules
 * can be tested and stay the same wherever they run.
 */
export function toastForChange(before: ServerView | undefined, after: ServerView): Toast | null {
  if (!before) return null;
  if (after.state === 'failed' && before.state !== 'failed') {
    return {
      color: 'red',
      title: `${after.name} failed`,
      message: `${after.lastExit?.reason ?? 'it could not be kept running'}. Read its log, fix the cause, then Reset it.`,
    };
  }
  if (after.kind === 'job' && after.state === 'succeeded' && before.state !== 'succeeded') {
    return { color: 'green', title: `${after.name} finished`, message: 'the job exited successfully.' };
  }
  const wasUnhealthy = before.health.status === 'unhealthy';
  const isUnhealthy = after.health.status === 'unhealthy';
  if (after.state === 'running' && isUnhealthy && !wasUnhealthy) {
    return { color: 'yellow', title: `${after.name} is unhealthy`, message: after.health.detail ?? 'its health check is failing.' };
  }
  if (after.state === 'running' && wasUnhealthy && after.health.status === 'healthy') {
    return { color: 'green', title: `${after.name} is healthy again`, message: 'its health check passes.' };
  }
  return null;
}

export function toastForRestart(e: RestartEvent): Toast {
  return {
    color: 'orange',
    title: `${e.name} crashed`,
    message: `${e.reason}. Restarting in ${Math.round(e.delayMs / 100) / 10} s (attempt ${e.attempt}).`,
  };
}
