import type { Handlers } from './api.js';
import type { Face, SystemInfo } from './contract/system.js';
import { createDispatch, type Dispatch } from './dispatch.js';
import { EventBus } from './events.js';
import { serverHandlers } from './handlers/servers.js';
import { startHealthMonitor, type HealthMonitorFactory } from './health/monitor.js';
import { Supervisor } from './servers/supervisor.js';
import { Settings, type SettingsBackend } from './settings/store.js';
import { nullAudit } from './ports.js';

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
  const audit = nullAudit;

  const supervisor = new Supervisor({
    monitor: options.healthMonitor ?? startHealthMonitor,
    onChange: (view) => bus.emit('server.changed', view),
    onLog: (name, lines) => bus.emit('server.log', { name, lines }),
  });
  supervisor.load(settings.get().servers);

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
    'system.info': async () => info(),
  };

  return {
    dispatch: createDispatch(handlers, (err) => log('internal error while handling a call', err)),
    bus,
    info,
    shutdown: () => supervisor.stopAll(),
  };
}
