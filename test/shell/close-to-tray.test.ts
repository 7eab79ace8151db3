import { describe, expect, it, vi } from 'vitest';
import { callChannel } from '../../main/shell/ipc.js';
import { tempDir } from '../helpers/tmp.js';
import { fromWindow, launchDesktop, mainWindow, quitDesktop } from './launch-desktop.js';

vi.mock('electron', async () => (await import('./fake-electron.js')).fakeElectronModule());
// electron-store loads the real electron package outside Vitest's mocks; conf writes the same file.
vi.mock('../../main/shell/settings-backend.js', async () => ({
  openElectronStore: (await import('../../main/core/settings/conf-backend.js')).openConfBackend,
}));

describe('closing the window', () => {
  const root = tempDir('pc-ctt-');

  it('keeps Portcullis running in the tray by default, and quits once the user turns that off', async () => {
    const { electron } = await launchDesktop(root);
    const window = await mainWindow();
    try {
      electron.app.emit('window-all-closed');
      expect(electron.app.quit).not.toHaveBeenCalled();

      const changed = await electron.ipcMain.invoke(callChannel('desktop.update'), fromWindow(window), { closeToTray: false });
      expect(changed).toEqual({ ok: true, result: { openAtLogin: false, closeToTray: false } });
      const refused = await electron.ipcMain.invoke(callChannel('desktop.update'), fromWindow(window), {});
      expect(refused).toMatchObject({ ok: false, error: { code: 'invalid_args', message: expect.stringMatching(/openAtLogin or closeToTray/) } });

      electron.app.emit('window-all-closed');
      expect(electron.app.quit).toHaveBeenCalled();
    } finally {
      await quitDesktop(electron);
    }
  });
});
