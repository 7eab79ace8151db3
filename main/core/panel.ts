import { join } from 'node:path';
import type { Handlers } from './api.js';
import type { Face, SystemInfo } from './contract/system.js';
import { createDispatch, type Dispatch } from './dispatch.js';
import { EventBus } from './events.js';
import { desktopHandlers } from './handlers/desktop.js';
import { serverHandlers } from './handlers/servers.js';
import { startHealthMonitor, type HealthMonitorFactory } from './health/monitor.js';
import { Supervisor } from './servers/supervisor.js';
import { Settings, type SettingsBackend } from './settings/store.js';
import { type Clipboard, type Keychain } from './ports.js';
import { createAuditModule } from './audit/module.js';
import { auditHandlers } from './handlers/audit.js';
import { auditLogPath, profileById } from './profiles/index.js';
import { tokenHandlers } from './handlers/tokens.js';
import { unavailableKeychain } from './secrets/guarded-keychain.js';
import { loadHomeId } from './secrets/home-id.js';
import { createSecrets } from './secrets/secrets.js';
import { exposureHandlers } from './handlers/exposure.js';
import { Exposure } from './gateway/exposure.js';
import { UpstreamDirectory } from './gateway/upstreams.js';
import type { ServerView } from './contract/servers.js';

export interface PanelOptions {
  home: string;
  face: Face;
  version: string;
  settingsBackend: SettingsBackend;
  /** Said at start-up, such as a settings file that was moved aside. */
  warnings?: string[];
  /** Where unexpected internal errors go (never to a client). */
  log?: (message: string, err?: unknown) => void;
  /** Replaceable for tests that need a probe they control. */
  healthMonitor?: HealthMonitorFactory;
  /** The OS keychain (the faces pass openKeytarKeychain()); without one every token action is refused. */
  keychain?: Keychain;
  /** Desktop only (Electron's clipboard), for tokens.copy; serve has none. */
  clipboard?: Clipboard;
}

export interface Panel {
  dispatch: Dispatch;
  bus: EventBus;
  info(): SystemInfo;
  /** Stops every server; called when the face quits. */
  shutdown(): Promise<void>;
}

/**
 * The composition root: builds each core module and wires them together with small
 * functions, so modules never import one another and each can be tested alone.
 */
