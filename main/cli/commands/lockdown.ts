import type { Command } from '../context.js';
import { UsageError } from '../context.js';
import { describeExposure } from '../exposure-text.js';
import { parse } from '../parse.js';

export const lockdown: Command = {
  name: 'lockdown',
  usage: 'lockdown NAME | --all',
  summary: 'close a server\'s exposure (or every one) and end all its open connections now',
  async run(argv, ctx) {
    const { values, positionals } = parse(argv, { all: { type: 'boolean' } }, { min: 0, max: 1, names: 'NAME or --all' });
    const name = positionals[0];
    if (values.all) {
      if (name !== undefined) throw new UsageError('give either NAME or --all, not both');
      const { closed } = await ctx.client.call('exposure.lockdownAll', {});
      ctx.out(closed.length ? `locked down: ${closed.join(', ')}` : 'nothing was exposed; everything is local');
      return 0;
    }
    if (name === undefined) throw new UsageError('missing NAME (or --all to lock everything down)');
    ctx.out(describeExposure(await ctx.client.call('exposure.lockdown', { name })));
    return 0;
  },
};
