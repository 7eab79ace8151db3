import type { Command } from '../context.js';
import { UsageError } from '../context.js';
import { intOption, parse, splitAtDoubleDash } from '../parse.js';

export const add: Command = {
  name: 'add',
  usage: 'add NAME [--port N] [--health PATH] [--cwd DIR] [--env K=V]... -- COMMAND [ARGS...]',
  summary: 'define a server (nothing is started)',
  async run(argv, ctx) {
    const [own, command] = splitAtDoubleDash(argv);
    const { values, positionals } = parse(
      own,
      {
        port: { type: 'string' },
        health: { type: 'string' },
        cwd: { type: 'string' },
        env: { type: 'string', multiple: true },
      },
      { min: 1, max: 1, names: 'NAME' },
    );
    if (!command || command.length === 0) throw new UsageError('missing the command: put it after --, as in `-- python3 -m http.server`');
    const env: Record<string, string> = {};
    for (const pair of values.env ?? []) {
      const eq = pair.indexOf('=');
      if (eq <= 0) throw new UsageError(`--env takes NAME=VALUE, not "${pair}"`);
      env[pair.slice(0, eq)] = pair.slice(eq + 1);
    }
    const [executable = '', ...args] = command;
    const view = await ctx.client.call('servers.add', {
      name: positionals[0] ?? '',
      command: executable,
      args,
      cwd: values.cwd,
      env,
      port: intOption(values.port, 'port'),
      health: values.health !== undefined ? { path: values.health } : undefined,
    });
    ctx.out(`added ${view.name}`);
    return 0;
  },
};
