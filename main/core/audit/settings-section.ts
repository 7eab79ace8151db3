import { z } from 'zod';

/** The `audit` section of settings: file size, retention, and where servers keep their own logs. */
export const auditSection = z.object({
  /** A new journal file once the current one reaches this many MB. */
  maxFileMB: z.number().int('audit.maxFileMB must be a whole number').min(1, 'audit.maxFileMB must be at least 1').max(1024, 'audit.maxFileMB must be at most 1024').default(20),
  /** Journal files older than this are removed. */
  retentionDays: z.number().int('audit.retentionDays must be a whole number').min(1, 'audit.retentionDays must be at least 1').max(3650, 'audit.retentionDays must be at most 3650').default(90),
  /** Server name → absolute path of a JSON Lines file it writes, beside or instead of its profile's. */
  sources: z.record(z.string().min(1).max(64), z.string().startsWith('/', 'audit.sources paths must be absolute')).default({}),
});

export type AuditSettings = z.output<typeof auditSection>;
