import { describe, expect, it, vi } from 'vitest';
import { appMenuTemplate } from '../../main/shell/app-menu.js';
import { tempDir } from '../helpers/tmp.js';
import { launchDesktop, mainWindow, quitDesktop } from './launch-desktop.js';

vi.mock('electron', async () => (await import('./fake-electron.js')).fakeElectronModule());
// electron-store loads the real electron package outside Vitest's mocks; conf writes the same file.
vi.mock('../../main/shell/settings-backend.js', async () => ({
  openElectronStore: (await import('../../main/core/settings/conf-backend.js')).openConfBackend,
}));

interface Item {
  role?: string;
  type?: string;
  submenu?: Item[];
  click?: unknown;
}

/** Every role in the menu, depth first, as "Top > item". */
function roles(template: Item[]): string[] {
  return template.flatMap((top) => [top.role ?? '?', ...(top.submenu ?? []).filter((i) => i.type !== 'separator').map((i) => `${top.role} > ${i.role ?? '?'}`)]);
}

describe('the application menu', () => {
  it('is installed at start, built only from standard roles (no handlers of ours)', async () => {
    const { electron } = await launchDesktop(tempDir('pc-shm-'));
    await mainWindow();
    try {
      expect(electron.Menu.setApplicationMenu).toHaveBeenCalledTimes(1);
      const template = (electron.menus.application?.template ?? []) as Item[];
      const all = roles(template);
      expect(all).not.toContain('?');
      expect(JSON.stringify(template)).not.toContain('click');
      expect(all).toEqual(expect.arrayContaining(['editMenu > copy', 'editMenu > paste', 'editMenu > selectAll', 'viewMenu > togglefullscreen', 'windowMenu > minimize']));
    } finally {
      await quitDesktop(electron);
    }
  });

  it('on macOS has the app menu with hide and quit; elsewhere quit is under File', () => {
    const mac = roles(appMenuTemplate({ platform: 'darwin', packaged: true }) as Item[]);
    expect(mac[0]).toBe('appMenu');
    expect(mac).toEqual(expect.arrayContaining(['appMenu > about', 'appMenu > hide', 'appMenu > quit', 'windowMenu > front']));
    const linux = roles(appMenuTemplate({ platform: 'linux', packaged: true }) as Item[]);
    expect(linux).not.toContain('appMenu');
    expect(linux).toContain('fileMenu > quit');
  });

  it('offers reload and DevTools only when running from source', () => {
    const packaged = roles(appMenuTemplate({ platform: 'linux', packaged: true }) as Item[]);
    const source = roles(appMenuTemplate({ platform: 'linux', packaged: false }) as Item[]);
    expect(packaged).not.toContain('viewMenu > toggleDevTools');
    expect(packaged).not.toContain('viewMenu > reload');
    expect(source).toEqual(expect.arrayContaining(['viewMenu > toggleDevTools', 'viewMenu > reload']));
  });
});
