import type { Command } from '../context.js';
import { parse } from '../parse.js';

export const stop: Command = {
  name: 'stop',
  usage: 'stop NAME',
  summary: 'stop a server (SIGTERM to its process group, SIGKILL after its stop timeout)',
  async run(argv, ctx) {
    const { positionals } = parse(argv, {}, { min: 1, max: 1, names: 'NAME' });
    const view = await ctx.client.call('servers.stop', { name: positionals[0] ?? '' });
    ctx.out(`${view.name} ${view.state}`);
    return 0;
  },
};
