import type { ArgsOf } from '../../core/api.js';
import type { Command } from '../context.js';
import { UsageError } from '../context.js';
import { intOption, parse, splitAtDoubleDash } from '../parse.js';

const policies = ['no', 'on-failure', 'always'] as const;

/** Seconds as people write them (`1`, `0.5`), in whole milliseconds. */
function secondsOption(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+(\.\d+)?$/.test(value)) throw new UsageError(`--${name} takes seconds, such as 1 or 0.5, not "${value}"`);
  return Math.round(Number(value) * 1000);
}

export const add: Command = {
  name: 'add',
  usage:
    'add NAME [--profile ID] [--port N] [--auto-port] [--health PATH] [--cwd DIR] [--env K=V]... [--job] ' +
    '[--restart no|on-failure|always] [--restart-sec S] [--restart-max-sec S] [--start-limit N] [--start-limit-sec S] ' +
    '[--stop-timeout S] [--command EXE] -- COMMAND [ARGS...]',
  summary: 'define a server or job, from a profile or a command (nothing is started)',
  async run(argv, ctx) {
    const [own, rest] = splitAtDoubleDash(argv);
    const { values, positionals } = parse(
      own,
      {
        profile: { type: 'string' },
        command: { type: 'string' },
        port: { type: 'string' },
        'auto-port': { type: 'boolean' },
        health: { type: 'string' },
        cwd: { type: 'string' },
        env: { type: 'string', multiple: true },
        job: { type: 'boolean' },
        restart: { type: 'string' },
        'restart-sec': { type: 'string' },
        'restart-max-sec': { type: 'string' },
        'start-limit': { type: 'string' },
        'start-limit-sec': { type: 'string' },
        'stop-timeout': { type: 'string' },
      },
      { min: 1, max: 1, names: 'NAME' },
    );
    const tail = rest ?? [];
    let command: string | undefined;
    let args: string[];
    if (values.profile) {
      // With a profile, what follows -- is added after the profile's own arguments.
      command = values.command;
      args = tail;
    } else {
      if (tail.length === 0) throw new UsageError('missing the command: put it after --, as in `-- python3 -m http.server`, or choose --profile ID');
      [command, ...args] = tail;
      if (values.command !== undefined) throw new UsageError('--command goes with --profile; without one, put the command after --');
    }
    const env: Record<string, string> = {};
    for (const pair of values.env ?? []) {
      const eq = pair.indexOf('=');
      if (eq <= 0) throw new UsageError(`--env takes NAME=VALUE, not "${pair}"`);
      env[pair.slice(0, eq)] = pair.slice(eq + 1);
    }
    const policy = values.restart;
    if (policy !== undefined && !(policies as readonly string[]).includes(policy)) {
      throw new UsageError(`--restart takes no, on-failure or always, not "${policy}"`);
    }
    const restart = {
      policy: policy as (typeof policies)[number] | undefined,
      delayMs: secondsOption(values['restart-sec'], 'restart-sec'),
      maxDelayMs: secondsOption(values['restart-max-sec'], 'restart-max-sec'),
      burst: intOption(values['start-limit'], 'start-limit'),
      intervalMs: secondsOption(values['start-limit-sec'], 'start-limit-sec'),
    };
    const anyRestart = Object.values(restart).some((v) => v !== undefined);
    const input: ArgsOf<'servers.add'> = {
      name: positionals[0] ?? '',
      command,
      profile: values.profile,
      args,
      cwd: values.cwd,
      env,
      port: intOption(values.port, 'port'),
      autoPort: values['auto-port'] || undefined,
      health: values.health !== undefined ? { path: values.health } : undefined,
      kind: values.job ? 'job' : undefined,
      restart: anyRestart ? restart : undefined,
      stopTimeoutMs: secondsOption(values['stop-timeout'], 'stop-timeout'),
    };
    const view = await ctx.client.call('servers.add', input);
    const what = view.definition.profile ? ` from profile ${view.definition.profile}` : '';
    ctx.out(what ? `added ${view.name}${what}: ${[view.definition.command, ...view.definition.args].join(" ")}` : `added ${view.name}`);
    return 0;
  },
};
