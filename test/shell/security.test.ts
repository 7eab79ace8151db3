import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { isAppUrl } from '../../main/shell/security.js';
import { tempDir } from '../helpers/tmp.js';
import { FakeWebContents, preventable, type FakeBrowserWindow, type FakeElectron } from './fake-electron.js';
import { launchDesktop, mainWindow, quitDesktop } from './launch-desktop.js';

vi.mock('electron', async () => (await import('./fake-electron.js')).fakeElectronModule());
// electron-store loads the real electron package outside Vitest's mocks; conf writes the same file.
vi.mock('../../main/shell/settings-backend.js', async () => ({
  openElectronStore: (await import('../../main/core/settings/conf-backend.js')).openConfBackend,
}));

const outside = [
  'https://evil.example/',
  'http://127.0.0.1:8080/',
  'file:///etc/passwd',
  'app://portcullis.evil.example/index.html',
  'app://user@portcullis/index.html',
  'javascript:alert(1)',
  'data:text/html,<script>alert(1)</script>',
  'not a url',
];

describe('what the window may do', () => {
  const root = tempDir('pc-shs-');
  let electron: FakeElectron;
  let window: FakeBrowserWindow;
  beforeAll(async () => {
    ({ electron } = await launchDesktop(root));
    window = await mainWindow();
  });
  afterAll(() => quitDesktop(electron));

  it('refuses navigation and redirects away from app://portcullis, and allows its own pages', () => {
    for (const kind of ['will-navigate', 'will-redirect']) {
      for (const url of outside) {
        const event = preventable();
        window.webContents.emit(kind, event, url);
        expect(event.defaultPrevented, `${kind} ${url}`).toBe(true);
      }
      const own = preventable();
      window.webContents.emit(kind, own, 'app://portcullis/index.html#/servers');
      expect(own.defaultPrevented).toBe(false);
    }
  });

  it('refuses every new window, even one of its own pages', () => {
    for (const url of ['https://evil.example/', 'app://portcullis/index.html']) {
      expect(window.webContents.windowOpenHandler?.({ url })).toEqual({ action: 'deny' });
    }
  });

  it('refuses webviews', () => {
    const event = preventable();
    window.webContents.emit('will-attach-webview', event, {}, {});
    expect(event.defaultPrevented).toBe(true);
  });

  it('hardens any other webContents the app ever creates', () => {
    const contents = new FakeWebContents();
    electron.app.emit('web-contents-created', {}, contents);
    const event = preventable();
    contents.emit('will-navigate', event, 'https://evil.example/');
    expect(event.defaultPrevented).toBe(true);
    expect(contents.windowOpenHandler?.({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
  });

  it('denies every permission request and check', () => {
    const session = electron.session.defaultSession;
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal', 'fullscreen']) {
      const answers: boolean[] = [];
      session.permissionRequestHandler?.(window.webContents, permission, (granted) => answers.push(granted), {});
      expect(answers, permission).toEqual([false]);
      expect(session.permissionCheckHandler?.(window.webContents, permission, 'app://portcullis', {}), permission).toBe(false);
    }
  });
});

describe('isAppUrl', () => {
  it('accepts only app://portcullis pages', () => {
    expect(isAppUrl('app://portcullis/index.html')).toBe(true);
    expect(isAppUrl('app://portcullis/assets/index-abc.js')).toBe(true);
    for (const url of outside) expect(isAppUrl(url), url).toBe(false);
  });
});
