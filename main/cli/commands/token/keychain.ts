import type { Command } from '../../context.js';
import { parse } from '../../parse.js';

export const tokenKeychain: Command = {
  name: 'keychain',
  usage: 'keychain',
  summary: 'whether the OS keychain can be used, and if not how to fix it',
  async run(argv, ctx) {
    parse(argv, {}, { min: 0, max: 0, names: '' });
    const status = await ctx.client.call('tokens.keychain', {});
    if (status.available) {
      ctx.out('keychain available');
      return 0;
    }
    ctx.err(`portcullis: ${status.message}`);
    return 1;
  },
};
