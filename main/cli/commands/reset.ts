import type { Command } from '../context.js';
import { parse } from '../parse.js';

export const reset: Command = {
  name: 'reset',
  usage: 'reset NAME',
  summary: 'clear a failed server (start limit hit, crash loop) and start it again',
  async run(argv, ctx) {
    const { positionals } = parse(argv, {}, { min: 1, max: 1, names: 'NAME' });
    const view = await ctx.client.call('servers.reset', { name: positionals[0] ?? '' });
    ctx.out(`${view.name} ${view.state} (pid ${view.pid ?? '-'})`);
    return 0;
  },
};
