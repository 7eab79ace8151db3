import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { applyOpenAtLogin, autostartFile, launchCommand } from '../../main/shell/login-item.js';
import { callChannel } from '../../main/shell/ipc.js';
import { tempDir } from '../helpers/tmp.js';
import { waitFor } from '../helpers/wait.js';
import { fromWindow, launchDesktop, mainWindow, quitDesktop } from './launch-desktop.js';

vi.mock('electron', async () => (await import('./fake-electron.js')).fakeElectronModule());
// electron-store loads the real electron package outside Vitest's mocks; conf writes the same file.
vi.mock('../../main/shell/settings-backend.js', async () => ({
  openElectronStore: (await import('../../main/core/settings/conf-backend.js')).openConfBackend,
}));

describe('start at login (Linux: an XDG autostart entry)', () => {
  const root = tempDir('pc-shl-');

  it('is off after install, on only once the user turns it on, and off again when asked', async () => {
    const { electron, configHome, home } = await launchDesktop(root);
    const window = await mainWindow();
    const entry = join(configHome, 'autostart', 'portcullis.desktop');
    const update = (openAtLogin: unknown): Promise<unknown> =>
      electron.ipcMain.invoke(callChannel('desktop.update'), fromWindow(window), { openAtLogin });
    try {
      expect(existsSync(entry)).toBe(false);
      expect(await electron.ipcMain.invoke(callChannel('desktop.get'), fromWindow(window), {})).toEqual({ ok: true, result: { openAtLogin: false, closeToTray: true } });

      // A malformed request changes nothing.
      expect(await update('yes')).toMatchObject({ ok: false, error: { code: 'invalid_args', field: 'openAtLogin' } });
      expect(existsSync(entry)).toBe(false);

      expect(await update(true)).toEqual({ ok: true, result: { openAtLogin: true, closeToTray: true } });
      const text = await waitFor(() => existsSync(entry) && readFileSync(entry, 'utf8'), 5_000, 'the autostart entry');
      expect(text).toContain('[Desktop Entry]');
      expect(text).toMatch(/^Exec=".+"/m);
      expect(text).toContain('X-GNOME-Autostart-enabled=true');
      // The choice is stored in the settings file, so it survives a restart.
      expect(JSON.parse(readFileSync(join(home, 'config.json'), 'utf8'))).toMatchObject({ desktop: { openAtLogin: true } });

      expect(await update(false)).toEqual({ ok: true, result: { openAtLogin: false, closeToTray: true } });
      await waitFor(() => !existsSync(entry), 5_000, 'the autostart entry to go');
    } finally {
      await quitDesktop(electron);
    }
  });

  it('a start with the setting off removes a leftover entry and never writes one', async () => {
    const { electron, configHome } = await launchDesktop(root, () => {
      // Left behind by an older install, or written by hand: the stored choice (off) wins.
      const leftover = autostartFile(process.env);
      mkdirSync(dirname(leftover), { recursive: true });
      writeFileSync(leftover, '[Desktop Entry]\nExec=/old/portcullis\n');
    });
    await mainWindow();
    try {
      expect(existsSync(join(configHome, 'autostart', 'portcullis.desktop'))).toBe(false);
      expect(electron.app.setLoginItemSettings).not.toHaveBeenCalled();
    } finally {
      await quitDesktop(electron);
    }
  });

  it('quotes the command for the desktop entry and prefers the AppImage path', () => {
    const configHome = tempDir('pc-shl-x-');
    const app = { getLoginItemSettings: () => ({ openAtLogin: false }), setLoginItemSettings: vi.fn() };
    const command = launchCommand({ env: { APPIMAGE: '/home/u/Apps/Portcullis "1".AppImage' }, execPath: '/tmp/.mount/portcullis', packaged: true, appPath: '' });
    applyOpenAtLogin(true, { platform: 'linux', app, env: { XDG_CONFIG_HOME: configHome }, command });
    const text = readFileSync(autostartFile({ XDG_CONFIG_HOME: configHome }), 'utf8');
    expect(text).toContain('Exec="/home/u/Apps/Portcullis \\"1\\".AppImage"\n');
    expect(launchCommand({ env: {}, execPath: '/usr/bin/electron', packaged: false, appPath: '/src/portcullis' })).toEqual(['/usr/bin/electron', '/src/portcullis']);
  });
});

describe('start at login (macOS and Windows: Electron login items)', () => {
  for (const platform of ['darwin', 'win32'] as const) {
    it(`${platform}: registers only when on, unregisters when turned off, leaves the OS alone otherwise`, () => {
      let registered = false;
      const app = {
        getLoginItemSettings: () => ({ openAtLogin: registered }),
        setLoginItemSettings: vi.fn((settings: { openAtLogin?: boolean }) => void (registered = settings.openAtLogin ?? false)),
      };
      const target = { platform, app, env: {}, command: ['/Applications/Portcullis.app'] };
      applyOpenAtLogin(false, target);
      expect(app.setLoginItemSettings).not.toHaveBeenCalled();
      applyOpenAtLogin(true, target);
      expect(app.setLoginItemSettings).toHaveBeenLastCalledWith({ openAtLogin: true });
      expect(registered).toBe(true);
      applyOpenAtLogin(false, target);
      expect(app.setLoginItemSettings).toHaveBeenLastCalledWith({ openAtLogin: false });
      expect(registered).toBe(false);
    });
  }
});
