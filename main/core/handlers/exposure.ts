import type { Handlers } from '../api.js';
import type { Exposure } from '../gateway/exposure.js';

type ExposureHandlers = Pick<
  Handlers,
  'exposure.list' | 'exposure.get' | 'exposure.expose' | 'exposure.lockdown' | 'exposure.lockdownAll' | 'exposure.interfaces'
>;

export function exposureHandlers(deps: {
  exposure: Exposure;
  /** Every server's id and name, and one by name (throws not_found). */
  servers: { list(): Array<{ id: string; name: string }>; resolve(name: string): { id: string; name: string } };
}): ExposureHandlers {
  const { exposure, servers } = deps;
  return {
    'exposure.list': async () => servers.list().map((s) => exposure.view(s.id, s.name)),
    'exposure.get': async ({ name }) => {
      const s = servers.resolve(name);
      return exposure.view(s.id, s.name);
    },
    'exposure.expose': async (args, ctx) => exposure.expose(args, ctx.actor),
    'exposure.lockdown': async ({ name }, ctx) => exposure.lockdown(name, ctx.actor),
    'exposure.lockdownAll': async (_args, ctx) => exposure.lockdownAll(ctx.actor),
    'exposure.interfaces': async () => exposure.listInterfaces(),
  };
}
