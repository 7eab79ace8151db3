import { resolve } from 'node:path';
import type { GatewaySettingsView } from '../../core/contract/exposure.js';
import { UsageError, type Command } from '../context.js';
import { parse } from '../parse.js';

/**
 * `gateway [--host-name NAME]... [--trusted-proxy ADDRESS]... [--no-host-names]
 * [--no-trusted-proxies] [--tls-cert FILE --tls-key FILE | --no-tls] [--json]`: shows, or
 * replaces then shows, what every listener answers to, whom it believes about a client's
 * address, and the certificate it serves HTTPS with.
 */
export const gateway: Command = {
  name: 'gateway',
  usage: 'gateway [--host-name NAME]... [--trusted-proxy ADDRESS]... [--no-host-names] [--no-trusted-proxies] [--tls-cert FILE --tls-key FILE | --no-tls] [--json]',
  summary: 'extra DNS names the gateway answers to, the proxies whose X-Forwarded-For it believes, its HTTPS certificate',
  flags: { hostNames: '--host-name', trustedProxies: '--trusted-proxy', tls: '--tls-cert/--tls-key' },
  async run(argv, ctx) {
    const { values } = parse(
      argv,
      {
        'host-name': { type: 'string', multiple: true },
        'trusted-proxy': { type: 'string', multiple: true },
        'no-host-names': { type: 'boolean' },
        'no-trusted-proxies': { type: 'boolean' },
        'tls-cert': { type: 'string' },
        'tls-key': { type: 'string' },
        'no-tls': { type: 'boolean' },
        json: { type: 'boolean' },
      },
      { min: 0, max: 0, names: '' },
    );
    if (values['host-name'] && values['no-host-names']) throw new UsageError('give --host-name or --no-host-names, not both');
    if (values['trusted-proxy'] && values['no-trusted-proxies']) throw new UsageError('give --trusted-proxy or --no-trusted-proxies, not both');
    const cert = values['tls-cert'];
    const key = values['tls-key'];
    if ((cert === undefined) !== (key === undefined)) throw new UsageError('give --tls-cert and --tls-key together: the certificate and the key it was issued for');
    if (cert !== undefined && values['no-tls']) throw new UsageError('give --tls-cert/--tls-key or --no-tls, not both');
    const hostNames = values['no-host-names'] ? [] : values['host-name'];
    const trustedProxies = values['no-trusted-proxies'] ? [] : values['trusted-proxy'];
    // Paths as the user typed them, from where they typed them: the engine may run elsewhere.
    const tls = values['no-tls'] ? null : cert !== undefined && key !== undefined ? { certFile: resolve(cert), keyFile: resolve(key) } : undefined;
    const view =
      hostNames === undefined && trustedProxies === undefined && tls === undefined
        ? await ctx.client.call('exposure.settings', {})
        : await ctx.client.call('exposure.updateSettings', {
            ...(hostNames !== undefined ? { hostNames } : {}),
            ...(trustedProxies !== undefined ? { trustedProxies } : {}),
            ...(tls !== undefined ? { tls } : {}),
          });
    ctx.out(values.json ? JSON.stringify(view, null, 2) : describe(view));
    if (tls !== undefined && !values.json) {
      // Open listeners keep the protocol they were opened with: say which ones differ now.
      const want = tls !== null;
      for (const e of await ctx.client.call('exposure.list', {})) {
        if (e.mode !== 'local' && e.encrypted !== want) {
          ctx.err(`note: ${e.server} is still served over ${e.encrypted ? 'HTTPS' : 'plain HTTP'} until exposed again (\`portcullis expose ${e.server} --mode ${e.mode}\`).`);
        }
      }
    }
    return 0;
  },
};

function describe(view: GatewaySettingsView): string {
  const list = (items: string[]): string => (items.length ? items.join(', ') : 'none');
  return [
    `host names: ${list(view.hostNames)} (always: the listener's addresses, ${view.machineNames.join(', ')})`,
    `trusted proxies: ${list(view.trustedProxies)}`,
    `HTTPS: ${describeTls(view.tls)}`,
  ].join('\n');
}

function describeTls(tls: GatewaySettingsView['tls']): string {
  if (!tls) return 'off (plain HTTP; set a certificate with --tls-cert FILE --tls-key FILE)';
  const files = `certificate ${tls.certFile}, key ${tls.keyFile}`;
  if (tls.problem) return `${files}: UNUSABLE: ${tls.problem}`;
  return `${files}; for ${tls.names.join(', ') || 'no names'}; valid until ${tls.validTo ?? '?'}`;
}
