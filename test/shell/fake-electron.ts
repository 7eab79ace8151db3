/**
 * A stand-in for the `electron` module, for `vi.mock('electron', …)` in shell tests (the
 * Electron binary cannot run here). It keeps Electron's observable contracts the shell
 * relies on: app.quit() emits a preventable 'before-quit'; one ipcMain handler per channel,
 * a second one throws and a missing one rejects the renderer's invoke; creating a window
 * emits 'web-contents-created'. State lives on globalThis so every re-import of the shell
 * (vi.resetModules) sees the same fake; call resetFakeElectron() before each launch.
 */
import { EventEmitter } from 'node:events';
import { join } from 'node:path';
import { vi } from 'vitest';

type Handler = (event: unknown, ...args: unknown[]) => unknown;

export interface PreventableEvent {
  defaultPrevented: boolean;
  preventDefault(): void;
}

export const preventable = (): PreventableEvent => ({
  defaultPrevented: false,
  preventDefault() {
    this.defaultPrevented = true;
  },
});

export interface FakeFrame {
  url: string;
  parent: FakeFrame | null;
}

let nextContentsId = 1;

export class FakeWebContents extends EventEmitter {
  readonly id = nextContentsId++;
  readonly mainFrame: FakeFrame = { url: '', parent: null };
  windowOpenHandler: ((details: { url: string }) => { action: string }) | null = null;
  destroyed = false;
  readonly send = vi.fn<(channel: string, ...args: unknown[]) => void>();
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
    this.windowOpenHandler = handler;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  async loadURL(url: string): Promise<void> {
    this.mainFrame.url = url;
  }
}

