import type { RestartEvent, ServerView } from '../../../main/core/api';

export interface Toast {
  /** Set on the unhealthy warning, so its recovery can be said later. */
  kind?: 'unhealthy';
  color: 'red' | 'yellow' | 'green' | 'blue' | 'orange';
  title: string;
  message: string;
}

/**
 * What deserves a toast when a server changes: giving up (failed), falling unhealthy,
 * recovering (only after an unhealthy toast, `warnedUnhealthy`). Crashes followed by a restart
 * are said by `toastForRestart`. Pure, so the rules
 * can be tested and stay the same wherever they run.
 */
export function toastForChange(before: ServerView | undefined, after: ServerView, warnedUnhealthy = false): Toast | null {
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
  // Only a server that was healthy can fall ill: failed probes while it starts are not news.
  if (after.state === 'running' && after.health.status === 'unhealthy' && before.health.status === 'healthy') {
    return { kind: 'unhealthy', color: 'yellow', title: `${after.name} is unhealthy`, message: after.health.detail ?? 'its health check is failing.' };
  }
  if (warnedUnhealthy && after.state === 'running' && after.health.status === 'healthy' && before.health.status === 'unhealthy') {
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

/** Failed authentications from one address within a minute that make a toast. */
const FAILED_AUTH_THRESHOLD = 5;
const WINDOW_MS = 60_000;

/** Counts 401/403 answers per client address; says so once per address every ten minutes. */
export class AuthFailureWatch {
  private readonly times = new Map<string, number[]>();
  private readonly warned = new Map<string, number>();

  add(records: readonly { client: string; server: string; status: number }[], now = Date.now()): Toast[] {
    const toasts: Toast[] = [];
    for (const r of records) {
      if (r.status !== 401 && r.status !== 403) continue;
      const list = (this.times.get(r.client) ?? []).filter((t) => now - t < WINDOW_MS);
      list.push(now);
      this.times.set(r.client, list);
      if (list.length >= FAILED_AUTH_THRESHOLD && now - (this.warned.get(r.client) ?? -Infinity) > 10 * WINDOW_MS) {
        this.warned.set(r.client, now);
        toasts.push({
          color: 'red',
          title: `Repeated failed sign-ins from ${r.client}`,
          message: `${list.length} requests to ${r.server} without a valid token in the last minute. If you do not know this client, lock ${r.server} down.`,
        });
      }
    }
    return toasts;
  }
}

/** When a time-boxed public exposure should be announced as ending soon (5 min, or half time). */
export function expiryWarningAt(e: { mode: string; expiresAt: string | null; since: string | null }): number | null {
  if (e.mode !== 'public' || !e.expiresAt) return null;
  const end = Date.parse(e.expiresAt);
  const start = e.since ? Date.parse(e.since) : Date.now();
  return Math.max(start + (end - start) / 2, end - 5 * 60_000);
}
