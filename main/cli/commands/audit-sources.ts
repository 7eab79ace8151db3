import type { ServerAuditLine } from '../../core/contract/audit.js';
import { untilInterrupted } from '../until-interrupted.js';
import { UsageError, type CliContext } from '../context.js';
import { table } from '../format.js';
import { intOption, parse } from '../parse.js';

/** `audit sources`: which servers' own audit files are followed, and how that is going. */
export async function auditSources(argv: string[], ctx: CliContext): Promise<number> {
  const { values } = parse(argv, { json: { type: 'boolean' } }, { min: 0, max: 0, names: '' });
  const sources = await ctx.client.call('audit.sources', {});
  if (values.json) ctx.out(JSON.stringify(sources, null, 2));
  else if (sources.length === 0) ctx.out('no server audit files are followed: set one with `portcullis audit source SERVER /path/to/file.jsonl`');
  else ctx.out(table([['SERVER', 'STATE', 'FROM', 'PATH'], ...sources.map((s) => [s.server, s.detail ? `${s.state} (${s.detail})` : s.state, s.origin, s.path])]));
  return 0;
}

/** `audit source SERVER PATH` follows a JSON Lines file as that server's own log; `--none` stops. */
export async function auditSource(argv: string[], ctx: CliContext): Promise<number> {
  const { values, positionals } = parse(argv, { none: { type: 'boolean' } }, { min: 1, max: 2, names: 'SERVER and PATH (or --none)' });
  const [server, path] = positionals as [string, string | undefined];
  if (values.none === (path !== undefined)) throw new UsageError('give either a PATH to follow or --none to stop following');
  const sources = await ctx.client.call('audit.setSource', { server, path: path ?? null });
  const now = sources.find((s) => s.server === server);
  ctx.out(now ? `${server}: following ${now.path}` : `${server}: no audit file is followed`);
  return 0;
}

function lineText(line: ServerAuditLine): string {
  if (line.malformed !== null) return `${line.server}  MALFORMED  ${line.malformed}`;
  const params = line.params ? ` ${JSON.stringify(line.params)}` : '';
  return `${line.ts ?? '-'}  ${line.server}  ${line.actor ?? '-'}  ${line.action ?? '-'}  ${line.outcome ?? '-'}${params}`;
}

/** `audit server [SERVER] [--follow] [--json]`: the servers' own audit lines, oldest first. */
export async function auditServerLog(argv: string[], ctx: CliContext): Promise<number> {
  const { values, positionals } = parse(
    argv,
    { follow: { type: 'boolean', short: 'f' }, json: { type: 'boolean' }, limit: { type: 'string' } },
    { min: 0, max: 1, names: '' },
  );
  const server = positionals[0];
  const print = (lines: ServerAuditLine[]): void => {
    for (const line of lines) if (server === undefined || line.server === server) ctx.out(values.json ? JSON.stringify(line) : lineText(line));
  };
  const early: ServerAuditLine[] = [];
  let live = false;
  let ended: (code: number) => void = () => {};
  const done = new Promise<number>((resolve) => (ended = resolve));
  const unsubscribe = values.follow
    ? await ctx.client.subscribe(
        (message) => {
          if (message.event !== 'audit.serverLines') return;
          if (!live) early.push(...message.payload.lines);
          else print(message.payload.lines);
        },
        () => ended(1),
      )
    : () => undefined;
  const recent = await ctx.client.call('audit.serverLog', { ...(server ? { server } : {}), limit: intOption(values.limit, 'limit') ?? 200 });
  print(recent);
  // Lines that arrived while the backlog was read, without the ones it already held.
  const lastN = Math.max(0, ...recent.map((l) => l.n));
  print(early.filter((l) => l.n > lastN));
  live = true;
  if (!values.follow) return 0;
  return untilInterrupted(done, unsubscribe);
}
