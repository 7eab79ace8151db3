import type { Command } from '../../context.js';
import { parse } from '../../parse.js';
import { describeToken, whenOrDash } from './shared.js';

export const tokenCreate: Command = {
  name: 'create',
  usage: 'create NAME [--label L] [--expires DURATION] [--show]',
  summary: 'mint a client token for server NAME (--show prints the secret alone)',
  async run(argv, ctx) {
    const { values, positionals } = parse(
      argv,
      { label: { type: 'string' }, expires: { type: 'string' }, show: { type: 'boolean' } },
      { min: 1, max: 1, names: 'NAME (the server)' },
    );
    const server = positionals[0] ?? '';
    const { token, secret } = await ctx.client.call('tokens.create', {
      server,
      label: values.label,
      expires: values.expires,
      show: values.show ?? false,
    });
    if (secret !== null) {
      ctx.out(secret);
      ctx.err(`created token ${describeToken(token)} for ${server}, expires ${whenOrDash(token.expires)}`);
      return 0;
    }
    ctx.out(`created token ${describeToken(token)} for ${server}, expires ${whenOrDash(token.expires)}`);
    ctx.out(`show its secret with \`portcullis token show ${server} ${token.id}\``);
    return 0;
  },
};
