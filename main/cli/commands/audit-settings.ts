import type { CliContext } from '../context.js';
import { intOption, parse } from '../parse.js';

/** `audit settings [--max-file-mb N] [--retention-days N] [--json]`: shows, or changes, then shows. */
export async function auditSettings(argv: string[], ctx: CliContext): Promise<number> {
  const { values } = parse(
    argv,
    { 'max-file-mb': { type: 'string' }, 'retention-days': { type: 'string' }, json: { type: 'boolean' } },
    { min: 0, max: 0, names: '' },
  );
  const maxFileMB = intOption(values['max-file-mb'], 'max-file-mb');
  const retentionDays = intOption(values['retention-days'], 'retention-days');
  const view =
    maxFileMB === undefined && retentionDays === undefined
      ? await ctx.client.call('audit.settings', {})
      : await ctx.client.call('audit.updateSettings', {
          ...(maxFileMB !== undefined ? { maxFileMB } : {}),
          ...(retentionDays !== undefined ? { retentionDays } : {}),
        });
  if (values.json) ctx.out(JSON.stringify(view, null, 2));
  else ctx.out(`journal: ${view.dir}\nnew file every: ${view.maxFileMB} MB\nkept for: ${view.retentionDays} days`);
  return 0;
}
