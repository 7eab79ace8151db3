import { connect, type Socket } from 'node:net';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { MenuItemConstructorOptions } from 'electron';
import { startTestEngine } from '../helpers/engine.js';
import { hasTestKeyring, noKeyringReason, startKeyringEngine } from '../helpers/keyring.js';
import { fixture } from '../helpers/paths.js';
import { freePort } from '../helpers/ports.js';
import { waitFor } from '../helpers/wait.js';

// Electron cannot run here: the tray and menu are recorded instead of drawn.
const drawn = vi.hoisted(() => ({
  menus: [] as MenuItemConstructorOptions[][],
  images: [] as { png: Buffer }[],
  tooltips: [] as string[],
}));
vi.mock('electron', () => ({
  nativeImage: {
    createFromBuffer: (png: Buffer) => ({ png }),
  },
  Menu: { buildFromTemplate: (t: MenuItemConstructorOptions[]) => t },
  Tray: class {
    setImage(image: { png: Buffer }) {
      drawn.images.push(image);
    }
    setToolTip(text: string) {
      drawn.tooltips.push(text);
    }
    setContextMenu(menu: MenuItemConstructorOptions[]) {
      drawn.menus.push(menu);
    }
    on() {}
    destroy() {}
  },
}));

const { createTray, trayMenuTemplate } = await import('../../main/shell/tray.js');
const { trayIconPng } = await import('../../main/shell/tray-icon.js');

const item = (menu: MenuItemConstructorOptions[], label: string | RegExp): MenuItemConstructorOptions | undefined =>
  menu.find((m) => (typeof label === 'string' ? m.label === label : label.test(m.label ?? '')));
const click = (m: MenuItemConstructorOptions | undefined): void => (m?.click as unknown as () => void)();

