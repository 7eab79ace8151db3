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

/** The stable JSON shape of `status --json` (scripts depend on it: fields are only ever added). */
export function statusJson(view: ServerView) {
  return {
    name: view.name,
    state: view.state,
    pid: view.pid,
    port: view.port ?? view.definition.port ?? null,
    health: { status: view.health.status, latencyMs: view.health.latencyMs },
    kind: view.kind,
    restarts: view.restarts,
    lastExit: view.lastExit
      ? { code: view.lastExit.code, signal: view.lastExit.signal, reason: view.lastExit.reason, at: view.lastExit.at, durationMs: view.lastExit.durationMs }
      : null,
    /** `address:port` the process tree really listens on, as the OS reports it. */
    listening: view.listening.map((s) => (s.address.includes(':') ? `[${s.address}]:${s.port}` : `${s.address}:${s.port}`)),
    bindWarning: view.bindWarning,
    progress: view.progress ? { fraction: view.progress.fraction, text: view.progress.text } : null,
    adopted: view.adopted,
  };
}

/** The state column: a job's progress, a backoff's next start. */
export function stateWord(view: ServerView): string {
  if (view.progress && view.state === 'running') return `running ${Math.round(view.progress.fraction * 100)}%`;
  if (view.state === 'backoff' && view.nextStartAt) {
    const secs = Math.max(0, Math.ceil((Date.parse(view.nextStartAt) - Date.now()) / 1000));
    return `backoff (restart in ${secs} s)`;
  }
  return view.state;
}
