import type { AuditActor, AuditRecordOutcome } from '../contract/audit.js';
import type { AccessEntry, AuditEntry } from '../ports.js';
import type { Unchained } from './line.js';
import { scrubPath, scrubString, scrubValue, whitelistParams } from './redact.js';

/** A module's control, server or system entry as a record ready to be chained. */
export function fromAuditEntry(entry: AuditEntry, ts: string): Unchained {
  const record: Unchained = {
    ts,
    kind: entry.kind,
    actor: scrubValue(entry.actor) as AuditActor,
    action: scrubString(entry.action),
    ...(entry.server !== undefined ? { server: scrubString(entry.server) } : {}),
    outcome: entry.outcome,
    ...(entry.reason !== undefined ? { reason: scrubString(entry.reason) } : {}),
  };
  const params = whitelistParams(entry.action, entry.params);
  if (params) record.params = params;
  if (entry.from !== undefined) record.from = scrubValue(entry.from);
  if (entry.to !== undefined) record.to = scrubValue(entry.to);
  return record;
}

/** A gateway request: denied when the gateway gave a reason, an error when upstream failed. */
export function fromAccessEntry(entry: AccessEntry, ts: string): Unchained {
  const outcome: AuditRecordOutcome = entry.reason !== undefined ? 'denied' : entry.status >= 500 ? 'error' : 'ok';
  // Built field by field, no spreads: this runs for every gateway request, and the key order
  // (which the line's bytes follow) stays the same as ever.
  const actor: AuditActor & { kind: 'client' } = { kind: 'client', address: scrubString(entry.client) };
  if (entry.tokenId !== undefined) actor.tokenId = scrubString(entry.tokenId);
  if (entry.tokenLabel !== undefined) actor.tokenLabel = scrubString(entry.tokenLabel);
  const record: Unchained = { ts, kind: 'access', actor, action: 'gateway.request', server: scrubString(entry.server), outcome };
  if (entry.reason !== undefined) record.reason = scrubString(entry.reason);
  record.params = {
    mode: entry.mode,
    method: scrubString(entry.method).slice(0, 16),
    path: scrubPath(entry.path),
    status: entry.status,
    bytesIn: entry.bytesIn,
    bytesOut: entry.bytesOut,
    durationMs: Math.round(entry.durationMs * 10) / 10,
  };
  return record;
}
