import type { ServerView } from '../core/api.js';

/** Plain fixed-width columns: readable in any terminal and easy to grep. */
export function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('  ')).join('\n');
}

export function healthWord(view: ServerView): string {
  if (view.state !== 'running' && view.state !== 'starting') return '-';
  const h = view.health;
  return h.latencyMs !== null && h.status === 'healthy' ? `${h.status} (${h.latencyMs} ms)` : h.status;
}

/** The stable JSON shape of `status --json` (scripts depend on it). */
export function statusJson(view: ServerView) {
  return {
    name: view.name,
    state: view.state,
    pid: view.pid,
    port: view.definition.port ?? null,
    health: { status: view.health.status, latencyMs: view.health.latencyMs },
  };
}
