import type { ArgsOf } from '../../core/api.js';
import type { Command } from '../context.js';
import { UsageError } from '../context.js';
import { definitionOptions, definitionUsage, envFrom, restartFrom, secondsOption } from '../definition-options.js';
import { intOption, parse, splitAtDoubleDash } from '../parse.js';

type Changes = ArgsOf<'servers.update'>['changes'];

export const edit: Command = {
  name: 'edit',
  usage: `edit NAME ${definitionUsage} [--no-port] [--no-health] [--no-cwd] [-- COMMAND [ARGS...]]`,
  summary: 'change a definition (restart policy and stop timeout even while it runs; the rest when stopped)',
  async run(argv, ctx) {
    const [own, command] = splitAtDoubleDash(argv);
    const { values, positionals } = parse(
      own,
      { ...definitionOptions, 'no-port': { type: 'boolean' }, 'no-health': { type: 'boolean' }, 'no-cwd': { type: 'boolean' } },
      { min: 1, max: 1, names: 'NAME' },
    );
    const changes: Changes = {};
    if (command) {
      const [executable, ...args] = command;
      if (!executable) throw new UsageError('nothing after --: give the new command, or leave out --');
      Object.assign(changes, { command: executable, args });
    }
    const port = intOption(values.port, 'port');
    if (port !== undefined) changes.port = port;
    if (values['no-port']) changes.port = null;
    if (values['auto-port']) changes.autoPort = true;
    if (values.health !== undefined) changes.health = { path: values.health };
    if (values['no-health']) changes.health = null;
    if (values.cwd !== undefined) changes.cwd = values.cwd;
    if (values['no-cwd']) changes.cwd = null;
    const env = envFrom(values);
    if (env) changes.env = env;
    const restart = restartFrom(values);
    if (restart) changes.restart = restart;
    const stopTimeoutMs = secondsOption(values['stop-timeout'], 'stop-timeout');
    if (stopTimeoutMs !== undefined) changes.stopTimeoutMs = stopTimeoutMs;
    if (Object.keys(changes).length === 0) throw new UsageError('nothing to change: give at least one option');

    const view = await ctx.client.call('servers.update', { name: positionals[0] ?? '', changes });
    ctx.out(`changed ${view.name}: ${Object.keys(changes).join(', ')}`);
    return 0;
  },
};
