import type { ArgsOf } from '../../core/api.js';
import type { Command } from '../context.js';
import { UsageError } from '../context.js';
import { definitionOptions, definitionUsage, envFrom, restartFrom, secondsOption } from '../definition-options.js';
import { intOption, parse, splitAtDoubleDash } from '../parse.js';

export const add: Command = {
  name: 'add',
  usage: `add NAME [--profile ID] [--job] [--command EXE] ${definitionUsage} -- COMMAND [ARGS...]`,
  summary: 'define a server or job, from a profile or a command (nothing is started)',
  async run(argv, ctx) {
    const [own, rest] = splitAtDoubleDash(argv);
    const { values, positionals } = parse(
      own,
      {
        ...definitionOptions,
        profile: { type: 'string' },
        command: { type: 'string' },
        job: { type: 'boolean' },
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
    const input: ArgsOf<'servers.add'> = {
      name: positionals[0] ?? '',
      command,
      profile: values.profile,
      args,
      cwd: values.cwd,
      env: envFrom(values) ?? {},
      port: intOption(values.port, 'port'),
      autoPort: values['auto-port'] || undefined,
      health: values.health !== undefined ? { path: values.health } : undefined,
      kind: values.job ? 'job' : undefined,
      restart: restartFrom(values),
      stopTimeoutMs: secondsOption(values['stop-timeout'], 'stop-timeout'),
    };
    const view = await ctx.client.call('servers.add', input);
    const what = view.definition.profile ? ` from profile ${view.definition.profile}` : '';
    ctx.out(what ? `added ${view.name}${what}: ${[view.definition.command, ...view.definition.args].join(" ")}` : `added ${view.name}`);
    return 0;
  },
};
