import { randomUUID } from 'node:crypto';
import type { CallContext, Handlers, ParsedArgsOf } from '../api.js';
import { serverDefinition, serverDefinitionInput, type ServerDefinition } from '../contract/servers.js';
import type { EventBus } from '../events.js';
import { PortcullisError, fromZod } from '../errors.js';
import { fromProfile, profiles, requireProfile } from '../profiles/index.js';
import type { ServerRuntime } from '../servers/server-runtime.js';
import type { Supervisor } from '../servers/supervisor.js';
import type { Settings } from '../settings/store.js';
import type { AuditPort } from '../ports.js';

type ServerHandlers = Pick<
  Handlers,
  | 'servers.list'
  | 'servers.get'
  | 'servers.add'
  | 'servers.remove'
  | 'servers.update'
  | 'servers.start'
  | 'servers.stop'
  | 'servers.logs'
  | 'servers.restart'
  | 'servers.reset'
  | 'servers.latency'
  | 'profiles.list'
  | 'servers.settings'
  | 'servers.updateSettings'
>;

/** A profile fills in what the caller left out; the result is validated like any definition. */
function definitionFrom(input: ParsedArgsOf<'servers.add'>) {
  if (!input.profile) return serverDefinitionInput.safeParse(input);
  const profile = requireProfile(input.profile);
  const filled = fromProfile(profile, { command: input.command, args: input.args, env: input.env, port: input.port });
  return serverDefinitionInput.safeParse({ ...input, ...filled, health: input.health ?? filled.health });
}

export function serverHandlers(deps: {
  settings: Settings;
  supervisor: Supervisor;
  bus: EventBus;
  audit: AuditPort;
}): ServerHandlers {
  const { settings, supervisor, bus, audit } = deps;

  /** A user action on a running server, recorded (durably) with its outcome either way. */
  const act = async (name: string, action: string, ctx: CallContext, run: (r: ServerRuntime) => Promise<void>) => {
    const runtime = supervisor.byName(name);
    const from = runtime.view().state;
    try {
      await run(runtime);
    } catch (err) {
      await audit.record({ kind: 'control', actor: ctx.actor, action, server: name, outcome: 'error', from, reason: (err as Error).message });
      throw err;
    }
    const view = runtime.view();
    await audit.record({ kind: 'control', actor: ctx.actor, action, server: name, outcome: 'ok', from, to: view.state, params: { pid: view.pid } });
    return view;
  };

  return {
    'servers.list': async () => supervisor.list(),
    'servers.get': async ({ name }) => supervisor.byName(name).view(),
    'servers.add': async (input, ctx) => {
      if (settings.get().servers.some((s) => s.name === input.name)) {
        throw new PortcullisError('conflict', `a server named "${input.name}" already exists; choose another name.`, 'name');
      }
      const parsed = definitionFrom(input);
      if (!parsed.success) throw fromZod(parsed.error);
      const definition: ServerDefinition = { ...parsed.data, id: randomUUID(), createdAt: new Date().toISOString() };
      // Persist first: a definition that cannot be saved is not defined at all.
      settings.update((draft) => {
        draft.servers.push(definition);
      });
      const view = supervisor.define(definition);
      await audit.record({
        kind: 'control',
        actor: ctx.actor,
        action: 'server.add',
        server: definition.name,
        outcome: 'ok',
        to: { command: definition.command, port: definition.port ?? null, profile: definition.profile ?? null, kind: definition.kind ?? 'server' },
      });
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
    'servers.update': async ({ name, changes }, ctx) => {
      const runtime = supervisor.byName(name);
      const current = runtime.view().definition;
      const merged: Record<string, unknown> = { ...current };
      const from: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(changes)) {
        if (value === undefined) continue;
        from[key] = (current as Record<string, unknown>)[key] ?? null;
        const was = (current as Record<string, unknown>)[key];
        if (value === null) delete merged[key];
        // Policy and health check are edited a field at a time: the rest of them stays as it was.
        else if ((key === 'restart' || key === 'health') && was && typeof was === 'object') merged[key] = { ...was, ...(value as object) };
        else merged[key] = value;
      }
      // Validate whole, check it may apply now, persist, then apply: never half-applied.
      const parsed = serverDefinition.safeParse(merged);
      if (!parsed.success) throw fromZod(parsed.error);
      const definition = parsed.data;
      runtime.checkRedefine(definition);
      settings.update((draft) => {
        draft.servers = draft.servers.map((s) => (s.id === definition.id ? definition : s));
      });
      runtime.redefine(definition);
      await audit.record({ kind: 'control', actor: ctx.actor, action: 'server.update', server: name, outcome: 'ok', params: { keys: Object.keys(from) }, from, to: changes });
      return runtime.view();
    },
    'servers.start': ({ name }, ctx) => act(name, 'server.start', ctx, (r) => r.start()),
    'servers.stop': ({ name }, ctx) => act(name, 'server.stop', ctx, (r) => r.stop()),
    'servers.restart': ({ name }, ctx) => act(name, 'server.restart', ctx, (r) => r.restart()),
    'servers.reset': ({ name }, ctx) => act(name, 'server.reset', ctx, (r) => r.reset()),
    'servers.logs': async ({ name, tail }) => supervisor.byName(name).logTail(tail),
    'servers.latency': async ({ name }) => supervisor.latency(name),
    'profiles.list': async () => profiles.map((p) => structuredClone(p)),
    'servers.settings': async () => settings.get().supervisor,
    'servers.updateSettings': async (change, ctx) => {
      const from = settings.get().supervisor;
      const saved = settings.update((draft) => {
        if (change.onQuit !== undefined) draft.supervisor.onQuit = change.onQuit;
        if (change.orphans !== undefined) draft.supervisor.orphans = change.orphans;
      }).supervisor;
      await audit.record({ kind: 'control', actor: ctx.actor, action: 'supervisor.settings', outcome: 'ok', from, to: saved });
      return saved;
    },
  };
}
