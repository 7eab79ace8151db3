import type { Command } from '../../context.js';
import { parse } from '../../parse.js';

export const tokenShow: Command = {
  name: 'show',
  usage: 'show NAME ID',
  summary: "print a token's secret alone on stdout (audited)",
  async run(argv, ctx) {
    const { positionals } = parse(argv, {}, { min: 2, max: 2, names: 'NAME and ID' });
    const { secret } = await ctx.client.call('tokens.reveal', { server: positionals[0] ?? '', id: positionals[1] ?? '' });
    ctx.out(secret);
    return 0;
  },
};
