import type { Command } from '../../context.js';
import { UsageError } from '../../context.js';
import { parse } from '../../parse.js';
import { whenOrDash } from './shared.js';

export const tokenUpstream: Command = {
  name: 'upstream',
  usage: 'upstream NAME [--env VAR [--header H] [--scheme S]] [--rotate [--yes]]',
  summary: "the server's own token, passed in its environment (--rotate restarts it)",
  async run(argv, ctx) {
    const { values, positionals } = parse(
      argv,
      { env: { type: 'string' }, header: { type: 'string' }, scheme: { type: 'string' }, rotate: { type: 'boolean' }, yes: { type: 'boolean' } },
      { min: 1, max: 1, names: 'NAME (the server)' },
    );
    const server = positionals[0] ?? '';
    if (values.env !== undefined && values.rotate) throw new UsageError('give either --env (to set where the token goes) or --rotate, not both');
    if ((values.header !== undefined || values.scheme !== undefined) && values.env === undefined) {
      throw new UsageError('--header and --scheme go with --env VAR');
    }
    if (values.env !== undefined) {
      const view = await ctx.client.call('tokens.upstream.set', { server, env: values.env, header: values.header, scheme: values.scheme });
      ctx.out(`${server} now gets its own token in ${view.env} (fingerprint ${view.fingerprint}); restart it to take it.`);
      return 0;
    }
    if (values.rotate) {
      const { upstream, restarted } = await ctx.client.call('tokens.upstream.rotate', { server, confirm: values.yes ?? false });
      ctx.out(`rotated ${server}'s own token (fingerprint ${upstream.fingerprint})${restarted ? '; restarted it' : ''}`);
      return 0;
    }
    const view = await ctx.client.call('tokens.upstream.get', { server });
    if (!view) {
      ctx.out(`${server} takes no token of its own (set one with \`portcullis token upstream ${server} --env VAR\`)`);
      return 0;
    }
    const header = view.scheme ? `${view.header}: ${view.scheme} …` : `${view.header}: …`;
    ctx.out(`${server}: env ${view.env}, header "${header}", fingerprint ${view.fingerprint ?? '- (made at next start)'}, created ${whenOrDash(view.created)}`);
    return 0;
  },
};
