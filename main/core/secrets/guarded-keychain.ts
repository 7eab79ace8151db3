import { PortcullisError } from '../errors.js';
import { KeychainUnavailableError, type Keychain } from '../ports.js';

/**
 * Whatever a keychain adapter throws reaches callers as KeychainUnavailableError, so every
 * face shows one kind of refusal and nothing falls back to another store.
 */
export function guardKeychain(keychain: Keychain): Keychain {
  const guard = async <T>(op: () => Promise<T>): Promise<T> => {
    try {
      return await op();
    } catch (err) {
      if (err instanceof PortcullisError) throw err;
      throw new KeychainUnavailableError(
        `the OS keychain failed (${(err as Error).message ?? String(err)}); check that it is installed and unlocked, then try again.`,
      );
    }
  };
  return {
    get: (account) => guard(() => keychain.get(account)),
    set: (account, secret) => guard(() => keychain.set(account, secret)),
    delete: (account) => guard(() => keychain.delete(account)),
    find: (prefix) => guard(() => keychain.find(prefix)),
  };
}

/** For engines built without a keychain: every use is refused, with the reason. */
export function unavailableKeychain(cause: string): Keychain {
  const refuse = async (): Promise<never> => {
    throw new KeychainUnavailableError(cause);
  };
  return { get: refuse, set: refuse, delete: refuse, find: refuse };
}
