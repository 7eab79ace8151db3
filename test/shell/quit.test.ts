import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { callChannel } from '../../main/shell/ipc.js';
import { fixture } from '../helpers/paths.js';
import { freePort } from '../helpers/ports.js';
import { tempDir } from '../helpers/tmp.js';
import { waitFor } from '../helpers/wait.js';
import type { FakeBrowserWindow, FakeElectron } from './fake-electron.js';
import { fromWindow, launchDesktop, mainWindow } from './launch-desktop.js';

vi.mock('electron', async () => (await import('./fake-electron.js')).fakeElectronModule());
// electron-store loads the real electron package outside Vitest's mocks; conf writes the same file.
vi.mock('../../main/shell/settings-backend.js', async () => ({
  openElectronStore: (await import('../../main/core/settings/conf-backend.js')).openConfBackend,
}));

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function call(electron: FakeElectron, window: FakeBrowserWindow, method: string, args: unknown): Promise<Record<string, unknown>> {
  const reply = (await electron.ipcMain.invoke(callChannel(method), fromWindow(window), args)) as { ok: boolean; result?: unknown; error?: { message: string } };
  if (!reply.ok) throw new Error(`${method}: ${reply.error?.message}`);
  return reply.result as Record<string, unknown>;
}

describe('quitting the desktop app', () => {
  const root = tempDir('pc-shq-');

  it('holds the quit until the engine has stopped its servers (the default), then quits', async () => {
    const { electron } = await launchDesktop(root);
    const window = await mainWindow();
    const port = await freePort();
    // `node` as a user types it: found on PATH, the system's Node, not the app's binary.
    await call(electron, window, 'servers.add', { name: 'fixture', command: 'node', args: [fixture('http-server.mjs'), '--port', String(port)], port });
    const started = await call(electron, window, 'servers.start', { name: 'fixture' });
    const pid = started.pid as number;
    expect(alive(pid)).toBe(true);

    electron.app.quit();
    // The first quit was held back for the engine to close…
    expect(electron.app.quitted).toBe(false);
    // …which stops the server, and then the app quits for real.
    await waitFor(() => electron.app.quitted, 20_000, 'the app to quit');
    expect(alive(pid)).toBe(false);
    expect(electron.app.quit).toHaveBeenCalledTimes(2);
  });

  it('with supervisor.onQuit "leave", quits and leaves the servers running for the next start', async () => {
    const { electron } = await launchDesktop(root, () => {
      const home = process.env.PORTCULLIS_HOME ?? '';
      writeFileSync(join(home, 'config.json'), JSON.stringify({ supervisor: { onQuit: 'leave' } }), { mode: 0o600 });
    });
    const window = await mainWindow();
    const port = await freePort();
    await call(electron, window, 'servers.add', { name: 'fixture', command: 'node', args: [fixture('http-server.mjs'), '--port', String(port)], port });
    const pid = (await call(electron, window, 'servers.start', { name: 'fixture' })).pid as number;
    try {
      electron.app.quit();
      await waitFor(() => electron.app.quitted, 20_000, 'the app to quit');
      expect(alive(pid)).toBe(true);
    } finally {
      // The server runs in its own process group; end it so the test leaves nothing behind.
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        process.kill(pid, 'SIGKILL');
      }
    }
  });
});
