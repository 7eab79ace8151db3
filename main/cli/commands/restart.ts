import type { Command } from '../context.js';
import { parse } from '../parse.js';

export const restart: Command = {
  name: 'restart',
  usage: 'restart NAME',
  summary: 'stop a server if it runs, then start it again (a fresh start: restart counters cleared)',
  async run(argv, ctx) {
    const { positionals } = parse(argv, {}, { min: 1, max: 1, names: 'NAME' });
    const view = await ctx.client.call('servers.restart', { name: positionals[0] ?? '' });
    ctx.out(`${view.name} ${view.state} (pid ${view.pid ?? '-'})`);
    return 0;
  },
};
