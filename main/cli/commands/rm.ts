import type { Command } from '../context.js';
import { parse } from '../parse.js';

export const rm: Command = {
  name: 'rm',
  usage: 'rm NAME',
  summary: 'stop a server if it runs and forget its definition',
  async run(argv, ctx) {
    const { positionals } = parse(argv, {}, { min: 1, max: 1, names: 'NAME' });
    const { name } = await ctx.client.call('servers.remove', { name: positionals[0] ?? '' });
    ctx.out(`removed ${name}`);
    return 0;
  },
};
