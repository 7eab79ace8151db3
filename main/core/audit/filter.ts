import type { AuditFilter, AuditRecord } from '../contract/audit.js';

/** One test for the query, the export and the live stream, so all three agree. */
export function matchesFilter(filter: AuditFilter): (record: AuditRecord, line?: string) => boolean {
  const since = filter.since ? Date.parse(filter.since) : null;
  const until = filter.until ? Date.parse(filter.until) : null;
  const text = filter.text?.toLowerCase();
  return (record, line) => {
    if (filter.kind && record.kind !== filter.kind) return false;
    if (filter.outcome && record.outcome !== filter.outcome) return false;
    if (filter.server && record.server !== filter.server) return false;
    if (filter.action && record.action !== filter.action) return false;
    if (filter.client && !('address' in record.actor && record.actor.address === filter.client)) return false;
    if (since !== null || until !== null) {
      const ts = Date.parse(record.ts);
      if (since !== null && ts < since) return false;
      if (until !== null && ts > until) return false;
    }
    if (text && !(line ?? JSON.stringify(record)).toLowerCase().includes(text)) return false;
    return true;
  };
}
