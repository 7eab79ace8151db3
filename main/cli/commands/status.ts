import type { Command } from '../context.js';
import { healthWord, statusJson, table } from '../format.js';
import { parse } from '../parse.js';
import { printWarnings } from '../warnings.js';

export const status: Command = {
  name: 'status',
  usage: 'status [NAME] [--json]',
  summary: 'state, pid and health of servers',
  async run(argv, ctx) {
    const { values, positionals } = parse(argv, { json: { type: 'boolean' } }, { min: 0, max: 1, names: '' });
    const name = positionals[0];
    const servers = name ? [await ctx.client.call('servers.get', { name })] : await ctx.client.call('servers.list', {});
    if (values.json) {
      ctx.out(JSON.stringify(servers.map(statusJson), null, 2));
      return 0;
    }
    await printWarnings(ctx);
    ctx.out(
      table([
        ['NAME', 'STATE', 'PID', 'PORT', 'HEALTH', 'LAST EXIT'],
        ...servers.map((s) => [
          s.name,
          s.state,
          String(s.pid ?? '-'),
          String(s.definition.port ?? '-'),
          healthWord(s),
          s.lastExit?.reason ?? '-',
        ]),
      ]),
    );
    return 0;
  },
};
