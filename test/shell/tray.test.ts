import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { MenuItemConstructorOptions } from 'electron';
import { startTestEngine } from '../helpers/engine.js';
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
    const server = { state: 'running' as const, urls: [], expiresAt: null };
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
});
