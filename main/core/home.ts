import { chmodSync, mkdirSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { createHash } from 'node:crypto';
import { PortcullisError } from './errors.js';

/**
 * Where the desktop app keeps its data (Electron's userData for productName "Portcullis"),
 * computed without Electron so the CLI finds a running desktop app by default.
 */
export function defaultHome(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Portcullis');
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Portcullis');
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'Portcullis');
}

/** `--home DIR`, else `PORTCULLIS_HOME`, else the desktop app's user-data directory. */
export function resolveHome(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  const chosen = flag ?? (env.PORTCULLIS_HOME || undefined);
  return resolve(chosen ?? defaultHome(env));
}

/** Creates the home directory if needed and keeps it private to this user. */
export function ensureHome(home: string): void {
  try {
    mkdirSync(home, { recursive: true, mode: 0o700 });
    if (process.platform !== 'win32') chmodSync(home, 0o700);
  } catch (err) {
    throw new PortcullisError(
      'failed',
      `cannot use ${home} as the Portcullis home: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}. Choose another with --home DIR or PORTCULLIS_HOME.`,
    );
  }
  if (!statSync(home).isDirectory()) {
    throw new PortcullisError('failed', `${home} is not a directory; choose another home with --home DIR.`);
  }
}

/** The control endpoint the CLI talks to: a 0600 Unix socket, or a per-home named pipe on Windows. */
export function controlSocketPath(home: string, platform = process.platform): string {
  if (platform === 'win32') {
    const id = createHash('sha256').update(home.toLowerCase()).digest('hex').slice(0, 16);
    return `\\\\.\\pipe\\portcullis-${id}`;
  }
  const path = join(home, 'control.sock');
  // sun_path holds 108 bytes on Linux and 104 on macOS.
  if (Buffer.byteLength(path) > 103) {
    throw new PortcullisError(
      'failed',
      `the control socket path ${path} is too long for a Unix socket (over 103 bytes); choose a shorter home with --home DIR.`,
    );
  }
  return path;
}

export const settingsFile = (home: string): string => join(home, 'config.json');
