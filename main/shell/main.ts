import { userInfo } from 'node:os';
import { fileURLToPath } from 'node:url';
import { app, clipboard, dialog, session, type BrowserWindow } from 'electron';
import { startEngine, type Engine } from '../core/engine.js';
import { ensureHome, resolveHome } from '../core/home.js';
import { openKeytarKeychain } from '../platform/keytar-keychain.js';
import { installAppMenu } from './app-menu.js';
import { registerAppScheme, serveRenderer } from './app-protocol.js';
import { forwardEvents, registerIpc } from './ipc.js';
import { openLogFile } from './log-file.js';
import { adoptLoginShellPath } from './login-shell-path.js';
import { applyOpenAtLogin, followOpenAtLogin, launchCommand } from './login-item.js';
import { closeEngineBeforeQuit } from './quit.js';
import { APP_URL, denyPermissions, hardenContents, isTrustedSender } from './security.js';
import { openElectronStore } from './settings-backend.js';
import { claimSingleInstance } from './single-instance.js';
import { showDesktopNotice, startDesktopNotifications } from './notifications.js';
import { createTray } from './tray.js';
import { createMainWindow } from './window.js';

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

function homeFlag(argv: string[]): string | undefined {
  const at = argv.indexOf('--home');
  if (at !== -1) return argv[at + 1];
  return argv.find((a) => a.startsWith('--home='))?.slice(7);
}

/** The desktop face: one window, the engine in this process, the CLI on the control socket. */
export async function runDesktop(): Promise<void> {
  // The home is Electron's userData too, so Chromium's data, the single-instance lock and
  // the engine's files share one private directory, and `--home` separates all of them.
  const home = resolveHome(homeFlag(process.argv));
  // Created (0700) before Chromium or the single-instance lock write into it.
  ensureHome(home);
  app.setPath('userData', home);
  app.enableSandbox();
  registerAppScheme();
  let window: BrowserWindow | null = null;
  if (!claimSingleInstance(app, () => window)) return;
  app.on('web-contents-created', (_event, contents) => hardenContents(contents));

  await app.whenReady();
  // macOS: ~/Library/Logs/Portcullis; elsewhere the logs folder inside the home.
  app.setAppLogsPath();
  const log = openLogFile(app.getPath('logs'));
  // Before the engine: every server it starts inherits this PATH.
  await adoptLoginShellPath({ platform: process.platform, env: process.env, fromTerminal: Boolean(process.stdout.isTTY), log });
  let engine: Engine;
  try {
    engine = await startEngine({
      home,
      face: 'desktop',
      version: app.getVersion(),
      openSettings: openElectronStore,
      keychain: openKeytarKeychain(),
      // tokens.copy writes here and clears it after 30 s if it still holds the token.
      clipboard,
      log,
    });
  } catch (err) {
    log('could not start', err);
    dialog.showErrorBox('Portcullis cannot start', (err as Error).message);
    app.exit(1);
    return;
  }
  closeEngineBeforeQuit(app, () => engine.close(), log);
  installAppMenu({ platform: process.platform, packaged: app.isPackaged });
  denyPermissions(session.defaultSession);
  serveRenderer(here('../renderer/'));
  registerIpc({
    dispatch: engine.panel.dispatch,
    trusted: (event) => isTrustedSender(event.senderFrame, event.sender, window),
    actor: { kind: 'desktop', user: userInfo().username },
  });
  forwardEvents(engine.panel.bus, () => window?.webContents ?? null);
  const command = launchCommand({ env: process.env, execPath: process.execPath, packaged: app.isPackaged, appPath: app.getAppPath() });
  await followOpenAtLogin(engine.panel, (enabled) => applyOpenAtLogin(enabled, { platform: process.platform, app, env: process.env, command }), log);

  const openWindow = (): void => {
    window = createMainWindow(here('../preload/preload.cjs'));
    window.on('closed', () => (window = null));
  };
  openWindow();
  // The tray and desktop notifications open the window at a route (`#/servers/NAME/logs`).
  const showWindow = (route?: string): void => {
    if (!window) openWindow();
    if (route) void window?.loadURL(`${APP_URL}${route}`);
    window?.show();
    window?.focus();
  };
  const tray = createTray({
    dispatch: engine.panel.dispatch,
    bus: engine.panel.bus,
    actor: { kind: 'desktop', user: userInfo().username },
    open: showWindow,
    quit: () => app.quit(),
    onError: (title, message) => showDesktopNotice(title, message, () => showWindow()),
  });
  startDesktopNotifications({ bus: engine.panel.bus, open: showWindow });
  // macOS: clicking the Dock icon with no window open brings one back.
  app.on('activate', () => {
    if (!window) openWindow();
  });
  // Closing the window keeps Portcullis (and its servers) running in the tray, unless the user
  // turned that off (desktop.closeToTray) or there is no tray to come back through.
  let closeToTray = true;
  const desktop = await engine.panel.dispatch('desktop.get', {}, { actor: { kind: 'system' } });
  if (desktop.ok) closeToTray = (desktop.result as { closeToTray: boolean }).closeToTray;
  engine.panel.bus.subscribe((event, payload) => {
    if (event === 'desktop.changed') closeToTray = (payload as { closeToTray: boolean }).closeToTray;
  });
  app.on('window-all-closed', () => {
    if (!closeToTray || tray.destroyed()) app.quit();
  });
}

void runDesktop().catch((err: unknown) => {
  dialog.showErrorBox('Portcullis stopped unexpectedly', err instanceof Error ? err.message : String(err));
  app.exit(1);
});
