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

/** No navigation away from the app, no new windows, no webviews. */
export function hardenContents(contents: WebContents): void {
  contents.on('will-navigate', (event, url) => {
    if (!url.startsWith(`${APP_ORIGIN}/`)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!url.startsWith(`${APP_ORIGIN}/`)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}

/** Camera, microphone, notifications from the page, geolocation…: the app needs none. */
export function denyPermissions(session: Session): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
}

/** Only our own window's main frame, showing our own origin, may call the engine. */
export function isTrustedSender(
  frame: { url: string } | null | undefined,
  sender: WebContents,
  window: { webContents: WebContents } | null,
): boolean {
  if (!frame || !window || sender.id !== window.webContents.id) return false;
  try {
    return new URL(frame.url).origin === APP_ORIGIN;
  } catch {
    return false;
  }
}
