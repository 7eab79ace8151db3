import type { AuditActor } from '../contract/audit.js';
import type { AuditEntry } from '../ports.js';
import type { Unchained } from './line.js';
import { scrubString, scrubValue, whitelistParams } from './redact.js';

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
