import type { HealthView } from '../contract/servers.js';
import { probe, type ProbeResult } from './probe.js';

export interface HealthConfig {
  port: number;
  path: string;
  intervalMs: number;
  timeoutMs: number;
  healthyAfter: number;
  unhealthyAfter: number;
}

export interface HealthMonitor {
  stop(): void;
}

export type HealthMonitorFactory = (config: HealthConfig, onHealth: (health: HealthView) => void) => HealthMonitor;

export const unknownHealth = (): HealthView => ({
  status: 'unknown',
  latencyMs: null,
  checkedAt: null,
  detail: null,
  version: null,
});

/**
 * Probes on an interval and turns results into a status with hysteresis: healthy after
 * `healthyAfter` successes in a row, unhealthy after `unhealthyAfter` failures in a row.
 * The first probe runs at once so a fast server is healthy without waiting an interval.
 */
export const startHealthMonitor: HealthMonitorFactory = (config, onHealth) => {
  let current = unknownHealth();
  let successes = 0;
  let failures = 0;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;

  const apply = (result: ProbeResult): void => {
    if (result.ok) {
      successes++;
      failures = 0;
    } else {
      failures++;
      successes = 0;
    }
    let status = current.status;
    if (result.ok && successes >= config.healthyAfter) status = 'healthy';
    if (!result.ok && failures >= config.unhealthyAfter) status = 'unhealthy';
    current = {
      status,
      latencyMs: result.ok ? result.latencyMs : null,
      checkedAt: new Date().toISOString(),
      detail: result.detail,
      version: result.version ?? current.version,
    };
    onHealth(current);
  };

  const tick = async (): Promise<void> => {
    const result = await probe(config.port, config.path, config.timeoutMs);
    if (stopped) return;
    apply(result);
    timer = setTimeout(() => void tick(), config.intervalMs);
  };
  void tick();

  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
};
