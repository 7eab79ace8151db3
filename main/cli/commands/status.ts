import type { Command } from '../context.js';
import { healthWord, stateWord, statusJson, table } from '../format.js';
import { parse } from '../parse.js';
import { printWarnings } from '../warnings.js';
import { exposureCell, exposureJson } from '../exposure-text.js';

export const status: Command = {
  name: 'status',
  usage: 'status [NAME] [--json]',
  summary: 'state, pid, health, restarts, exposure, listening sockets and last exit of servers',
  async run(argv, ctx) {
    const { values, positionals } = parse(argv, { json: { type: 'boolean' } }, { min: 0, max: 1, names: '' });
    const name = positionals[0];
    const servers = name ? [await ctx.client.call('servers.get', { name })] : await ctx.client.call('servers.list', {});
    const exposures = await ctx.client.call('exposure.list', {});
    if (values.json) {
      ctx.out(JSON.stringify(servers.map((s) => ({ ...statusJson(s), exposure: exposureJson(exposures, s.name) })), null, 2));
      return 0;
    }
    await printWarnings(ctx);
    ctx.out(
      table([
        ['NAME', 'STATE', 'PID', 'PORT', 'HEALTH', 'RESTARTS', 'EXPOSURE', 'LISTENING', 'LAST EXIT'],
        ...servers.map((s) => {
          const j = statusJson(s);
          const exposure = exposureCell(exposures.find((e) => e.server === s.name));
          return [s.name, stateWord(s), String(s.pid ?? '-'), String(j.port ?? '-'), healthWord(s), String(s.restarts), exposure, j.listening.join(',') || '-', s.lastExit?.reason ?? '-'];
        }),
      ]),
    );
    for (const s of servers) if (s.bindWarning) ctx.err(`warning: ${s.bindWarning}`);
    return 0;
  },
};
