import { execFile } from 'node:child_process';
import { cleanup } from './cleanup.js';
import type { ArgsOf, CallContext, MethodName, ResultOf } from '../../main/core/api.js';
import { startEngine, type Engine } from '../../main/core/engine.js';
import type { Clipboard, Keychain } from '../../main/core/ports.js';
import { openConfBackend } from '../../main/core/settings/conf-backend.js';
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

export interface KeyringEngine extends Engine {
  call<M extends MethodName>(method: M, args: ArgsOf<M>): Promise<ResultOf<M>>;
}

/** A real engine on a temporary home with the given keychain (the real one by default). */
export async function startKeyringEngine(home = tempDir(), keychain: Keychain = openKeytarKeychain(), clipboard?: Clipboard): Promise<KeyringEngine> {
  const ctx: CallContext = { actor: { kind: 'cli', user: 'test' } };
  const engine = await startEngine({ home, face: 'test', version: 'test', openSettings: openConfBackend, log: () => undefined, keychain, clipboard });
  cleanup(() => engine.close());
  return {
    ...engine,
    async call(method, args) {
      const reply = await engine.panel.dispatch(method, args, ctx);
      if (!reply.ok) throw Object.assign(new Error(reply.error.message), reply.error);
      return reply.result as never;
    },
  };
}
