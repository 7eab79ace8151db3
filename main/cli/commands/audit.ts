import type { AuditRecord } from '../../core/contract/audit.js';
import { untilInterrupted } from '../until-interrupted.js';
import { matchesFilter } from '../../core/audit/filter.js';
import { csvHeader, csvRow } from '../../core/audit/export-csv.js';
import { UsageError, type CliContext, type Command } from '../context.js';
import { table } from '../format.js';
import { parse } from '../parse.js';
import { filterFrom, filterOptions, filterUsage, limitFrom } from './audit-filters.js';
import { headerRow, recordRow, streamLine } from './audit-print.js';
import { readPage } from './audit-read.js';
import { auditServerLog, auditSource, auditSources } from './audit-sources.js';
import { auditSettings } from './audit-settings.js';
import { auditAcceptHead, auditVerify } from './audit-verify.js';

export function auditUsage(): string {
  return [
    'usage: portcullis audit [SUBCOMMAND] ...',
    '',
    `  audit [--follow] [--json] [--limit N] ${filterUsage}`,
    '      records newest first (with --follow: the last N, then each new one as it is written)',
    '  audit export --format csv|jsonl [filters]     every matching record, oldest first, on stdout',
    '  audit verify [--json] [--no-keychain]          check the chain and the keychain head; exit 0 intact, 1 not',
    '  audit accept-head --yes                        after a head mismatch, record that you accept the journal as it is',
    "  audit sources [--json]                         the servers' own audit files being followed",
    '  audit source SERVER PATH|--none                follow a JSON Lines file as SERVER\'s own audit log',
    "  audit server [SERVER] [--follow] [--json]      the servers' own audit lines",
    '  audit settings [--max-file-mb N] [--retention-days N] [--json]   show or change rotation and retention',
    '',
    'Times are ISO 8601 (2026-01-31T12:00:00Z) or ages (30m, 2h, 7d). --kind: control, access, server,',
    'system; --outcome: ok, denied, error. Without a running Portcullis, query, export and verify read',
    "the home's audit/ folder directly.",
  ].join('\n');
}

export const audit: Command = {
  name: 'audit',
  usage: 'audit [export|verify|accept-head|sources|source|server|settings] ... (`portcullis audit help`)',
  summary: 'the audit journal: query, follow, export, verify; the servers\' own audit logs',
  async run(argv, ctx) {
    const [sub, ...rest] = argv;
    switch (sub) {
      case 'help':
        ctx.out(auditUsage());
        return 0;
      case 'verify':
        return auditVerify(rest, ctx);
      case 'accept-head':
        return auditAcceptHead(rest, ctx);
      case 'export':
        return auditExport(rest, ctx);
      case 'sources':
        return auditSources(rest, ctx);
      case 'source':
        return auditSource(rest, ctx);
      case 'server':
        return auditServerLog(rest, ctx);
      case 'settings':
        return auditSettings(rest, ctx);
      default:
        return auditList(argv, ctx);
    }
  },
};

/** Newest first; with --follow, the last few oldest first and then each new record as it is written. */
async function auditList(argv: string[], ctx: CliContext): Promise<number> {
  const { values } = parse(
    argv,
    { ...filterOptions, follow: { type: 'boolean', short: 'f' }, json: { type: 'boolean' }, limit: { type: 'string' } },
    { min: 0, max: 0, names: '' },
  );
  const filter = filterFrom(values);
  const limit = limitFrom(values.limit, values.follow ? 20 : 50);
  const print = (records: AuditRecord[]): void => {
    if (values.json) for (const r of records) ctx.out(JSON.stringify(r));
    else if (values.follow) for (const r of records) ctx.out(streamLine(r));
    else if (records.length > 0) ctx.out(table([headerRow, ...records.map(recordRow)]));
  };
  if (!values.follow) {
    const page = await readPage(ctx, filter, limit);
    if (page.records.length === 0 && !values.json) ctx.err('no audit records match.');
    print(page.records);
    if (page.nextBefore !== null && !values.json) ctx.err(`(older records exist: raise --limit, or narrow with --since/--until)`);
    return 0;
  }
  return follow(ctx, filter, limit, print);
}

