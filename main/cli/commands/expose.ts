import type { Command } from '../context.js';
import { UsageError } from '../context.js';
import { exposeText } from '../exposure-text.js';
import { intOption, parse } from '../parse.js';

const UNITS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `90s`, `30m`, `2h`, `1d`; `forever` means until locked down. */
export function parseDuration(text: string): number | null {
  if (text === 'forever') return null;
  const m = /^(\d+)(s|m|h|d)$/.exec(text);
  if (!m) throw new UsageError(`--for must be a duration such as 90s, 30m, 2h or 1d, or "forever", not "${text}"`);
  return Number(m[1]) * (UNITS[m[2] as string] as number);
}

export const expose: Command = {
  name: 'expose',
  usage: 'expose NAME --mode lan|public [--bind ADDR] [--port N] [--for DURATION] [--yes] [--json]',
  summary: 'open a server to the LAN or the public behind the token-checking gateway',
  flags: { mode: '--mode', bind: '--bind', port: '--port', durationMs: '--for', confirm: '--yes' },
  async run(argv, ctx) {
    const { values, positionals } = parse(
      argv,
      {
        mode: { type: 'string' },
        bind: { type: 'string' },
        port: { type: 'string' },
        for: { type: 'string' },
        yes: { type: 'boolean' },
        json: { type: 'boolean' },
      },
      { min: 1, max: 1, names: 'NAME' },
    );
    const mode = values.mode;
    if (mode !== 'lan' && mode !== 'public') throw new UsageError('--mode must be "lan" or "public" (to return to local, use `portcullis lockdown NAME`)');
    if (mode === 'public' && !values.yes) {
      ctx.err('portcullis: public mode opens this server to every network this machine is on, for one hour unless --for says otherwise.');
      ctx.err('Run again with --yes to confirm.');
      return 1;
    }
    const result = await ctx.client.call('exposure.expose', {
      name: positionals[0] ?? '',
      mode,
      bind: values.bind,
      port: intOption(values.port, 'port'),
      durationMs: values.for === undefined ? undefined : parseDuration(values.for),
      confirm: values.yes ?? false,
    });
    if (values.json) ctx.out(JSON.stringify(result, null, 2));
    else for (const line of exposeText(result)) ctx.out(line);
    return 0;
  },
};
