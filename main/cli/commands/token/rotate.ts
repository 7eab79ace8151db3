import type { Command } from '../../context.js';
import { parse } from '../../parse.js';
import { describeToken, whenOrDash } from './shared.js';

export const tokenRotate: Command = {
  name: 'rotate',
  usage: 'rotate NAME ID [--grace DURATION] [--show]',
  summary: 'replace a token by a new secret, same label; the old one ends now or after the grace',
  async run(argv, ctx) {
    const { values, positionals } = parse(argv, { grace: { type: 'string' }, show: { type: 'boolean' } }, { min: 2, max: 2, names: 'NAME and ID' });
    const { token, replaced, secret } = await ctx.client.call('tokens.rotate', {
      server: positionals[0] ?? '',
      id: positionals[1] ?? '',
      grace: values.grace,
      show: values.show ?? false,
    });
    const ending = replaced.state === 'grace' ? `still accepted until ${whenOrDash(replaced.graceUntil)}` : 'no longer accepted';
    const summary = `rotated ${replaced.id} → ${describeToken(token)}; ${replaced.id} is ${ending}`;
    if (secret !== null) {
      ctx.out(secret);
      ctx.err(summary);
    } else {
      ctx.out(summary);
    }
    return 0;
  },
};
