import { afterEach, describe, expect, it, vi } from 'vitest';
import { APP_URL } from '../../main/shell/security.js';
import { tempDir } from '../helpers/tmp.js';
import { launchDesktop, mainWindow, quitDesktop, type LaunchedDesktop } from './launch-desktop.js';

vi.mock('electron', async () => (await import('./fake-electron.js')).fakeElectronModule());
// electron-store loads the real electron package outside Vitest's mocks; conf writes the same file.
vi.mock('../../main/shell/settings-backend.js', async () => ({
  openElectronStore: (await import('../../main/core/settings/conf-backend.js')).openConfBackend,
}));

describe('the main window', () => {
  const root = tempDir('pc-shw-');
  let launched: LaunchedDesktop | null = null;
  afterEach(async () => {
    if (launched) await quitDesktop(launched.electron);
    launched = null;
  });

  it('isolates the renderer: context isolation, sandbox, no Node, the bundled preload', async () => {
    launched = await launchDesktop(root);
    const window = await mainWindow();
    const prefs = window.options.webPreferences ?? {};
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
    expect(String(prefs.preload)).toMatch(/[/\\]preload[/\\]preload\.cjs$/);
    expect(launched.electron.app.enableSandbox).toHaveBeenCalled();
  });

  it('loads only the app\'s own page over app://portcullis, a privileged standard scheme', async () => {
    launched = await launchDesktop(root);
    const window = await mainWindow();
    expect(window.webContents.mainFrame.url).toBe(APP_URL);
    expect(launched.electron.protocol.privileged).toEqual([
      { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } },
    ]);
    expect([...launched.electron.protocol.handlers.keys()]).toEqual(['app']);
  });

  it('keeps Chromium\'s data, the single-instance lock and its logs in the Portcullis home', async () => {
    launched = await launchDesktop(root);
    await mainWindow();
    expect(launched.electron.app.getPath('userData')).toBe(launched.home);
    expect(launched.electron.app.getPath('logs')).toBe(`${launched.home}/logs`);
  });
});
