import type { HealthView, LatencyPoint } from '../contract/servers.js';
import { LatencyHistory } from './latency-history.js';
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
  /** Probe latencies of the last hour (null for a failed probe), oldest first. */
  history?(): LatencyPoint[];
}

export type HealthMonitorFactory = (config: HealthConfig, onHealth: (health: HealthView) => void) => HealthMonitor;

const STARTUP_PROBE_MS = 250;

export const unknownHealth = (): HealthView => ({
  status: 'unknown',
  latencyMs: null,
  checkedAt: null,
  detail: null,
  version: null,
  activeJobs: null,
  model: null,
  failures: 0,
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
  const history = new LatencyHistory();

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
    history.add(result.ok ? result.latencyMs : null);
    current = {
      status,
      latencyMs: result.ok ? result.latencyMs : null,
      checkedAt: new Date().toISOString(),
      detail: result.detail,
      version: result.version ?? current.version,
      activeJobs: result.activeJobs ?? (result.ok ? null : current.activeJobs),
      model: result.model ?? current.model,
      failures,
    };
    onHealth(current);
  };

  // Fixed rate, not fixed gap: a probe that times out does not push the next one back, so a
  // hung server is unhealthy within `unhealthyAfter` intervals (when timeout <= interval).
  const tick = async (): Promise<void> => {
    const startedAt = Date.now();
    const result = await probe(config.port, config.path, config.timeoutMs);
    if (stopped) return;
    apply(result);
    // Until the first verdict, probe often: a server that is up in 300 ms should not wait a
    // whole interval (5 s by default) to be called healthy.
    const every = current.status === 'unknown' ? Math.min(config.intervalMs, STARTUP_PROBE_MS) : config.intervalMs;
    timer = setTimeout(() => void tick(), Math.max(0, startedAt + every - Date.now()));
  };
  void tick();

  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
    history: () => history.all(),
  };
};
