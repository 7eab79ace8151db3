import type { Keychain } from '../ports.js';

/** An in-memory Keychain: for tests and benchmarks (the real keyring is exercised in integration tests). */
export class MemoryKeychain implements Keychain {
  readonly entries = new Map<string, string>();
  async get(account: string): Promise<string | null> {
    return this.entries.get(account) ?? null;
  }
  async set(account: string, secret: string): Promise<void> {
    this.entries.set(account, secret);
  }
  async delete(account: string): Promise<boolean> {
    return this.entries.delete(account);
  }
  async find(prefix: string): Promise<Array<{ account: string; secret: string }>> {
    return [...this.entries].filter(([a]) => a.startsWith(prefix)).map(([account, secret]) => ({ account, secret }));
  }
}
