import { randomUUID } from 'node:crypto';
import type { Handlers } from '../api.js';
import type { ServerDefinition } from '../contract/servers.js';
import type { EventBus } from '../events.js';
import { PortcullisError } from '../errors.js';
import type { Supervisor } from '../servers/supervisor.js';
import type { Settings } from '../settings/store.js';
import type { AuditPort } from '../ports.js';

type ServerHandlers = Pick<
  Handlers,
  'servers.list' | 'servers.get' | 'servers.add' | 'servers.remove' | 'servers.start' | 'servers.stop' | 'servers.logs'
>;

export function serverHandlers(deps: {
  settings: Settings;
  supervisor: Supervisor;
  bus: EventBus;
  audit: AuditPort;
}): ServerHandlers {
  const { settings, supervisor, bus, audit } = deps;
  return {
    'servers.list': async () => supervisor.list(),
    'servers.get': async ({ name }) => supervisor.byName(name).view(),
    'servers.add': async (input, ctx) => {
      if (settings.get().servers.some((s) => s.name === input.name)) {
        throw new PortcullisError('conflict', `a server named "${input.name}" already exists; choose another name.`, 'name');
      }
      const definition: ServerDefinition = { ...input, id: randomUUID(), createdAt: new Date().toISOString() };
      // Persist first: a definition that cannot be saved is not defined at all.
      settings.update((draft) => {
        draft.servers.push(definition);
      });
      const view = supervisor.define(definition);
      await audit.record({ kind: 'control', actor: ctx.actor, action: 'server.add', server: definition.name, outcome: 'ok', to: { command: definition.command, port: definition.port ?? null } });
      bus.emit('server.changed', view);
      return view;
    },
    'servers.remove': async ({ name }, ctx) => {
      const runtime = supervisor.byName(name);
      const id = runtime.view().id;
      await supervisor.remove(id);
      settings.update((draft) => {
        draft.servers = draft.servers.filter((s) => s.id !== id);
      });
      await audit.record({ kind: 'control', actor: ctx.actor, action: 'server.remove', server: name, outcome: 'ok' });
      bus.emit('server.removed', { id, name });
      return { name };
    },
    'servers.start': async ({ name }, ctx) => {
      const runtime = supervisor.byName(name);
      try {
        await runtime.start();
      } catch (err) {
        await audit.record({ kind: 'control', actor: ctx.actor, action: 'server.start', server: name, outcome: 'error', reason: (err as Error).message });
        throw err;
      }
      await audit.record({ kind: 'control', actor: ctx.actor, action: 'server.start', server: name, outcome: 'ok', params: { pid: runtime.view().pid } });
      return runtime.view();
    },
    'servers.stop': async ({ name }, ctx) => {
      const runtime = supervisor.byName(name);
      await runtime.stop();
      await audit.record({ kind: 'control', actor: ctx.actor, action: 'server.stop', server: name, outcome: 'ok', params: { lastExit: runtime.view().lastExit?.reason ?? null } });
      return runtime.view();
    },
    'servers.logs': async ({ name, tail }) => supervisor.byName(name).logs(tail),
  };
}
