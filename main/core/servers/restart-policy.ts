import type { RestartPolicy, RestartSettings } from '../contract/servers.js';

export type RestartDecision =
  | { kind: 'restart'; delayMs: number; attempt: number }
  | { kind: 'give-up'; reason: string }
  | { kind: 'none' };

/**
 * systemd's restart rules for one server: whether an exit restarts, after what delay
 * (doubling from delayMs with jitter, capped, reset after a stable run), and the start limit
 * (`burst` starts within `intervalMs`) after which it gives up.
 */
export class RestartTracker {
  private starts: number[] = [];
  private attempt = 0;

  constructor(
    private readonly settings: RestartSettings & { policy: RestartPolicy },
    private readonly random: () => number = Math.random,
  ) {}

  /** The same history (starts, backoff attempt) under a new policy: an edit is no reset. */
  withSettings(settings: RestartSettings & { policy: RestartPolicy }): RestartTracker {
    const next = new RestartTracker(settings, this.random);
    next.starts = [...this.starts];
    next.attempt = this.attempt;
    return next;
  }

  /** Every start counts towards the start limit, the user's included. */
  noteStart(now = Date.now()): void {
    this.starts.push(now);
  }

  /** A start by the user or a reset: forget the backoff and the start limit. */
  reset(): void {
    this.starts = [];
    this.attempt = 0;
  }

  get restarts(): number {
    return this.attempt;
  }

  decide(exit: { clean: boolean; uptimeMs: number }, now = Date.now()): RestartDecision {
    const { policy } = this.settings;
    if (policy === 'no' || (policy === 'on-failure' && exit.clean)) return { kind: 'none' };
    // A run that stayed up long enough was not part of a crash loop.
    if (exit.uptimeMs >= this.settings.stableAfterMs) {
      this.attempt = 0;
      this.starts = this.starts.slice(-1);
    }
    const recent = this.starts.filter((t) => now - t < this.settings.intervalMs);
    this.starts = recent;
    if (recent.length >= this.settings.burst) {
      return {
        kind: 'give-up',
        reason: `start limit hit: ${recent.length} starts within ${formatMs(this.settings.intervalMs)}`,
      };
    }
    const base = Math.min(this.settings.maxDelayMs, this.settings.delayMs * 2 ** this.attempt);
    // Up to +10% jitter spreads restarts of servers that died together, and keeps each delay
    // above the one before it until the cap.
    const delayMs = Math.min(this.settings.maxDelayMs, Math.round(base * (1 + 0.1 * this.random())));
    this.attempt++;
    return { kind: 'restart', delayMs, attempt: this.attempt };
  }
}

export function formatMs(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}
