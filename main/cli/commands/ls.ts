import type { Command } from '../context.js';
import { healthWord, table } from '../format.js';
import { parse } from '../parse.js';
import { printWarnings } from '../warnings.js';

export const ls: Command = {
  name: 'ls',
  usage: 'ls [--json]',
  summary: 'list defined servers',
  async run(argv, ctx) {
    const { values } = parse(argv, { json: { type: 'boolean' } }, { min: 0, max: 0, names: '' });
    const servers = await ctx.client.call('servers.list', {});
    if (values.json) {
      ctx.out(JSON.stringify(servers.map((s) => s.definition), null, 2));
      return 0;
    }
    await printWarnings(ctx);
    if (servers.length === 0) {
      ctx.out('no servers yet: add one with `portcullis add NAME --port N -- COMMAND`');
      return 0;
    }
    ctx.out(
      table([
        ['NAME', 'STATE', 'HEALTH', 'PORT', 'COMMAND'],
        ...servers.map((s) => [
          s.name,
          s.state,
          healthWord(s),
          String(s.definition.port ?? '-'),
          [s.definition.command, ...s.definition.args].join(' '),
        ]),
      ]),
    );
    return 0;
  },
};
