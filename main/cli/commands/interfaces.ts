import type { Command } from '../context.js';
import { table } from '../format.js';
import { parse } from '../parse.js';

export const interfaces: Command = {
  name: 'interfaces',
  usage: 'interfaces [--json]',
  summary: 'this machine\'s addresses and what they are (LAN, VPN, container, loopback), for expose --bind',
  async run(argv, ctx) {
    const { values } = parse(argv, { json: { type: 'boolean' } }, { min: 0, max: 0, names: '' });
    const list = await ctx.client.call('exposure.interfaces', {});
    if (values.json) {
      ctx.out(JSON.stringify(list, null, 2));
      return 0;
    }
    ctx.out(table([['INTERFACE', 'ADDRESS', 'KIND'], ...list.map((i) => [i.name, i.cidr ?? i.address, i.label])]));
    return 0;
  },
};
