import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import type { LoginItemSettings, Settings as LoginItemChange } from 'electron';
import type { DesktopSettings, Envelope } from '../core/api.js';

/** What login-item handling needs of Electron's `app`. */
export interface LoginItemApp {
  getLoginItemSettings(): Pick<LoginItemSettings, 'openAtLogin'>;
  setLoginItemSettings(settings: LoginItemChange): void;
}

export interface LoginItemTarget {
  platform: NodeJS.Platform;
  app: LoginItemApp;
  env: NodeJS.ProcessEnv;
  /** The command that starts Portcullis: the AppImage or the executable, plus arguments. */
  command: string[];
}

/** The XDG autostart entry; Electron's login items exist only on macOS and Windows. */
export function autostartFile(env: NodeJS.ProcessEnv): string {
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'autostart', 'portcullis.desktop');
}

/** Desktop Entry "Exec" quoting: each argument in double quotes, with ", `, $ and \ escaped. */
function execLine(command: string[]): string {
  return command.map((arg) => `"${arg.replace(/(["`$\\])/g, '\\$1')}"`).join(' ');
}

/**
 * Makes the OS match the user's choice. Called at start and whenever the setting changes;
 * with the setting off (the default) it only ever removes a registration, never adds one.
 */
export function applyOpenAtLogin(enabled: boolean, target: LoginItemTarget): void {
  if (target.platform === 'darwin' || target.platform === 'win32') {
    if (enabled || target.app.getLoginItemSettings().openAtLogin) {
      target.app.setLoginItemSettings({ openAtLogin: enabled });
    }
    return;
  }
  const file = autostartFile(target.env);
  if (!enabled) {
    rmSync(file, { force: true });
    return;
  }
  const entry = [
    '[Desktop Entry]',
    'Type=Application',
    'Name=Portcullis',
    'Comment=Supervise local AI servers and decide who may reach them',
    `Exec=${execLine(target.command)}`,
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
  mkdirSync(dirname(file), { recursive: true });
  // Written whole or not at all: a half-written entry could start something else.
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, entry, { mode: 0o644 });
  renameSync(temp, file);
}

/** How this copy of Portcullis is started again: the AppImage if it is one, else the binary. */
export function launchCommand(options: { env: NodeJS.ProcessEnv; execPath: string; packaged: boolean; appPath: string }): string[] {
  if (options.env.APPIMAGE) return [options.env.APPIMAGE];
  // From source the binary is Electron itself, which needs the app's folder.
  return options.packaged ? [options.execPath] : [options.execPath, options.appPath];
}

/** What following the setting needs of the engine's panel. */
export interface DesktopSettingsSource {
  dispatch(method: 'desktop.get', args: Record<string, never>, ctx: { actor: { kind: 'system' } }): Promise<Envelope<unknown>>;
  bus: { subscribe(listener: (event: string, payload: unknown) => void): () => void };
}

/**
 * Applies the stored choice at start, then every change the user makes (from the window,
 * the CLI or the browser UI) as `desktop.changed` arrives. Returns the unsubscribe.
 */
export async function followOpenAtLogin(
  panel: DesktopSettingsSource,
  apply: (enabled: boolean) => void,
  log: (message: string, err?: unknown) => void,
): Promise<() => void> {
  const safely = (enabled: boolean): void => {
    try {
      apply(enabled);
    } catch (err) {
      log(`could not ${enabled ? 'register' : 'remove'} Portcullis as a login item`, err);
    }
  };
  const reply = await panel.dispatch('desktop.get', {}, { actor: { kind: 'system' } });
  if (reply.ok) safely((reply.result as DesktopSettings).openAtLogin);
  return panel.bus.subscribe((event, payload) => {
    if (event === 'desktop.changed') safely((payload as DesktopSettings).openAtLogin);
  });
}
