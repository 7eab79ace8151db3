import { userInfo } from 'node:os';
import { fileURLToPath } from 'node:url';
import { app, dialog, session, type BrowserWindow } from 'electron';
import { startEngine, type Engine } from '../core/engine.js';
import { resolveHome } from '../core/home.js';
import { registerAppScheme, serveRenderer } from './app-protocol.js';
import { forwardEvents, registerIpc } from './ipc.js';
import { denyPermissions, isTrustedSender } from './security.js';
import { openElectronStore } from './settings-backend.js';
import { createMainWindow } from './window.js';

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

function homeFlag(argv: string[]): string | undefined {
  const at = argv.indexOf('--home');
  if (at !== -1) return argv[at + 1];
  return argv.find((a) => a.startsWith('--home='))?.slice(7);
}

/** The desktop face: one window, the engine in this process, the CLI on the control socket. */
export async function runDesktop(): Promise<void> {
  app.enableSandbox();
  registerAppScheme();
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  let window: BrowserWindow | null = null;
  let engine: Engine | null = null;
  let quitting = false;

  app.on('second-instance', () => {
    if (!window) return;
    if (window.isMinimized()) window.restore();
    window.focus();
  });

  await app.whenReady();
  const home = resolveHome(homeFlag(process.argv) ?? (process.env.PORTCULLIS_HOME || app.getPath('userData')));
  try {
    engine = await startEngine({ home, face: 'desktop', version: app.getVersion(), openSettings: openElectronStore });
  } catch (err) {
    dialog.showErrorBox('Portcullis cannot start', (err as Error).message);
    app.exit(1);
    return;
  }
  denyPermissions(session.defaultSession);
  serveRenderer(here('../renderer/'));
  registerIpc({
    dispatch: engine.panel.dispatch,
    trusted: (event) => isTrustedSender(event.senderFrame, event.sender, window),
    actor: { kind: 'desktop', user: userInfo().username },
  });
  forwardEvents(engine.panel.bus, () => window?.webContents ?? null);
  window = createMainWindow(here('../preload/preload.cjs'));
  window.on('closed', () => (window = null));

  app.on('window-all-closed', () => app.quit());
  app.on('before-quit', (event) => {
    if (quitting || !engine) return;
    // Servers are stopped before the process goes, so none is left running unwatched.
    event.preventDefault();
    quitting = true;
    void engine.close().finally(() => app.quit());
  });
}

void runDesktop();
