import { execFile } from 'node:child_process';
import type { Clipboard, Keychain } from '../../main/core/ports.js';
import { startTestEngine, type TestEngine } from './engine.js';
import { openKeytarKeychain } from '../../main/platform/keytar-keychain.js';
import { tempDir } from './tmp.js';

/** Set by scripts/with-keyring.sh: a private gnome-keyring on a private D-Bus session. */
export const hasTestKeyring = process.env.PORTCULLIS_TEST_KEYRING === '1';
export const noKeyringReason =
  'needs the private test keyring: run under `bash scripts/with-keyring.sh` (PORTCULLIS_TEST_KEYRING is unset)';

/** What `secret-tool lookup service Portcullis account ACCOUNT` prints: the secret, or null. */
export function secretToolLookup(account: string): Promise<string | null> {
  return new Promise((resolve, reject) => {
    execFile('secret-tool', ['lookup', 'service', 'Portcullis', 'account', account], (err, stdout) => {
      if (err && (err as { code?: unknown }).code !== 1) return reject(err);
      resolve(err || stdout === '' ? null : stdout);
    });
  });
}

export type KeyringEngine = TestEngine;

/** A real engine on a temporary home with the given keychain (the real one by default). */
export function startKeyringEngine(home = tempDir(), keychain: Keychain = openKeytarKeychain(), clipboard?: Clipboard): Promise<KeyringEngine> {
  return startTestEngine(home, { keychain, clipboard });
}
