import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { methods } from '../../main/core/api.js';
import { callChannel } from '../../main/shell/ipc.js';
import { tempDir } from '../helpers/tmp.js';
import type { FakeBrowserWindow, FakeElectron } from './fake-electron.js';
import { fromWindow, launchDesktop, mainWindow, quitDesktop } from './launch-desktop.js';

vi.mock('electron', async () => (await import('./fake-electron.js')).fakeElectronModule());
// electron-store loads the real electron package outside Vitest's mocks; conf writes the same file.
vi.mock('../../main/shell/settings-backend.js', async () => ({
  openElectronStore: (await import('../../main/core/settings/conf-backend.js')).openConfBackend,
}));

interface Bridge {
  invoke(method: unknown, args: unknown): Promise<{ ok: boolean; result?: unknown; error?: { code: string; message: string; field?: string } }>;
  on(event: unknown, callback: unknown): () => void;
}

describe('IPC between the window and the engine', () => {
  const root = tempDir('pc-shi-');
  let electron: FakeElectron;
  let window: FakeBrowserWindow;
  let bridge: Bridge;

  beforeAll(async () => {
    ({ electron } = await launchDesktop(root));
    window = await mainWindow();
    // The real preload, its ipcRenderer wired to the shell's ipcMain as our window's top frame.
    electron.ipcRenderer.invoke.mockImplementation((channel, ...args) => electron.ipcMain.invoke(channel, fromWindow(window), ...args));
    await import('../../preload/index.js');
    bridge = electron.contextBridge.exposeInMainWorld.mock.calls[0]?.[1] as Bridge;
  });
  afterAll(() => quitDesktop(electron));

  it('registers one ipcMain.handle per contract method, and nothing else', () => {
    const expected = Object.keys(methods).map(callChannel).sort();
    expect([...electron.ipcMain.handlers.keys()].sort()).toEqual(expected);
  });

  it('serves our window\'s top frame', async () => {
    const reply = await electron.ipcMain.invoke(callChannel('system.info'), fromWindow(window), {});
    expect(reply).toMatchObject({ ok: true, result: { face: 'desktop' } });
  });

  it('refuses another webContents, another origin, a subframe and a frame that is gone', async () => {
    const other = new electron.BrowserWindow({});
    const ours = fromWindow(window);
    const foreign = [
      { sender: other.webContents, senderFrame: { url: 'app://portcullis/index.html', parent: null } },
      { sender: window.webContents, senderFrame: { url: 'https://evil.example/', parent: null } },
      { sender: window.webContents, senderFrame: { url: 'file:///etc/passwd', parent: null } },
      { sender: window.webContents, senderFrame: { url: 'app://portcullis.evil.example/index.html', parent: null } },
      { sender: window.webContents, senderFrame: { url: 'app://portcullis/frame.html', parent: ours.senderFrame } },
      { sender: window.webContents, senderFrame: null },
    ];
    for (const event of foreign) {
      const reply = await electron.ipcMain.invoke(callChannel('system.info'), event, {});
      expect(reply, JSON.stringify(event.senderFrame)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    }
    // A refusal changes nothing: our window is still served.
    expect(await electron.ipcMain.invoke(callChannel('system.info'), ours, {})).toMatchObject({ ok: true });
  });

  it('answers an unknown method with an error envelope, not a thrown IPC error', async () => {
    await expect(bridge.invoke('servers.launchMissiles', {})).resolves.toMatchObject({ ok: false, error: { code: 'unknown_method' } });
    await expect(bridge.invoke(42, {})).resolves.toMatchObject({ ok: false, error: { code: 'unknown_method' } });
  });

  it('answers malformed arguments with an error naming the field, and keeps serving', async () => {
    const bad = await bridge.invoke('servers.add', { name: 'no spaces allowed', command: 'node', port: 70000 });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid_args' } });
    expect(bad.error?.message).toMatch(/name|port/);
    await expect(bridge.invoke('servers.get', 'not an object')).resolves.toMatchObject({ ok: false, error: { code: 'invalid_args' } });
    await expect(bridge.invoke('system.info', {})).resolves.toMatchObject({ ok: true, result: { face: 'desktop' } });
  });

  it('forwards engine events to the window on one channel', async () => {
    await bridge.invoke('desktop.update', { openAtLogin: false });
    expect(window.webContents.send).toHaveBeenCalledWith('portcullis:event', 'desktop.changed', { openAtLogin: false, closeToTray: true });
  });
});
