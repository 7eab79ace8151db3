import type { HealthSample } from '../state/health-history';

/**
 * Probe latency over the samples seen, as a small line; failed probes are red marks on the
 * baseline. A fixed box, so live updates never move anything around it.
 */
export function Sparkline({
  samples,
  width = 96,
  height = 24,
  label,
  fluid = false,
}: {
  samples: readonly HealthSample[];
  width?: number;
  height?: number;
  label: string;
  /** Stretch to the container's width (the detail chart); the overview's stays fixed. */
  fluid?: boolean;
}) {
  const values = samples.map((s) => s.latencyMs);
  const max = Math.max(1, ...values.filter((v): v is number => v !== null));
  const step = samples.length > 1 ? width / (samples.length - 1) : 0;
  const y = (v: number): number => height - 2 - (v / max) * (height - 4);
  const points = samples
    .map((s, i) => (s.latencyMs === null ? null : `${(i * step).toFixed(1)},${y(s.latencyMs).toFixed(1)}`))
    .filter(Boolean)
    .join(' ');
  const last = samples[samples.length - 1];
  const summary = last
    ? `${label}: ${samples.length} probes, latest ${last.latencyMs ?? '—'} ms (${last.status}), highest ${max} ms`
    : `${label}: no probes yet`;
  return (
    <svg
      className="sparkline"
      width={fluid ? '100%' : width}
      height={height}
      viewBox={`0 0 ${width} ${height}`}
      preserveAspectRatio={fluid ? 'none' : undefined}
      role="img"
      aria-label={summary}
    >
      <title>{summary}</title>
      <line x1={0} x2={width} y1={height - 1} y2={height - 1} stroke="var(--mantine-color-default-border)" />
      {points && <polyline points={points} fill="none" stroke="var(--mantine-primary-color-filled)" strokeWidth={1.5} />}
      {samples.map((s, i) =>
        s.status === 'unhealthy' ? <circle key={s.at} cx={i * step} cy={height - 2} r={2} fill="var(--mantine-color-red-filled)" /> : null,
      )}
    </svg>
  );
}
