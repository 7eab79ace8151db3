import type { Command } from '../../context.js';
import { parse } from '../../parse.js';
import { describeToken } from './shared.js';

export const tokenRevoke: Command = {
  name: 'revoke',
  usage: 'revoke NAME ID',
  summary: 'revoke a token: refused at once, its open connections closed',
  async run(argv, ctx) {
    const { positionals } = parse(argv, {}, { min: 2, max: 2, names: 'NAME and ID' });
    const { token, warning } = await ctx.client.call('tokens.revoke', { server: positionals[0] ?? '', id: positionals[1] ?? '' });
    ctx.out(`revoked ${describeToken(token)}`);
    if (warning) ctx.err(`warning: ${warning}`);
    return 0;
  },
};
