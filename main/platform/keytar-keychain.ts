import { KeychainUnavailableError, type Keychain } from '../core/ports.js';
import { explainKeychainError } from './keychain-errors.js';

export const KEYCHAIN_SERVICE = 'Portcullis';

/** A keychain that waits on an unlock prompt longer than this is reported, not waited on forever. */
const ANSWER_TIMEOUT_MS = 60_000;

type Keytar = typeof import('keytar');

let loading: Promise<Keytar> | null = null;

/** Loaded on first use, so a missing native build is a clear refusal, not a crash at start. */
function keytar(): Promise<Keytar> {
  loading ??= import('keytar').then((m) => ((m as { default?: Keytar }).default ?? m) as Keytar);
  return loading;
}

async function call<T>(op: (k: Keytar) => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const k = await keytar();
    return await Promise.race([
      op(k),
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new KeychainUnavailableError(`keychain unavailable: no answer from the OS keychain within ${ANSWER_TIMEOUT_MS / 1000} s — it may be locked and waiting for you to unlock it.`)),
          ANSWER_TIMEOUT_MS,
        );
        timer.unref();
      }),
    ]);
  } catch (err) {
    if (err instanceof KeychainUnavailableError) throw err;
    throw explainKeychainError(err);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The OS keychain through keytar: libsecret (gnome-keyring, KWallet) on Linux, Keychain
 * Services on macOS, Credential Manager on Windows. Service "Portcullis".
 */
export function openKeytarKeychain(service = KEYCHAIN_SERVICE): Keychain {
  return {
    get: (account) => call((k) => k.getPassword(service, account)),
    set: (account, secret) => call((k) => k.setPassword(service, account, secret)),
    delete: (account) => call((k) => k.deletePassword(service, account)),
    find: async (prefix) => {
      const all = await call((k) => k.findCredentials(service));
      return all.filter((c) => c.account.startsWith(prefix)).map((c) => ({ account: c.account, secret: c.password }));
    },
  };
}
