import type { Command } from '../../context.js';
import { table } from '../../format.js';
import { parse } from '../../parse.js';
import { tokenJson, whenOrDash } from './shared.js';

export const tokenLs: Command = {
  name: 'ls',
  usage: 'ls NAME [--json]',
  summary: "list server NAME's tokens (never their secrets)",
  async run(argv, ctx) {
    const { values, positionals } = parse(argv, { json: { type: 'boolean' } }, { min: 1, max: 1, names: 'NAME (the server)' });
    const server = positionals[0] ?? '';
    const tokens = await ctx.client.call('tokens.list', { server });
    if (values.json) {
      ctx.out(JSON.stringify(tokens.map(tokenJson), null, 2));
      return 0;
    }
    if (tokens.length === 0) {
      ctx.out(`${server} has no tokens yet: create one with \`portcullis token create ${server} --label LABEL\``);
      return 0;
    }
    ctx.out(
      table([
        ['ID', 'LABEL', 'STATE', 'FINGERPRINT', 'CREATED', 'EXPIRES', 'LAST USED'],
        ...tokens.map((t) => [
          t.id,
          t.label,
          t.state === 'grace' ? `grace until ${whenOrDash(t.graceUntil)}` : t.state,
          t.fingerprint,
          whenOrDash(t.created),
          whenOrDash(t.expires),
          whenOrDash(t.lastUsed),
        ]),
      ]),
    );
    return 0;
  },
};
