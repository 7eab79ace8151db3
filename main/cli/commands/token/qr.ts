import type { Command } from '../../context.js';
import { parse } from '../../parse.js';

export const tokenQr: Command = {
  name: 'qr',
  usage: 'qr NAME ID [--url URL]',
  summary: 'a QR code of URL + token for a phone on the LAN (reveals it; audited)',
  async run(argv, ctx) {
    const { values, positionals } = parse(argv, { url: { type: 'string' } }, { min: 2, max: 2, names: 'NAME and ID' });
    const { text, url } = await ctx.client.call('tokens.qr', { server: positionals[0] ?? '', id: positionals[1] ?? '', url: values.url });
    ctx.out(text);
    ctx.err(`scan to open ${url} with the token (it is exchanged for a cookie and dropped from the address)`);
    return 0;
  },
};
