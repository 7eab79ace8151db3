import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { vi } from 'vitest';
import { APP_URL } from '../../main/shell/security.js';
import { waitFor } from '../helpers/wait.js';
import { FakeBrowserWindow, resetFakeElectron, type FakeElectron } from './fake-electron.js';

export interface LaunchedDesktop {
  electron: FakeElectron;
  home: string;
  /** Where the XDG autostart folder lives for this launch. */
  configHome: string;
}

/**
 * Runs the real shell entry point (main/shell/main.ts) against the fake Electron: a fresh
 * module graph, a fresh home and config folder under `root`. The test file must mock
 * 'electron' and the electron-store backend (see any test in this folder).
 */
export async function launchDesktop(root: string, before?: (electron: FakeElectron) => void): Promise<LaunchedDesktop> {
  const electron = resetFakeElectron();
  const home = mkdtempSync(join(root, 'home-'));
  const configHome = mkdtempSync(join(root, 'cfg-'));
  process.env.PORTCULLIS_HOME = home;
  process.env.XDG_CONFIG_HOME = configHome;
  before?.(electron);
  vi.resetModules();
  await import('../../main/shell/main.js');
  return { electron, home, configHome };
}

/** The main window, once the shell has created it. */
export function mainWindow(): Promise<FakeBrowserWindow> {
  return waitFor(() => FakeBrowserWindow.all[0], 20_000, 'the main window');
}

/** An IPC event as Electron builds it for a call from our window's top frame. */
export function fromWindow(window: FakeBrowserWindow): { sender: FakeBrowserWindow['webContents']; senderFrame: { url: string; parent: null } } {
  return { sender: window.webContents, senderFrame: { url: window.webContents.mainFrame.url || APP_URL, parent: null } };
}

/** Quits like the user does (menu, Cmd+Q) and waits until the quit went through. */
export async function quitDesktop(electron: FakeElectron): Promise<void> {
  electron.app.quit();
  await waitFor(() => electron.app.quitted, 20_000, 'the app to finish quitting');
}
