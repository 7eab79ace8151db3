import type { Command } from '../context.js';
import { table } from '../format.js';
import { parse } from '../parse.js';

export const profiles: Command = {
  name: 'profiles',
  usage: 'profiles [--json]',
  summary: 'ready server definitions (picochat, palinode, Jupyter, Ollama, …) for `add --profile`',
  async run(argv, ctx) {
    const { values } = parse(argv, { json: { type: 'boolean' } }, { min: 0, max: 0, names: '' });
    const list = await ctx.client.call('profiles.list', {});
    if (values.json) {
      ctx.out(JSON.stringify(list, null, 2));
      return 0;
    }
    ctx.out(
      table([
        ['ID', 'PORT', 'HEALTH', 'TOKEN', 'COMMAND', 'YOU ADD'],
        ...list.map((p) => [
          p.id,
          String(p.defaultPort),
          p.healthPath ?? '-',
          p.tokenEnv ? `env ${p.tokenEnv}` : '-',
          [p.command || '(yours)', ...p.args].join(' '),
          p.needs ?? '',
        ]),
      ]),
    );
    ctx.out('\nAdd one with `portcullis add NAME --profile ID [--port N] [-- EXTRA ARGS]`.');
    return 0;
  },
};
