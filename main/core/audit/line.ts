import { hash } from 'node:crypto';
import type { AuditRecord } from '../contract/audit.js';

/** The `prev` of the very first record: nothing came before it. */
export const GENESIS = '0'.repeat(64);

/** SHA-256 (hex) of one line's bytes, without its newline: the next line's `prev`. */
export function hashLine(line: string | Buffer): string {
  // The one-shot form: half the cost of createHash for a line, and it runs for every request.
  return hash('sha256', line, 'hex');
}

/** A record without its place in the chain, as modules hand it over. */
export type Unchained = Omit<AuditRecord, 'seq' | 'prev'>;

/**
 * One record as one line, fields in a fixed order so the bytes (and so the hash) depend on
 * the record alone. Absent fields are left out rather than written as null.
 */
export function chainRecord(record: Unchained, seq: number, prev: string): { record: AuditRecord; line: string } {
  // Assigned one by one (not spread): this runs for every gateway request.
  const ordered = { seq, ts: record.ts, kind: record.kind, actor: record.actor, action: record.action } as AuditRecord;
  if (record.server !== undefined) ordered.server = record.server;
  ordered.outcome = record.outcome;
  if (record.reason !== undefined) ordered.reason = record.reason;
  if (record.params !== undefined) ordered.params = record.params;
  if (record.from !== undefined) ordered.from = record.from;
  if (record.to !== undefined) ordered.to = record.to;
  ordered.prev = prev;
  return { record: ordered, line: JSON.stringify(ordered) };
}

/** A stored line back as a record, or null when it is not one. */
export function parseLine(line: string): AuditRecord | null {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const r = value as Partial<AuditRecord>;
  if (!Number.isSafeInteger(r.seq) || typeof r.ts !== 'string' || typeof r.prev !== 'string' || typeof r.action !== 'string') return null;
  return r as AuditRecord;
}
