import type { AuditFilter, AuditRecord, ServerAuditLine } from '../../../main/core/api';

/** Which journal a row comes from: Portcullis's own, or a server's own audit file. */
export type AuditSource = 'all' | 'portcullis' | 'servers';

export interface AuditRow {
  key: string;
  ts: string | null;
  /** "Portcullis" or the server's audit file. */
  source: string;
  own: boolean;
  kind: string;
  actor: string;
  action: string;
  server: string;
  outcome: string;
  summary: string;
  raw: AuditRecord | ServerAuditLine;
}

export function actorText(actor: AuditRecord['actor']): string {
  switch (actor.kind) {
    case 'desktop':
    case 'cli':
      return `${actor.kind}: ${actor.user}`;
    case 'browser':
      return `browser ${actor.address}`;
    case 'client':
      return `${actor.address}${actor.tokenLabel ? ` (${actor.tokenLabel})` : ''}`;
    default:
      return 'system';
  }
}

function recordSummary(r: AuditRecord): string {
  const p = r.params ?? {};
  if (r.kind === 'access') {
    const bits = [p.method, p.path, p.status].filter((v) => v !== undefined).join(' ');
    return r.reason ? `${bits} — ${r.reason}` : bits;
  }
  if (r.reason) return r.reason;
  if (r.from !== undefined || r.to !== undefined) return `${JSON.stringify(r.from ?? null)} → ${JSON.stringify(r.to ?? null)}`;
  return Object.keys(p).length ? JSON.stringify(p) : '';
}

export function fromRecord(r: AuditRecord): AuditRow {
  return {
    key: `j${r.seq}`,
    ts: r.ts,
    source: 'Portcullis',
    own: false,
    kind: r.kind,
    actor: actorText(r.actor),
    action: r.action,
    server: r.server ?? '',
    outcome: r.outcome,
    summary: recordSummary(r),
    raw: r,
  };
}

export function fromServerLine(l: ServerAuditLine): AuditRow {
  return {
    key: `s${l.server}-${l.n}`,
    ts: l.ts,
    source: `${l.server}'s own log`,
    own: true,
    kind: 'server-own',
    actor: l.actor ?? '',
    action: l.action ?? '',
    server: l.server,
    outcome: l.outcome ?? '',
    summary: l.malformed ?? (l.params ? JSON.stringify(l.params) : ''),
    raw: l,
  };
}

/**
 * The journal's own filter test (main/core/audit/filter.ts), restated for rows that arrive
 * live, so what streams in matches what a fresh query returns. The renderer may not import
 * engine code, only its types.
 */
export function rowMatches(row: AuditRow, f: AuditFilter, source: AuditSource): boolean {
  if (source === 'portcullis' && row.own) return false;
  if (source === 'servers' && !row.own) return false;
  if (f.kind && (row.own || row.kind !== f.kind)) return false;
  if (f.outcome && row.outcome !== f.outcome) return false;
  if (f.server && row.server !== f.server) return false;
  if (f.action && row.action !== f.action) return false;
  if (f.client) {
    const actor = row.raw && 'actor' in row.raw && typeof row.raw.actor === 'object' && row.raw.actor ? row.raw.actor : null;
    if (!actor || !('address' in actor) || actor.address !== f.client) return false;
  }
  if ((f.since || f.until) && row.ts) {
    const ts = Date.parse(row.ts);
    if (f.since && ts < Date.parse(f.since)) return false;
    if (f.until && ts > Date.parse(f.until)) return false;
  }
  if (f.text && !JSON.stringify(row.raw).toLowerCase().includes(f.text.toLowerCase())) return false;
  return true;
}

/** Newest first; rows without a time (a malformed server line) sort by arrival, at the end. */
export function byNewest(a: AuditRow, b: AuditRow): number {
  return (b.ts ?? '').localeCompare(a.ts ?? '');
}