export class FakeBrowserWindow extends EventEmitter {
  static readonly all: FakeBrowserWindow[] = [];
  readonly webContents = new FakeWebContents();
  minimized = false;
  visible = false;
  focused = false;
  destroyed = false;
  constructor(readonly options: { webPreferences?: Record<string, unknown> } & Record<string, unknown>) {
    super();
    FakeBrowserWindow.all.push(this);
    fake().app.emit('web-contents-created', {}, this.webContents);
  }
  loadURL(url: string): Promise<void> {
    return this.webContents.loadURL(url);
  }
  isMinimized(): boolean {
    return this.minimized;
  }
  minimize(): void {
    this.minimized = true;
  }
  restore(): void {
    this.minimized = false;
  }
  isVisible(): boolean {
    return this.visible;
  }
  show(): void {
    this.visible = true;
  }
  hide(): void {
    this.visible = false;
  }
  focus(): void {
    this.focused = true;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  close(): void {
    this.destroyed = true;
    this.webContents.destroyed = true;
    this.emit('closed');
  }
}

class FakeApp extends EventEmitter {
  singleInstance = true;
  isPackaged = false;
  quitted = false;
  exitCode: number | null = null;
  loginItem = { openAtLogin: false };
  readonly paths = new Map<string, string>();
  readonly requestSingleInstanceLock = vi.fn(() => this.singleInstance);
  readonly enableSandbox = vi.fn();
  readonly whenReady = vi.fn(async () => undefined);
  readonly setLoginItemSettings = vi.fn((settings: { openAtLogin?: boolean }) => {
    this.loginItem = { openAtLogin: settings.openAtLogin ?? false };
  });
  readonly getLoginItemSettings = vi.fn(() => ({ ...this.loginItem }));
  readonly quit = vi.fn(() => {
    const event = preventable();
    this.emit('before-quit', event);
    if (event.defaultPrevented) return;
    this.emit('will-quit', preventable());
    this.quitted = true;
  });
  readonly exit = vi.fn((code?: number) => {
    this.exitCode = code ?? 0;
  });
  name = 'Portcullis';
  setPath(name: string, path: string): void {
    this.paths.set(name, path);
  }
  getPath(name: string): string {
    const path = this.paths.get(name);
    if (path === undefined) throw new Error(`Failed to get '${name}' path`);
    return path;
  }
  setAppLogsPath(path?: string): void {
    this.paths.set('logs', path ?? join(this.getPath('userData'), 'logs'));
  }
  getVersion(): string {
    return '0.0.0-test';
  }
  getAppPath(): string {
    return '/opt/Portcullis/resources/app.asar';
  }
  getName(): string {
    return this.name;
  }
  reset(): void {
    this.removeAllListeners();
    this.singleInstance = true;
    this.isPackaged = false;
    this.quitted = false;
    this.exitCode = null;
    this.loginItem = { openAtLogin: false };
    this.paths.clear();
    for (const mock of [this.requestSingleInstanceLock, this.enableSandbox, this.whenReady, this.setLoginItemSettings, this.getLoginItemSettings, this.quit, this.exit]) {
      mock.mockClear();
    }
  }
}

class FakeIpcMain {
  readonly handlers = new Map<string, Handler>();
  handle(channel: string, handler: Handler): void {
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, handler);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  reset(): void {
    this.handlers.clear();
  }
  /** What a renderer's ipcRenderer.invoke reaches: the handler, or Electron's rejection. */
  async invoke(channel: string, event: unknown, ...args: unknown[]): Promise<unknown> {
    const handler = this.handlers.get(channel);
    if (!handler) throw new Error(`Error invoking remote method '${channel}': Error: No handler registered for '${channel}'`);
    return handler(event, ...args);
  }
}

type ProtocolHandler = (request: Request) => Response | Promise<Response>;

class FakeProtocol {
  readonly privileged: { scheme: string; privileges?: Record<string, boolean> }[] = [];
  readonly handlers = new Map<string, ProtocolHandler>();
  registerSchemesAsPrivileged(schemes: { scheme: string; privileges?: Record<string, boolean> }[]): void {
    this.privileged.push(...schemes);
  }
  handle(scheme: string, handler: ProtocolHandler): void {
    this.handlers.set(scheme, handler);
  }
  reset(): void {
    this.privileged.length = 0;
    this.handlers.clear();
  }
}

type PermissionRequestHandler = (contents: unknown, permission: string, callback: (granted: boolean) => void, details: unknown) => void;
type PermissionCheckHandler = (contents: unknown, permission: string, origin: string, details: unknown) => boolean;

class FakeSession {
  permissionRequestHandler: PermissionRequestHandler | null = null;
  permissionCheckHandler: PermissionCheckHandler | null = null;
  setPermissionRequestHandler(handler: PermissionRequestHandler): void {
    this.permissionRequestHandler = handler;
  }
  setPermissionCheckHandler(handler: PermissionCheckHandler): void {
    this.permissionCheckHandler = handler;
  }
  reset(): void {
    this.permissionRequestHandler = null;
    this.permissionCheckHandler = null;
  }
}

export interface FakeMenu {
  template: unknown[];
}

class FakeTray extends EventEmitter {
  static readonly all: FakeTray[] = [];
  tooltip = '';
  menu: FakeMenu | null = null;
  image: unknown;
  constructor(image: unknown) {
    super();
    this.image = image;
    FakeTray.all.push(this);
  }
  setToolTip(text: string): void {
    this.tooltip = text;
  }
  setContextMenu(menu: FakeMenu | null): void {
    this.menu = menu;
  }
  setImage(image: unknown): void {
    this.image = image;
  }
  destroy(): void {}
}

const image = (source: string): Record<string, unknown> => ({
  source,
  isEmpty: () => false,
  resize: () => image(source),
  setTemplateImage: () => undefined,
});

class FakeNotification extends EventEmitter {
  static readonly shown: FakeNotification[] = [];
  static isSupported(): boolean {
    return true;
  }
  constructor(readonly options: Record<string, unknown>) {
    super();
  }
  show(): void {
    FakeNotification.shown.push(this);
  }
  close(): void {}
}

function createFake() {
  let clipboardText = '';
  const ipcRenderer = Object.assign(new EventEmitter(), {
    invoke: vi.fn<(channel: string, ...args: unknown[]) => Promise<unknown>>(),
  });
  const menus = { application: null as FakeMenu | null };
  return {
    app: new FakeApp(),
    BrowserWindow: FakeBrowserWindow,
    ipcMain: new FakeIpcMain(),
    protocol: new FakeProtocol(),
    session: { defaultSession: new FakeSession() },
    menus,
    Menu: {
      buildFromTemplate: (template: unknown[]): FakeMenu => ({ template }),
      setApplicationMenu: vi.fn((menu: FakeMenu | null) => {
        menus.application = menu;
      }),
    },
    dialog: {
      showErrorBox: vi.fn<(title: string, content: string) => void>(),
      showMessageBox: vi.fn(async () => ({ response: 0, checkboxChecked: false })),
    },
    clipboard: {
      writeText: (text: string) => void (clipboardText = text),
      readText: () => clipboardText,
      clear: () => void (clipboardText = ''),
    },
    contextBridge: { exposeInMainWorld: vi.fn<(key: string, api: unknown) => void>() },
    ipcRenderer,
    Tray: FakeTray,
    Notification: FakeNotification,
    nativeImage: {
      createFromPath: (path: string) => image(path),
      createFromDataURL: (url: string) => image(url),
      createFromBuffer: () => image('buffer'),
      createEmpty: () => image(''),
    },
    shell: { openExternal: vi.fn(async () => undefined), showItemInFolder: vi.fn() },
  };
}

export type FakeElectron = ReturnType<typeof createFake>;

const slot = globalThis as { __portcullisFakeElectron?: FakeElectron };

/** The one fake for this test file's process. */
export function fake(): FakeElectron {
  return (slot.__portcullisFakeElectron ??= createFake());
}

/** The module `vi.mock('electron', …)` should return. */
export function fakeElectronModule(): FakeElectron & { default: FakeElectron } {
  const module = fake();
  return { ...module, default: module };
}

/** A clean slate between launches: fresh app, IPC, protocol, session and windows. */
export function resetFakeElectron(): FakeElectron {
  const f = fake();
  for (const window of FakeBrowserWindow.all) window.removeAllListeners();
  FakeBrowserWindow.all.length = 0;
  FakeTray.all.length = 0;
  FakeNotification.shown.length = 0;
  // Reset in place: the shell holds references to these very objects.
  f.app.reset();
  f.ipcMain.reset();
  f.protocol.reset();
  f.session.defaultSession.reset();
  f.menus.application = null;
  vi.mocked(f.Menu.setApplicationMenu).mockClear();
  f.dialog.showErrorBox.mockClear();
  f.contextBridge.exposeInMainWorld.mockClear();
  f.ipcRenderer.invoke.mockReset();
  f.ipcRenderer.removeAllListeners();
  return f;
}
