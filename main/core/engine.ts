import { userInfo } from 'node:os';
import type { Face } from './contract/system.js';
import { startControlServer, type ControlServer } from './control/server.js';
import { controlSocketPath, ensureHome, settingsFile } from './home.js';
import { acquireInstanceLock } from './instance-lock.js';
import { createPanel, type Panel, type PanelOptions } from './panel.js';
import { quarantineCorruptSettings } from './settings/quarantine.js';
import type { SettingsBackend } from './settings/store.js';

export interface EngineOptions {
  home: string;
  face: Face;
  version: string;
  /** conf for serve and tests, electron-store for the desktop app. */
  openSettings: (home: string) => SettingsBackend;
  log?: PanelOptions['log'];
  healthMonitor?: PanelOptions['healthMonitor'];
  /** The faces pass openKeytarKeychain() from main/platform; tests the private keyring or a failing one. */
  keychain?: PanelOptions['keychain'];
  /** Desktop only: Electron's clipboard. */
  clipboard?: PanelOptions['clipboard'];
}

export interface Engine {
  panel: Panel;
  home: string;
  /** The CLI's endpoint. */
  control: ControlServer;
  /** Stops servers, closes the socket, releases the home. */
  close(): Promise<void>;
}

/**
 * Everything every face does to start: claim the home, rescue a corrupt settings file,
 * build the panel and open the control socket for the CLI.
 */
export async function startEngine(options: EngineOptions): Promise<Engine> {
  ensureHome(options.home);
  const socketPath = controlSocketPath(options.home);
  const release = acquireInstanceLock(options.home, options.face);
  try {
    const warning = quarantineCorruptSettings(settingsFile(options.home));
    const panel = createPanel({
      home: options.home,
      face: options.face,
      version: options.version,
      settingsBackend: options.openSettings(options.home),
      warnings: warning ? [warning] : [],
      log: options.log,
      healthMonitor: options.healthMonitor,
      keychain: options.keychain,
      clipboard: options.clipboard,
    });
    const user = userInfo().username;
    const control = await startControlServer({
      dispatch: panel.dispatch,
      bus: panel.bus,
      listen: { kind: 'socket', path: socketPath },
      actor: () => ({ kind: 'cli', user }),
    });
    let closing: Promise<void> | null = null;
    return {
      panel,
      home: options.home,
      control,
      close: () =>
        (closing ??= (async () => {
          await panel.shutdown();
          await control.close();
          release();
        })()),
    };
  } catch (err) {
    release();
    throw err;
  }
}
