import type { Command } from '../context.js';
import { table } from '../format.js';
import { parse } from '../parse.js';

export const interfaces: Command = {
  name: 'interfaces',
  usage: 'interfaces [NAME] [--json]',
  summary: 'this machine\'s addresses and what they are (LAN, VPN, container, loopback), for expose --bind; * marks the one expose NAME --mode lan takes without --bind',
  async run(argv, ctx) {
    const { values, positionals } = parse(argv, { json: { type: 'boolean' } }, { min: 0, max: 1, names: '' });
    const [name] = positionals;
    const list = await ctx.client.call('exposure.interfaces', name === undefined ? {} : { name });
    if (values.json) {
      ctx.out(JSON.stringify(list, null, 2));
      return 0;
    }
    ctx.out(table([['INTERFACE', 'ADDRESS', 'KIND', 'LAN DEFAULT'], ...list.map((i) => [i.name, i.cidr ?? i.address, i.label, i.lanDefault ? '*' : ''])]));
    return 0;
  },
};
