import type { LatencyPoint } from '../contract/servers.js';

/** The last hour of probe latencies for a chart; bounded by count too, for short intervals. */
export class LatencyHistory {
  private points: LatencyPoint[] = [];

  constructor(
    private readonly windowMs = 3_600_000,
    private readonly maxPoints = 3_600,
  ) {}

  add(ms: number | null, at = new Date()): void {
    this.points.push({ at: at.toISOString(), ms });
    const cutoff = at.getTime() - this.windowMs;
    let drop = Math.max(0, this.points.length - this.maxPoints);
    while (drop < this.points.length && Date.parse((this.points[drop] as LatencyPoint).at) < cutoff) drop++;
    if (drop > 0) this.points = this.points.slice(drop);
  }

  all(): LatencyPoint[] {
    return [...this.points];
  }
}
