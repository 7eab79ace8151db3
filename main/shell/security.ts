import type { Session, WebContents, WebPreferences } from 'electron';

export const APP_ORIGIN = 'app://portcullis';
export const APP_URL = `${APP_ORIGIN}/index.html`;

/** The window's renderer is a web page with no Node: it reaches the engine only via preload. */
export function secureWebPreferences(preload: string): WebPreferences {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    spellcheck: false,
  };
}

/** No navigation away from the app, no new windows, no webviews. Applied to every webContents. */
export function hardenContents(contents: WebContents): void {
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}

/** Camera, microphone, notifications from the page, geolocation…: the app needs none. */
export function denyPermissions(session: Session): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
}

/** The parts of Electron's WebFrameMain the sender check reads. */
export interface SenderFrame {
  url: string;
  parent: unknown;
}

/**
 * Only our own window's top frame, showing our own origin, may call the engine: not another
 * window or webContents, not an iframe (even one of ours), not a page that navigated away.
 */
export function isTrustedSender(
  frame: SenderFrame | null | undefined,
  sender: WebContents,
  window: { webContents: WebContents } | null,
): boolean {
  if (!frame || !window || sender.id !== window.webContents.id) return false;
  if (frame.parent !== null) return false;
  return isAppUrl(frame.url);
}

/**
 * Whether a URL is one of the app's own pages. Compared by scheme and host, because a
 * WHATWG URL reports the origin of a custom scheme as "null".
 */
export function isAppUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'app:' && parsed.host === 'portcullis' && parsed.username === '' && parsed.password === '';
  } catch {
    return false;
  }
}
