import type { Command } from '../../context.js';
import { UsageError } from '../../context.js';
import { parse } from '../../parse.js';

const kinds = ['curl', 'python', 'js', 'mcp', 'env'] as const;
type Kind = (typeof kinds)[number];

export const tokenSnippet: Command = {
  name: 'snippet',
  usage: 'snippet NAME ID --for curl|python|js|mcp|env [--url URL] [--reveal]',
  summary: 'a ready client snippet; the secret is in it only with --reveal (audited)',
  async run(argv, ctx) {
    const { values, positionals } = parse(
      argv,
      { for: { type: 'string' }, url: { type: 'string' }, reveal: { type: 'boolean' } },
      { min: 2, max: 2, names: 'NAME and ID' },
    );
    const kind = values.for;
    if (kind === undefined) throw new UsageError(`missing --for (one of ${kinds.join(', ')})`);
    if (!(kinds as readonly string[]).includes(kind)) throw new UsageError(`--for must be one of ${kinds.join(', ')}, not "${kind}"`);
    const { text, revealed } = await ctx.client.call('tokens.snippet', {
      server: positionals[0] ?? '',
      id: positionals[1] ?? '',
      for: kind as Kind,
      url: values.url,
      reveal: values.reveal ?? false,
    });
    ctx.out(text);
    if (!revealed) ctx.err('(the token is hidden: add --reveal to insert it)');
    return 0;
  },
};
