import type { GatewaySettingsView } from '../../core/contract/exposure.js';
import { UsageError, type Command } from '../context.js';
import { parse } from '../parse.js';

/**
 * `gateway [--host-name NAME]... [--trusted-proxy ADDRESS]... [--no-host-names]
 * [--no-trusted-proxies] [--json]`: shows, or replaces then shows, what every listener answers
 * to and whom it believes about a client's address.
 */
export const gateway: Command = {
  name: 'gateway',
  usage: 'gateway [--host-name NAME]... [--trusted-proxy ADDRESS]... [--no-host-names] [--no-trusted-proxies] [--json]',
  summary: 'extra DNS names the gateway answers to, and the proxies whose X-Forwarded-For it believes',
  async run(argv, ctx) {
    const { values } = parse(
      argv,
      {
        'host-name': { type: 'string', multiple: true },
        'trusted-proxy': { type: 'string', multiple: true },
        'no-host-names': { type: 'boolean' },
        'no-trusted-proxies': { type: 'boolean' },
        json: { type: 'boolean' },
      },
      { min: 0, max: 0, names: '' },
    );
    if (values['host-name'] && values['no-host-names']) throw new UsageError('give --host-name or --no-host-names, not both');
    if (values['trusted-proxy'] && values['no-trusted-proxies']) throw new UsageError('give --trusted-proxy or --no-trusted-proxies, not both');
    const hostNames = values['no-host-names'] ? [] : values['host-name'];
    const trustedProxies = values['no-trusted-proxies'] ? [] : values['trusted-proxy'];
    const view =
      hostNames === undefined && trustedProxies === undefined
        ? await ctx.client.call('exposure.settings', {})
        : await ctx.client.call('exposure.updateSettings', {
            ...(hostNames !== undefined ? { hostNames } : {}),
            ...(trustedProxies !== undefined ? { trustedProxies } : {}),
          });
    ctx.out(values.json ? JSON.stringify(view, null, 2) : describe(view));
    return 0;
  },
};

function describe(view: GatewaySettingsView): string {
  const list = (items: string[]): string => (items.length ? items.join(', ') : 'none');
  return [
    `host names: ${list(view.hostNames)} (always: the listener's addresses, ${view.machineNames.join(', ')})`,
    `trusted proxies: ${list(view.trustedProxies)}`,
  ].join('\n');
}