async function follow(ctx: CliContext, filter: ReturnType<typeof filterFrom>, limit: number, print: (r: AuditRecord[]) => void): Promise<number> {
  const match = matchesFilter(filter);
  let shownUpTo = 0;
  let lastShown: AuditRecord | null = null;
  let live = false;
  const early: AuditRecord[] = [];
  const show = (records: AuditRecord[]): void => {
    const fresh = records.filter((r) => r.seq > shownUpTo);
    print(fresh);
    for (const r of fresh) {
      if (r.seq <= shownUpTo) continue;
      shownUpTo = r.seq;
      lastShown = r;
    }
  };
  // Once over (a gap, the connection lost, Ctrl-C), nothing more is printed: not records past
  // a gap as if the stream were whole, nor "connection closed" for our own unsubscribe.
  let over = false;
  let resolveDone: (code: number) => void = () => {};
  const done = new Promise<number>((resolve) => (resolveDone = resolve));
  const end = (code: number, ...lines: string[]): void => {
    if (over) return;
    over = true;
    for (const line of lines) ctx.err(line);
    resolveDone(code);
  };
  // Records arrive (and stretches left out of the live stream are fetched) strictly in turn.
  let turn = Promise.resolve();
  // Subscribed before the backlog is read, so nothing written in between is missed or shown twice.
  const unsubscribe = await ctx.client.subscribe(
    (message) => {
      if (message.event !== 'audit.records') return;
      const { records, omitted = 0 } = message.payload;
      turn = turn.then(async () => {
        if (over) return;
        // Heavy traffic: the live stream left out older access records of this stretch; --follow
        // shows every record, so the stretch (contiguous, ending at the newest seq) is read back.
        const all = omitted > 0 ? await stretch(ctx, filter, records, omitted) : records;
        const fresh = all.filter((r) => match(r));
        if (live) show(fresh);
        else early.push(...fresh);
      });
      // A stretch that cannot be read back would leave a gap: say so and stop rather than skip it.
      turn = turn.catch((err: unknown) => end(1, ...gapMessage(err, lastShown)));
    },
    () => end(1, 'portcullis: the connection to Portcullis closed.'),
  );
  const page = await ctx.client.call('audit.query', { ...filter, limit });
  show(page.records.reverse());
  await turn;
  if (!over) show(early);
  live = true;
  const code = await untilInterrupted(done, unsubscribe);
  over = true;
  return code;
}

/** A left-out stretch that could not be read back from the journal (seqs first–newest). */
class StretchError extends Error {
  constructor(
    readonly first: number,
    readonly newest: number,
    reason: string,
  ) {
    super(reason);
  }
}

/** What failed, what was shown, and what the user can do about the records not shown. */
function gapMessage(err: unknown, lastShown: AuditRecord | null): string[] {
  const reason = err instanceof Error ? err.message : String(err);
  const what = err instanceof StretchError ? `records seq ${err.first}–${err.newest}` : 'records';
  const rest = lastShown ? `\`portcullis audit --since ${lastShown.ts}\`` : '`portcullis audit`';
  return [
    `portcullis: --follow stopped: ${what} (left out of the live stream while the gateway was busy) could not be read back: ${reason.replace(/\.$/, '')}.`,
    `Records are shown up to seq ${lastShown?.seq ?? 0}. Check the journal with \`portcullis audit verify\`, then list what follows with ${rest} or run \`portcullis audit --follow\` again.`,
  ];
}

/** The whole written stretch a live message stood for, oldest first. */
async function stretch(ctx: CliContext, filter: ReturnType<typeof filterFrom>, records: AuditRecord[], omitted: number): Promise<AuditRecord[]> {
  const newest = Math.max(...records.map((r) => r.seq));
  const first = newest - (records.length + omitted) + 1;
  const out: AuditRecord[] = [];
  let before = newest + 1;
  try {
    // Newest first, a page at a time, until the stretch's first seq (a filter may match fewer).
    while (before > first) {
      const page = await ctx.client.call('audit.query', { ...filter, before, limit: Math.min(10_000, before - first) });
      for (const r of page.records) if (r.seq >= first) out.push(r);
      if (page.nextBefore === null || page.records.length === 0) break;
      before = page.nextBefore;
    }
  } catch (err) {
    throw new StretchError(first, newest, err instanceof Error ? err.message : String(err));
  }
  // The live records were just written: a read-back without those of them that match means the
  // journal changed under us (files moved or removed), not that the filter matched fewer.
  const match = matchesFilter(filter);
  const got = new Set(out.map((r) => r.seq));
  if (records.some((r) => match(r) && !got.has(r.seq))) {
    throw new StretchError(first, newest, 'the journal no longer holds them (were its files moved or removed?)');
  }
  return out.reverse();
}

/** Every matching record, oldest first (journal order), as CSV or JSON Lines on stdout. */
async function auditExport(argv: string[], ctx: CliContext): Promise<number> {
  const { values } = parse(argv, { ...filterOptions, format: { type: 'string' } }, { min: 0, max: 0, names: '' });
  if (values.format !== 'csv' && values.format !== 'jsonl') throw new UsageError('--format must be csv or jsonl');
  const filter = filterFrom(values);
  const pages: AuditRecord[][] = [];
  let before: number | undefined;
  for (;;) {
    const page = await readPage(ctx, filter, 10_000, before);
    pages.push(page.records);
    if (page.nextBefore === null) break;
    before = page.nextBefore;
  }
  const records = pages.flat().reverse();
  const lines = values.format === 'csv' ? [csvHeader(), ...records.map(csvRow)] : records.map((r) => JSON.stringify(r));
  // One write per chunk of lines: exports can be large and stdout may be a pipe.
  if (lines.length > 0) for (let i = 0; i < lines.length; i += 1_000) process.stdout.write(`${lines.slice(i, i + 1_000).join('\n')}\n`);
  ctx.err(`exported ${records.length} record${records.length === 1 ? '' : 's'}.`);
  return 0;
}
