import type { AuditFilter, AuditPage } from '../../core/contract/audit.js';
import { auditDir } from '../../core/audit/files.js';
import { queryJournal } from '../../core/audit/query.js';
import { NotRunningError } from '../../core/control/client.js';
import type { CliContext } from '../context.js';

/**
 * One page of records: from the running Portcullis (which writes its batch first), or
 * straight from the home's files when none runs, so the journal stays readable either way.
 */
export async function readPage(ctx: CliContext, filter: AuditFilter, limit: number, before?: number): Promise<AuditPage> {
  try {
    return await ctx.client.call('audit.query', { ...filter, limit, ...(before !== undefined ? { before } : {}) });
  } catch (err) {
    if (!(err instanceof NotRunningError)) throw err;
    return queryJournal(auditDir(ctx.home), { ...filter, limit, before });
  }
}
