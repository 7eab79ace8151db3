import type { Handlers } from '../api.js';
import type { Exposure } from '../gateway/exposure.js';
import type { AuditPort } from '../ports.js';
import type { Settings } from '../settings/store.js';
import { describeTls, loadTls } from '../gateway/tls.js';

type ExposureHandlers = Pick<
  Handlers,
  | 'exposure.list'
  | 'exposure.get'
  | 'exposure.expose'
  | 'exposure.lockdown'
  | 'exposure.lockdownAll'
  | 'exposure.interfaces'
  | 'exposure.settings'
  | 'exposure.updateSettings'
>;

export function exposureHandlers(deps: {
  exposure: Exposure;
  /** Every server's id and name, and one by name (throws not_found). */
  servers: { list(): Array<{ id: string; name: string }>; resolve(name: string): { id: string; name: string } };
  settings: Settings;
  audit: AuditPort;
}): ExposureHandlers {
  const { exposure, servers, settings, audit } = deps;
  const view = () => {
    const { hostNames, trustedProxies, tls } = settings.get().exposure;
    return { hostNames, trustedProxies, machineNames: exposure.machineNames(), tls: describeTls(tls) };
  };
  return {
    'exposure.list': async () => servers.list().map((s) => exposure.view(s.id, s.name)),
    'exposure.get': async ({ name }) => {
      const s = servers.resolve(name);
      return exposure.view(s.id, s.name);
    },
    'exposure.expose': async (args, ctx) => exposure.expose(args, ctx.actor),
    'exposure.lockdown': async ({ name }, ctx) => exposure.lockdown(name, ctx.actor),
    'exposure.lockdownAll': async (_args, ctx) => exposure.lockdownAll(ctx.actor),
    'exposure.interfaces': async ({ name }) => exposure.listInterfaces(name === undefined ? undefined : servers.resolve(name).id),
    'exposure.settings': async () => view(),
    'exposure.updateSettings': async (change, ctx) => {
      const before = settings.get().exposure;
      // A certificate is checked whole (readable, a pair, not expired) before anything is saved.
      if (change.tls) loadTls(change.tls);
      const from = { hostNames: before.hostNames, trustedProxies: before.trustedProxies, tls: before.tls };
      // Duplicates dropped, order kept: the list is what the user reads back.
      const to = {
        hostNames: [...new Set(change.hostNames ?? before.hostNames)],
        trustedProxies: [...new Set(change.trustedProxies ?? before.trustedProxies)],
        tls: change.tls === undefined ? before.tls : change.tls,
      };
      // Saved first (validated whole), recorded durably, then applied: believing a proxy's
      // X-Forwarded-For widens trust, so it never takes effect unrecorded.
      settings.update((draft) => Object.assign(draft.exposure, to));
      await audit.record({ kind: 'control', actor: ctx.actor, action: 'settings.change', outcome: 'ok', params: { key: 'exposure' }, from, to });
      exposure.setTrustedProxies(to.trustedProxies);
      exposure.refreshHostNames();
      // Open HTTPS listeners take a new certificate at once; plain ones stay plain until exposed again.
      if (change.tls) exposure.renewTls();
      return view();
    },
  };
}
