import { z } from 'zod';
import type { Actor } from '../api.js';
import { event, method, returns } from './define.js';

export const auditKinds = ['control', 'access', 'server', 'system'] as const;
export const auditOutcomes = ['ok', 'denied', 'error'] as const;
export type AuditRecordKind = (typeof auditKinds)[number];
export type AuditRecordOutcome = (typeof auditOutcomes)[number];

/** Who did it: a face's actor, or a client of the gateway (its address and the token it used). */
export type AuditActor = Actor | { kind: 'client'; address: string; tokenId?: string; tokenLabel?: string };

/** One line of the journal, exactly as stored (JSON Lines, fields in this order). */
export interface AuditRecord {
  seq: number;
  /** ISO 8601 UTC with milliseconds. */
  ts: string;
  kind: AuditRecordKind;
  actor: AuditActor;
  action: string;
  server?: string;
  outcome: AuditRecordOutcome;
  reason?: string;
  params?: Record<string, unknown>;
  from?: unknown;
  to?: unknown;
  /** SHA-256 (hex) of the previous line's bytes; 64 zeros for the very first line. */
  prev: string;
}

const isoTime = (field: string) =>
  z
    .string()
    .refine((s) => !Number.isNaN(Date.parse(s)), `${field} must be a date and time such as 2026-01-31T12:00:00Z`);

/** The filters shared by query, export and the live stream. */
export const auditFilter = z.object({
  since: isoTime('since').optional(),
  until: isoTime('until').optional(),
  server: z.string().min(1).max(64).optional(),
  kind: z.enum(auditKinds, { error: `kind must be one of: ${auditKinds.join(', ')}` }).optional(),
  action: z.string().min(1).max(128).optional(),
  outcome: z.enum(auditOutcomes, { error: `outcome must be one of: ${auditOutcomes.join(', ')}` }).optional(),
  /** The client's address (access records) or the browser's address. */
  client: z.string().min(1).max(128).optional(),
  /** Case-insensitive text anywhere in the record. */
  text: z.string().min(1).max(256).optional(),
});
export type AuditFilter = z.output<typeof auditFilter>;

/** An export for the faces to save as a file: oldest first. */
export interface AuditExport {
  format: 'csv' | 'jsonl';
  text: string;
  count: number;
  /** More records matched than the limit: the oldest were left out. */
  truncated: boolean;
}

export interface AuditPage {
  /** Newest first. */
  records: AuditRecord[];
  /** Pass as `before` for the next (older) page; null when there is none. */
  nextBefore: number | null;
}

export type AuditProblemKind = 'malformed' | 'seq' | 'chain' | 'altered' | 'torn' | 'head' | 'file';

export interface AuditVerifyReport {
  ok: boolean;
  dir: string;
  files: number;
  records: number;
  firstSeq: number | null;
  lastSeq: number | null;
  /** Whether the head hash in the keychain was compared, and why not when it wasn't. */
  head: { checked: true; seq: number } | { checked: false; why: string };
  /** The first thing wrong, with the file and 1-based line where it is. */
  problem: { kind: AuditProblemKind; file: string; line: number; message: string } | null;
}

/** A line of a server's own audit log, normalised beside the journal's records. */
export interface ServerAuditLine {
  server: string;
  /** The file it came from. */
  source: string;
  /** Arrival order within this Portcullis run. */
  n: number;
  ts: string | null;
  actor: string | null;
  action: string | null;
  outcome: string | null;
  params: Record<string, unknown> | null;
  /** Set when the line is not a JSON object: the raw text (shortened) is shown instead. */
  malformed: string | null;
}

export interface AuditSourceView {
  server: string;
  path: string;
  /** From the server's profile, or set by the user. */
  origin: 'profile' | 'setting';
  state: 'waiting' | 'following' | 'error';
  detail: string | null;
}

export interface AuditSettingsView {
  maxFileMB: number;
  retentionDays: number;
  /** Where the journal is. */
  dir: string;
}

const serverRef = z.string().min(1, 'server must not be empty').max(64);

export const auditMethods = {
  'audit.query': method(
    auditFilter.extend({
      limit: z.number().int().min(1, 'limit must be at least 1').max(10_000, 'limit must be at most 10000').default(100),
      before: z.number().int().min(1).optional(),
    }),
    returns<AuditPage>(),
    'Journal records matching the filters, newest first, one page at a time.',
  ),
  'audit.export': method(
    auditFilter.extend({
      format: z.enum(['csv', 'jsonl'], { error: 'format must be csv or jsonl' }),
      limit: z.number().int().min(1, 'limit must be at least 1').max(100_000, 'limit must be at most 100000').default(100_000),
    }),
    returns<AuditExport>(),
    'Matching records, oldest first, as CSV (for spreadsheets) or JSON Lines (as stored), up to the newest 100,000.',
  ),
  'audit.verify': method(z.object({}), returns<AuditVerifyReport>(), 'Check every journal file, the chain across files and the keychain head.'),
  'audit.acceptHead': method(
    z.object({
      confirm: z.literal(true, { error: 'confirm must be true: accepting the journal as it now is replaces the head kept in the keychain' }),
    }),
    returns<AuditVerifyReport>(),
    'After verify reported a head mismatch: record who accepted the journal as it is, and keep its current head from now on.',
  ),
  'audit.sources': method(z.object({}), returns<AuditSourceView[]>(), "The servers' own audit files being tailed."),
  'audit.setSource': method(
    z.object({
      server: serverRef,
      path: z
        .string()
        .min(1, 'path must not be empty')
        .refine((p) => p.startsWith('/'), 'path must be absolute (start with "/")')
        .nullable(),
    }),
    returns<AuditSourceView[]>(),
    "Tail this JSON Lines file as the server's own audit log (null removes the setting).",
  ),
  'audit.settings': method(z.object({}), returns<AuditSettingsView>(), 'The journal\'s file size and retention, and where it is.'),
  'audit.updateSettings': method(
    z
      .object({
        maxFileMB: z.number().int('maxFileMB must be a whole number').min(1, 'maxFileMB must be at least 1').max(1024, 'maxFileMB must be at most 1024').optional(),
        retentionDays: z.number().int('retentionDays must be a whole number').min(1, 'retentionDays must be at least 1').max(3650, 'retentionDays must be at most 3650').optional(),
      })
      .refine((v) => v.maxFileMB !== undefined || v.retentionDays !== undefined, 'give maxFileMB, retentionDays or both'),
    returns<AuditSettingsView>(),
    'Change the journal\'s file size or retention; in force at once (a shorter retention removes old files now).',
  ),
  'audit.serverLog': method(
    z.object({ server: serverRef.optional(), limit: z.number().int().min(1).max(5_000).default(200) }),
    returns<ServerAuditLine[]>(),
    "The last lines of the servers' own audit logs, oldest first.",
  ),
};

export const auditEvents = {
  'audit.records': event<{ records: AuditRecord[]; omitted?: number }>(
    'New journal records, as soon as they are on disk. Under heavy gateway traffic only the newest access records of each write come live; `omitted` counts the others (on disk all the same: the seqs are contiguous, query the stretch ending at the newest seq given).',
  ),
  'audit.serverLines': event<{ lines: ServerAuditLine[] }>("New lines from the servers' own audit logs."),
};
