import { BrowserWindow } from 'electron';
import { APP_URL, hardenContents, secureWebPreferences } from './security.js';

export function createMainWindow(preload: string): BrowserWindow {
  const window = new BrowserWindow({
    width: 1200,
    height: 800,
    minWidth: 640,
    minHeight: 480,
    title: 'Portcullis',
    show: false,
    webPreferences: secureWebPreferences(preload),
  });
  hardenContents(window.webContents);
  window.once('ready-to-show', () => window.show());
  void window.loadURL(APP_URL);
  return window;
}
