import type { HealthView } from '../../../main/core/api';

export interface HealthSample {
  at: string;
  latencyMs: number | null;
  status: HealthView['status'];
}

/** Samples kept per server: about five minutes at the default 5 s interval. */
export const HISTORY_LIMIT = 60;

/**
 * Adds the probe result in `health` to `history` when it is a new probe (a new checkedAt),
 * keeping at most HISTORY_LIMIT samples. Returns the same array when nothing changed, so
 * React skips the render.
 */
export function addSample(history: readonly HealthSample[], health: HealthView): readonly HealthSample[] {
  if (!health.checkedAt) return history;
  const last = history[history.length - 1];
  if (last && last.at === health.checkedAt) return history;
  const next = [...history, { at: health.checkedAt, latencyMs: health.latencyMs, status: health.status }];
  return next.length > HISTORY_LIMIT ? next.slice(next.length - HISTORY_LIMIT) : next;
}
