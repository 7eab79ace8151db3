import { randomUUID } from 'node:crypto';
import type { Handlers } from '../api.js';
import type { ServerDefinition } from '../contract/servers.js';
import type { EventBus } from '../events.js';
import { PortcullisError } from '../errors.js';
import type { Supervisor } from '../servers/supervisor.js';
import type { Settings } from '../settings/store.js';

type ServerHandlers = Pick<
  Handlers,
  'servers.list' | 'servers.get' | 'servers.add' | 'servers.remove' | 'servers.start' | 'servers.stop' | 'servers.logs'
>;

export function serverHandlers(deps: { settings: Settings; supervisor: Supervisor; bus: EventBus }): ServerHandlers {
  const { settings, supervisor, bus } = deps;
  return {
    'servers.list': async () => supervisor.list(),
    'servers.get': async ({ name }) => supervisor.byName(name).view(),
    'servers.add': async (input) => {
      if (settings.get().servers.some((s) => s.name === input.name)) {
        throw new PortcullisError('conflict', `a server named "${input.name}" already exists; choose another name.`, 'name');
      }
      const definition: ServerDefinition = { ...input, id: randomUUID(), createdAt: new Date().toISOString() };
      // Persist first: a definition that cannot be saved is not defined at all.
      settings.update((draft) => {
        draft.servers.push(definition);
      });
      const view = supervisor.define(definition);
      bus.emit('server.changed', view);
      return view;
    },
    'servers.remove': async ({ name }) => {
      const runtime = supervisor.byName(name);
      const id = runtime.view().id;
      await supervisor.remove(id);
      settings.update((draft) => {
        draft.servers = draft.servers.filter((s) => s.id !== id);
      });
      bus.emit('server.removed', { id, name });
      return { name };
    },
    'servers.start': async ({ name }) => {
      const runtime = supervisor.byName(name);
      await runtime.start();
      return runtime.view();
    },
    'servers.stop': async ({ name }) => {
      const runtime = supervisor.byName(name);
      await runtime.stop();
      return runtime.view();
    },
    'servers.logs': async ({ name, tail }) => supervisor.byName(name).logs(tail),
  };
}
