import { existsSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { controlSocketPath } from '../../main/core/home.js';
import { tempDir } from '../helpers/tmp.js';
import { waitFor } from '../helpers/wait.js';
import { FakeBrowserWindow } from './fake-electron.js';
import { launchDesktop, mainWindow, quitDesktop } from './launch-desktop.js';

vi.mock('electron', async () => (await import('./fake-electron.js')).fakeElectronModule());
// electron-store loads the real electron package outside Vitest's mocks; conf writes the same file.
vi.mock('../../main/shell/settings-backend.js', async () => ({
  openElectronStore: (await import('../../main/core/settings/conf-backend.js')).openConfBackend,
}));

describe('one Portcullis at a time', () => {
  const root = tempDir('pc-sh1-');

  it('a second launch quits at once and starts nothing: no engine, no socket, no window', async () => {
    const { electron, home } = await launchDesktop(root, (e) => {
      e.app.singleInstance = false;
    });
    await waitFor(() => electron.app.quitted, 10_000, 'the second copy to quit');
    expect(electron.app.requestSingleInstanceLock).toHaveBeenCalledTimes(1);
    expect(electron.app.whenReady).not.toHaveBeenCalled();
    expect(FakeBrowserWindow.all).toHaveLength(0);
    expect(electron.ipcMain.handlers.size).toBe(0);
    expect(existsSync(controlSocketPath(home))).toBe(false);
  });

  it('the first copy comes to the front when a second is launched, even minimized or hidden', async () => {
    const { electron } = await launchDesktop(root);
    const window = await mainWindow();
    try {
      window.minimize();
      window.hide();
      window.focused = false;
      electron.app.emit('second-instance', {}, ['portcullis'], root);
      expect(window.isMinimized()).toBe(false);
      expect(window.isVisible()).toBe(true);
      expect(window.focused).toBe(true);
    } finally {
      await quitDesktop(electron);
    }
  });
});
