import { randomBytes } from 'node:crypto';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PortcullisError } from '../errors.js';

export const homeIdFile = (home: string): string => join(home, 'home-id');

/**
 * The random id that prefixes this home's keychain accounts. It lives in its own file, not in
 * settings, so a settings file that is reset or moved aside never orphans keychain entries.
 */
export function loadHomeId(home: string): string {
  const path = homeIdFile(home);
  try {
    const existing = readFileSync(path, 'utf8').trim();
    if (/^[a-f0-9]{32}$/.test(existing)) return existing;
    throw new PortcullisError(
      'failed',
      `${path} does not hold a Portcullis home id (32 hex digits). Restore it from a backup, or delete it to start a new id (tokens made under the old id are then no longer found).`,
    );
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const id = randomBytes(16).toString('hex');
  // Written whole or not at all: a half-written id would orphan every token made under it.
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, `${id}\n`, { mode: 0o600 });
  renameSync(temp, path);
  return id;
}
