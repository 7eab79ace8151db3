/** What the single-instance rule needs of Electron's `app`. */
export interface SingleInstanceApp {
  requestSingleInstanceLock(): boolean;
  on(event: 'second-instance', listener: () => void): unknown;
  quit(): void;
}

export interface FocusableWindow {
  isMinimized(): boolean;
  restore(): void;
  isVisible(): boolean;
  show(): void;
  focus(): void;
}

/**
 * One Portcullis per user: a second launch hands over to the first (which comes to the front)
 * and quits. Returns false in that second copy, which must then start nothing.
 */
export function claimSingleInstance(app: SingleInstanceApp, window: () => FocusableWindow | null): boolean {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return false;
  }
  app.on('second-instance', () => {
    const current = window();
    if (!current) return;
    if (current.isMinimized()) current.restore();
    // Hidden in the tray counts too: bring it back.
    if (!current.isVisible()) current.show();
    current.focus();
  });
  return true;
}
