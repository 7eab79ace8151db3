import { Menu, Tray, nativeImage, type MenuItemConstructorOptions } from 'electron';
import type { Actor } from '../core/api.js';
import type { Dispatch } from '../core/dispatch.js';
import { TIME_BOXES } from '../core/time-boxes.js';
import type { EventBus } from '../core/events.js';
import { trayIconPng } from './tray-icon.js';
import { exposedOf, readTrayState, trayTooltip, type TrayServer, type TrayState } from './tray-model.js';

export interface TrayActions {
  /** Shows the window, optionally at a route such as `#/servers/NAME/exposure`. */
  open(route?: string): void;
  call(method: string, args: Record<string, unknown>): void;
  quit(): void;
}

const modeWord = { local: 'local', lan: 'LAN', public: 'public' } as const;

function serverItems(s: TrayServer, state: TrayState, a: TrayActions): MenuItemConstructorOptions[] {
  const running = s.state === 'running' || s.state === 'starting' || s.state === 'backoff';
  const items: MenuItemConstructorOptions[] = [
    running ? { label: 'Stop', click: () => a.call('servers.stop', { name: s.name }) } : { label: 'Start', click: () => a.call('servers.start', { name: s.name }) },
  ];
  if (state.exposureAvailable) {
    items.push({ type: 'separator' });
    if (s.mode !== 'lan') items.push({ label: 'Expose on LAN', click: () => a.call('exposure.expose', { name: s.name, mode: 'lan' }) });
    // Public needs the window's confirmation of what becomes reachable and for how long.
    if (s.mode !== 'public') items.push({ label: 'Expose publicly…', click: () => a.open(`#/servers/${encodeURIComponent(s.name)}/exposure`) });
    items.push({ label: 'Lock down', enabled: s.mode !== 'local', click: () => a.call('exposure.lockdown', { name: s.name }) });
    const box = timeBoxItems(s, a);
    if (box) items.push({ label: 'Back to local…', submenu: box });
  }
  items.push({ type: 'separator' }, { label: 'Show in window', click: () => a.open(`#/servers/${encodeURIComponent(s.name)}/logs`) });
  return items;
}

/**
 * A new time box for an open exposure, from now: the same mode, address and port, so the engine
 * keeps the listener and every client's stream. Public was confirmed when it was opened.
 */
function timeBoxItems(s: TrayServer, a: TrayActions): MenuItemConstructorOptions[] | null {
  if (s.mode === 'local' || s.bind === null || s.port === null) return null;
  const { name, mode, bind, port } = s;
  return TIME_BOXES.map((t) => ({
    label: t.ms === null ? 'Only when I lock it down' : `In ${t.label}`,
    click: () => a.call('exposure.expose', { name, mode, bind, port, durationMs: t.ms, confirm: mode === 'public' }),
  }));
}

/** The tray's menu for a state: pure, so the choices it offers are unit-tested. */
export function trayMenuTemplate(state: TrayState, a: TrayActions): MenuItemConstructorOptions[] {
  const exposed = exposedOf(state);
  const menu: MenuItemConstructorOptions[] = [
    { label: exposed.length ? `${exposed.length} exposed` : 'Nothing exposed', enabled: false },
  ];
  if (state.exposureAvailable) {
    menu.push({ label: 'Lock down everything', enabled: exposed.length > 0, click: () => a.call('exposure.lockdownAll', {}) });
  }
  menu.push({ type: 'separator' });
  for (const s of state.servers) {
    menu.push({ label: `${s.name} — ${s.state}, ${modeWord[s.mode]}`, submenu: serverItems(s, state, a) });
  }
  if (state.servers.length === 0) menu.push({ label: 'No servers yet', enabled: false });
  menu.push({ type: 'separator' }, { label: 'Open Portcullis', click: () => a.open() }, { label: 'Quit Portcullis', click: () => a.quit() });
  return menu;
}

export interface TrayOptions {
  dispatch: Dispatch;
  bus: EventBus;
  actor: Actor;
  open(route?: string): void;
  quit(): void;
  /** A call from the tray was refused: say so (a desktop notification). */
  onError(title: string, message: string): void;
}

const REFRESH_EVENTS = new Set(['server.changed', 'server.removed', 'exposure.changed']);

/**
 * The tray icon and menu, kept current by the engine's events: grey or orange for whether
 * anything is exposed, a submenu per server, Lock down everything always at the top.
 */
export function createTray(options: TrayOptions): { tray: Tray; refresh(): Promise<void>; destroy(): void; destroyed(): boolean } {
  const image = (exposed: boolean) => nativeImage.createFromBuffer(trayIconPng(exposed), { scaleFactor: 2 });
  const tray = new Tray(image(false));
  let shown = '';
  let gone = false;
  let timer: NodeJS.Timeout | null = null;

  const actions: TrayActions = {
    open: options.open,
    quit: options.quit,
    call: (method, args) => {
      void options.dispatch(method, args, { actor: options.actor }).then((reply) => {
        if (!reply.ok) options.onError(`Portcullis could not ${method.split('.').pop() ?? method}`, reply.error.message);
      });
    },
  };

  const refresh = async (): Promise<void> => {
    const state = await readTrayState(options.dispatch, options.actor);
    // Health probes change servers every few seconds; rebuild only when the menu would differ.
    const key = JSON.stringify(state);
    if (key === shown) return;
    shown = key;
    tray.setImage(image(exposedOf(state).length > 0));
    tray.setToolTip(trayTooltip(state));
    tray.setContextMenu(Menu.buildFromTemplate(trayMenuTemplate(state, actions)));
  };

  const unsubscribe = options.bus.subscribe((event) => {
    if (!REFRESH_EVENTS.has(event) || timer) return;
    timer = setTimeout(() => {
      timer = null;
      void refresh();
    }, 200);
  });
  tray.on('click', () => options.open());
  void refresh();

  return {
    tray,
    refresh,
    destroyed: () => gone,
    destroy: () => {
      gone = true;
      unsubscribe();
      if (timer) clearTimeout(timer);
      tray.destroy();
    },
  };
}