describe('tray', () => {
  beforeEach(() => {
    drawn.menus.length = 0;
    drawn.images.length = 0;
  });

  it('lists each server with Start/Stop that act on the real engine, and follows its state', async () => {
    const engine = await startTestEngine();
    const port = await freePort();
    await engine.call('servers.add', { name: 'web', command: process.execPath, args: [fixture('http-server.mjs'), '--port', String(port)] });
    const opened: (string | undefined)[] = [];
    const tray = createTray({
      dispatch: engine.panel.dispatch,
      bus: engine.panel.bus,
      actor: { kind: 'desktop', user: 'test' },
      open: (route) => opened.push(route),
      quit: () => undefined,
      onError: (title, message) => {
        throw new Error(`${title}: ${message}`);
      },
    });
    const menu = await waitFor(() => drawn.menus.at(-1), 5_000, 'the first menu');
    expect(drawn.tooltips.at(-1)).toBe('Portcullis — nothing exposed');
    // The grey, gate-down icon: nothing is exposed.
    expect(drawn.images.at(-1)?.png.equals(trayIconPng(false))).toBe(true);
    expect(trayIconPng(true).equals(trayIconPng(false))).toBe(false);
    const web = item(menu, /^web — stopped/);
    expect(web).toBeDefined();

    click(item(web?.submenu as MenuItemConstructorOptions[], 'Start'));
    await waitFor(async () => (await engine.call('servers.get', { name: 'web' })).state === 'running', 10_000, 'web running');
    // The menu follows the engine's events: the server now offers Stop.
    const running = await waitFor(() => item(drawn.menus.at(-1) ?? [], /^web — running/), 5_000, 'menu showing web running');
    click(item(running.submenu as MenuItemConstructorOptions[], 'Show in window'));
    expect(opened).toEqual(['#/servers/web/logs']);

    click(item(running.submenu as MenuItemConstructorOptions[], 'Stop'));
    await waitFor(async () => (await engine.call('servers.get', { name: 'web' })).state === 'stopped', 15_000, 'web stopped');
    tray.destroy();
  });

  it('offers Lock down everything only while something is exposed, and it calls lockdownAll', () => {
    const calls: [string, unknown][] = [];
    const actions = { open: () => undefined, quit: () => undefined, call: (m: string, a: unknown) => calls.push([m, a]) };
    const server = { state: 'running' as const, urls: [], bind: null, port: null, expiresAt: null };
    const quiet = trayMenuTemplate({ exposureAvailable: true, servers: [{ name: 'a', mode: 'local', ...server }] }, actions);
    expect(item(quiet, 'Lock down everything')?.enabled).toBe(false);
    expect(item(quiet, 'Nothing exposed')).toBeDefined();

    const open = trayMenuTemplate(
      { exposureAvailable: true, servers: [{ name: 'a', mode: 'public', ...server }, { name: 'b', mode: 'local', ...server }] },
      actions,
    );
    expect(item(open, '1 exposed')).toBeDefined();
    const all = item(open, 'Lock down everything');
    expect(all?.enabled).toBe(true);
    click(all);
    expect(calls).toEqual([['exposure.lockdownAll', {}]]);
    // Public exposure is never one click from the tray: it opens the window's confirmation.
    const b = item(open, /^b —/)?.submenu as MenuItemConstructorOptions[];
    expect(item(b, 'Expose publicly…')?.click).toBeDefined();
    click(item(b, 'Expose on LAN'));
    expect(calls.at(-1)).toEqual(['exposure.expose', { name: 'b', mode: 'lan' }]);
  });

  it.skipIf(!hasTestKeyring)(`gives an open exposure a new time box from the tray, keeping the listener and its connections${hasTestKeyring ? '' : ` (skipped: ${noKeyringReason})`}`, async () => {
    const engine = await startKeyringEngine();
    const upstream = await freePort();
    await engine.call('servers.add', { name: 'web', command: process.execPath, args: [fixture('http-server.mjs'), '--port', String(upstream)], port: upstream, health: { path: '/healthz' } });
    await engine.call('servers.start', { name: 'web' });
    await waitFor(async () => (await engine.call('servers.get', { name: 'web' })).health?.status === 'healthy', 10_000, 'web healthy');
    const port = await freePort('127.0.0.9');
    const exposed = await engine.call('exposure.expose', { name: 'web', mode: 'public', bind: '127.0.0.9', port, confirm: true, durationMs: 60_000 });
    const secret = (exposed as { createdToken: { secret: string } }).createdToken.secret;
    const tray = createTray({
      dispatch: engine.panel.dispatch,
      bus: engine.panel.bus,
      actor: { kind: 'desktop', user: 'test' },
      open: () => undefined,
      quit: () => undefined,
      onError: (title, message) => {
        throw new Error(`${title}: ${message}`);
      },
    });
    const web = await waitFor(() => item(drawn.menus.at(-1) ?? [], /^web — running, public/), 10_000, 'menu showing web public');
    // A client holding a keep-alive connection, as a teammate's notebook would.
    const client = await keepAlive('127.0.0.9', port);
    expect(await client.get(secret)).toBe(200);

    const box = item(web.submenu as MenuItemConstructorOptions[], 'Back to local…')?.submenu as MenuItemConstructorOptions[];
    expect(box.map((m) => m.label)).toEqual(['In 15 minutes', 'In 1 hour', 'In 4 hours', 'In 24 hours', 'Only when I lock it down']);
    const clicked = Date.now();
    click(item(box, 'In 4 hours'));
    const view = await waitFor(
      async () => {
        const list = (await engine.call('exposure.list', {})) as { server: string; port: number; expiresAt: string | null }[];
        const v = list.find((e) => e.server === 'web');
        return v && v.expiresAt && Date.parse(v.expiresAt) - clicked > 3_600_000 ? v : undefined;
      },
      10_000,
      'the four-hour time box',
    );
    expect(Date.parse(view.expiresAt as string) - clicked).toBeGreaterThanOrEqual(4 * 3_600_000 - 1_000);
    expect(Date.parse(view.expiresAt as string) - clicked).toBeLessThanOrEqual(4 * 3_600_000 + 60_000);
    expect(view.port).toBe(port);
    // The same connection still answers: the listener was kept, not reopened.
    expect(await client.get(secret)).toBe(200);
    client.socket.destroy();
    // Local servers offer no time box.
    await engine.call('exposure.lockdown', { name: 'web' });
    const local = await waitFor(() => item(drawn.menus.at(-1) ?? [], /^web — running, local/), 10_000, 'menu showing web local');
    expect(item(local.submenu as MenuItemConstructorOptions[], 'Back to local…')).toBeUndefined();
    tray.destroy();
  });
});

/** One keep-alive HTTP/1.1 connection that sends GET / with a token and reads each status (sized or chunked reply). */
async function keepAlive(host: string, port: number): Promise<{ socket: Socket; get(token: string): Promise<number> }> {
  const socket = connect({ host, port });
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  return {
    socket,
    get: (token) =>
      new Promise((resolve, reject) => {
        let text = '';
        const onData = (chunk: Buffer): void => {
          text += chunk.toString('latin1');
          const head = text.indexOf('\r\n\r\n');
          const length = /content-length: *(\d+)/i.exec(text);
          const whole = length ? text.length >= head + 4 + Number(length[1]) : text.endsWith('\r\n0\r\n\r\n');
          if (head < 0 || !whole) return;
          socket.off('data', onData).off('close', onClose);
          resolve(Number(text.slice(9, 12)));
        };
        const onClose = (): void => reject(new Error(`the gateway closed the connection after: ${JSON.stringify(text)}`));
        socket.on('data', onData).once('close', onClose);
        socket.write(`GET / HTTP/1.1\r\nHost: ${host}:${port}\r\nAuthorization: Bearer ${token}\r\n\r\n`);
      }),
  };
}