export function createPanel(options: PanelOptions): Panel {
  const log = options.log ?? ((message, err) => console.error(`portcullis: ${message}`, err ?? ''));
  const bus = new EventBus();
  const settings = new Settings(options.settingsBackend);
  const warnings = [...(options.warnings ?? [])];
  // Kept for `system.info` (faces that connect later, `portcullis status`) and said live.
  const warn = (message: string): void => {
    warnings.push(message);
    bus.emit('system.warning', { message });
  };
  // The journal: every state change (durable before it is reported done) and every gateway request.
  const auditModule = createAuditModule({
    home: options.home,
    keychain: options.keychain,
    homeId: loadHomeId(options.home),
    settings: () => settings.get().audit,
    profileSources: () => settings.get().servers.map((d) => ({ server: d.name, path: auditLogPath(d) })),
    onRecords: (records, omitted) => bus.emit('audit.records', omitted > 0 ? { records, omitted } : { records }),
    onServerLines: (lines) => bus.emit('audit.serverLines', { lines }),
    onWarning: warn,
    log,
  });
  const audit = auditModule.journal;
  // A server added, changed or removed may start or stop writing its own audit file.
  bus.subscribe((event) => {
    if (event === 'server.changed' || event === 'server.removed') auditModule.syncSources();
  });

  const supervisor = new Supervisor({
    monitor: options.healthMonitor ?? startHealthMonitor,
    onChange: (view) => bus.emit('server.changed', view),
    onLog: (name, lines) => bus.emit('server.log', { name, lines }),
    onRestart: (event) => bus.emit('server.restart', event),
    audit,
    childrenFile: join(options.home, 'children.json'),
    logDir: join(options.home, 'logs'),
    log,
    // Called only once servers start, after `secrets` below exists.
    knownSecrets: (id): readonly string[] => secrets.knownSecrets(id),
    extraEnv: (id) => secrets.upstream.env(serverRefById(id)),
  });
  supervisor.load(settings.get().servers);
  const serverRefById = (id: string): { id: string; name: string } => ({ id, name: supervisor.list().find((s) => s.id === id)?.name ?? id });
  // Servers a Portcullis that died left running: watched again or stopped, never unwatched.
  supervisor
    .recover(settings.get().supervisor.orphans)
    .then(({ adopted, stopped }) => {
      if (adopted.length > 0) warn(`These servers kept running after Portcullis last stopped (quit with "leave running", or a crash) and are watched again: ${adopted.join(', ')}.`);
      if (stopped.length > 0) warn(`These servers kept running after Portcullis last stopped, and were stopped (orphan policy "stop"): ${stopped.join(', ')}.`);
    })
    .catch((err: unknown) => log('could not recover the servers an earlier Portcullis left running', err));

  const secrets = createSecrets({
    homeId: loadHomeId(options.home),
    keychain: options.keychain ?? unavailableKeychain('this Portcullis was started without a keychain, so it cannot keep tokens.'),
    store: { read: () => settings.get().tokens, write: (change) => void settings.update((draft) => change(draft.tokens)) },
    audit,
    serverName: (id) => supervisor.list().find((s) => s.id === id)?.name ?? null,
    emit: (view) => bus.emit('token.changed', view),
    clipboard: options.clipboard,
    // The profile says which variable and header carry a server's own token (JUPYTER_TOKEN, …).
    profileSpec: (id) => {
      const def = settings.get().servers.find((s) => s.id === id);
      const profile = def?.profile ? profileById(def.profile) : undefined;
      if (!profile?.tokenEnv) return null;
      const auth = profile.upstreamAuth ?? { header: 'authorization', prefix: 'Bearer ' };
      return { env: profile.tokenEnv, header: auth.header, scheme: auth.prefix.trim() };
    },
  });
  // Servers' own tokens are also read ahead of their start, so the gateway's upstream header
  // and log redaction know them even for servers re-adopted after a crash.
  const warmed = new Set(supervisor.list().map((s) => s.id));
  void secrets.upstream.warm(supervisor.list().map((s) => ({ id: s.id, name: s.name })));
  bus.subscribe((event, payload) => {
    if (event !== 'server.changed') return;
    const view = payload as { id: string; name: string };
    if (warmed.has(view.id)) return;
    warmed.add(view.id);
    void secrets.upstream.warm([{ id: view.id, name: view.name }]);
  });
  // A removed server's tokens go with it, keychain entries included.
  bus.subscribe((event, payload) => {
    if (event !== 'server.removed') return;
    secrets.forgetServer((payload as { id: string }).id).catch((err: unknown) => log('could not delete the tokens of a removed server', err));
  });

  // The gateway: it sees servers only as an upstream directory fed by their change events,
  // tokens only through the ClientTokens port, the journal only through the AuditPort.
  const upstreams = new UpstreamDirectory();
  for (const v of supervisor.list()) upstreams.set(v.id, v.name, v.state, v.definition.port);
  const serverRef = (name: string) => {
    const v = supervisor.byName(name).view();
    return { id: v.id, name: v.name, port: v.definition.port };
  };
  const exposure = new Exposure({
    tokens: secrets.client,
    upstreamAuth: secrets.upstream.auth,
    audit,
    servers: { resolve: serverRef, target: (id) => upstreams.target(id) },
    store: {
      load: () => settings.get().exposure.servers,
      save: (id, state) =>
        void settings.update((draft) => {
          if (state) draft.exposure.servers[id] = state;
          else delete draft.exposure.servers[id];
        }),
    },
    onChange: (change) => {
      bus.emit('exposure.changed', change);
      if (change.cause === 'expired') bus.emit('system.warning', { message: `${change.server}'s exposure ran out: it is local again.` });
      if (change.cause === 'address-lost') bus.emit('system.warning', { message: `${change.server} is local again: ${change.reason ?? 'its LAN address left this machine'}.` });
    },
    onAccess: (batch) => bus.emit('exposure.access', batch),
    trustedProxies: settings.get().exposure.trustedProxies,
    hostNames: () => settings.get().exposure.hostNames,
    tls: () => settings.get().exposure.tls,
    warn: (message) => bus.emit('system.warning', { message }),
  });
  // Fail closed (DESIGN.md): requests that cannot be recorded must not reach a public listener.
  audit.onUnwritable((err) => {
    const open = supervisor.list().filter((v) => exposure.view(v.id, v.name).mode === 'public');
    for (const v of open) exposure.lockdown(v.name, { kind: 'system' }).catch((e: unknown) => log(`could not lock down ${v.name}`, e));
    if (open.length > 0) warn(`The audit journal cannot be written (${err.message}), so public exposure was closed: ${open.map((v) => v.name).join(', ')}.`);
  });
  const wasExposed = exposure.resetAtStart().map((id) => supervisor.list().find((s) => s.id === id)?.name ?? id);
  if (wasExposed.length > 0) warnings.push(`These servers were exposed when Portcullis last stopped and are local now: ${wasExposed.join(', ')}. Expose them again if you still mean to.`);
  bus.subscribe((event, payload) => {
    if (event === 'server.changed') {
      const v = payload as ServerView;
      upstreams.set(v.id, v.name, v.state, v.definition.port);
    } else if (event === 'server.removed') {
      const { id } = payload as { id: string };
      upstreams.delete(id);
      exposure.forget(id, { kind: 'system' }).catch((err: unknown) => log('could not close the listener of a removed server', err));
    }
  });

  const info = (): SystemInfo => ({
    version: options.version,
    face: options.face,
    home: options.home,
    settingsPath: settings.path,
    pid: process.pid,
    warnings: [...warnings],
  });

  const handlers: Handlers = {
    ...serverHandlers({ settings, supervisor, bus, audit }),
    ...auditHandlers({ audit: auditModule, settings }),
    'system.info': async () => info(),
    ...desktopHandlers({ settings, bus, audit }),
    ...tokenHandlers({
      secrets,
      servers: () => supervisor.list(),
      restart: async (name) => {
        await supervisor.byName(name).stop();
        await supervisor.byName(name).start();
      },
      // Snippets and QR codes point at the gateway while the server is exposed.
      exposureUrl: (id) => {
        const name = supervisor.list().find((s) => s.id === id)?.name;
        return name === undefined ? null : (exposure.view(id, name).urls[0] ?? null);
      },
    }),
    ...exposureHandlers({ exposure, servers: { list: () => supervisor.list(), resolve: serverRef }, settings, audit }),
  };

  return {
    dispatch: createDispatch(handlers, (err) => log('internal error while handling a call', err)),
    bus,
    info,
    shutdown: async () => {
      // Listeners first: nothing stays reachable while servers stop.
      await exposure.shutdown();
      await secrets.close();
      // The quit setting: stop every server (default), or leave them for the next start to re-adopt.
      if (settings.get().supervisor.onQuit === 'leave') supervisor.detachAll();
      else await supervisor.stopAll();
      // Last: the servers' stop records go in before the journal is flushed and closed.
      await auditModule.close();
    },
  };
}
