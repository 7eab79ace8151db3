import { existsSync } from 'node:fs';
import { auditDir } from '../../core/audit/files.js';
import { headFromKeychain } from '../../core/audit/module.js';
import { verifyJournal } from '../../core/audit/verify.js';
import type { AuditVerifyReport } from '../../core/contract/audit.js';
import { homeIdFile, loadHomeId } from '../../core/secrets/home-id.js';
import { openKeytarKeychain } from '../../platform/keytar-keychain.js';
import type { CliContext } from '../context.js';
import { UsageError } from '../context.js';
import { parse } from '../parse.js';

/**
 * Reads the home's journal itself (a running Portcullis is neither needed nor asked), and the
 * head from the keychain when there is one for this home.
 */
export async function auditVerify(argv: string[], ctx: CliContext): Promise<number> {
  const { values } = parse(argv, { json: { type: 'boolean' }, 'no-keychain': { type: 'boolean' } }, { min: 0, max: 0, names: '' });
  const dir = auditDir(ctx.home);
  // Only read the home id: verify never creates anything in the home it checks.
  const homeId = existsSync(homeIdFile(ctx.home)) ? loadHomeId(ctx.home) : null;
  const head = values['no-keychain']
    ? { unavailable: '--no-keychain was given' }
    : homeId === null
      ? { head: null }
      : await headFromKeychain(openKeytarKeychain(), homeId);
  const report = await verifyJournal(dir, head);
  if (values.json) ctx.out(JSON.stringify(report, null, 2));
  else describe(report, ctx);
  // 0 means checked in full: a chain that links up may still have been rewritten whole, and
  // only the keychain's head can tell. A keychain that could not be read is not a pass.
  if (report.ok && 'unavailable' in head && !values['no-keychain']) {
    ctx.err('the chain is intact, but the head kept in the keychain could not be read, so a journal rewritten as a whole would go unnoticed: unlock the keychain and run again, or add --no-keychain to check the chain alone.');
    return 1;
  }
  return report.ok ? 0 : 1;
}

/**
 * `audit accept-head --yes`: through the running Portcullis, which records who accepted the
 * journal and from then on keeps its current head. Only a head mismatch can be accepted.
 */
export async function auditAcceptHead(argv: string[], ctx: CliContext): Promise<number> {
  const { values } = parse(argv, { yes: { type: 'boolean' } }, { min: 0, max: 0, names: '' });
  if (!values.yes) throw new UsageError('accept-head replaces the head kept in the keychain with the journal\'s current one; add --yes to confirm');
  const report = await ctx.client.call('audit.acceptHead', { confirm: true });
  describe(report, ctx);
  return report.ok ? 0 : 1;
}

function describe(report: AuditVerifyReport, ctx: CliContext): void {
  if (report.problem) {
    const { file, line, message, kind } = report.problem;
    ctx.out(`audit journal NOT intact (${kind}): ${file} line ${line}: ${message}`);
    return;
  }
  if (report.files === 0) {
    ctx.out(`audit journal intact: no records yet in ${report.dir}`);
  } else {
    ctx.out(
      `audit journal intact: ${report.records} records in ${report.files} file${report.files === 1 ? '' : 's'} (seq ${report.firstSeq}–${report.lastSeq}) in ${report.dir}`,
    );
  }
  ctx.out(report.head.checked ? `head: matches the keychain (seq ${report.head.seq})` : `head: not checked — ${report.head.why}`);
}
