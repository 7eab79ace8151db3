import type { KeychainStatus, TokenView } from '../contract/tokens.js';
import { KeychainUnavailableError, type AuditPort, type Clipboard, type Keychain, type KnownSecrets } from '../ports.js';
import { ClientTokenService, type ServerRef } from './client-tokens.js';
import { ClipboardCopier } from './clipboard-copy.js';
import { guardKeychain } from './guarded-keychain.js';
import type { TokenStore } from './records.js';
import { UpstreamTokenService, type NativeTokenSpec } from './upstream-tokens.js';

export interface SecretsOptions {
  homeId: string;
  keychain: Keychain;
  store: TokenStore;
  audit: AuditPort;
  serverName: (serverId: string) => string | null;
  emit: (view: TokenView) => void;
  /** From the server's profile: which variable and header carry its own token. */
  profileSpec?: (serverId: string) => NativeTokenSpec | null;
  /** Desktop only. */
  clipboard?: Clipboard;
  now?: () => number;
}

export interface Secrets {
  /** For the gateway: verify, onInvalidated, ensureClientToken. */
  client: ClientTokenService;
  /** For the supervisor (extraEnv, native tokens) and the gateway (auth header). */
  upstream: UpstreamTokenService;
  /** For the supervisor's log redaction. */
  knownSecrets: KnownSecrets;
  /** The supervisor's extraEnv hook. */
  extraEnv: (server: ServerRef) => Promise<Record<string, string>>;
  clipboard: ClipboardCopier | null;
  keychainStatus(): Promise<KeychainStatus>;
  forgetServer(serverId: string): Promise<void>;
  close(): Promise<void>;
}

/** The secrets module: client tokens, servers' own tokens, and the keychain they live in. */
export function createSecrets(options: SecretsOptions): Secrets {
  const keychain = guardKeychain(options.keychain);
  const client = new ClientTokenService({
    homeId: options.homeId,
    keychain,
    store: options.store,
    audit: options.audit,
    serverName: options.serverName,
    emit: options.emit,
    now: options.now,
  });
  const upstream = new UpstreamTokenService({
    homeId: options.homeId,
    keychain,
    store: options.store,
    audit: options.audit,
    profileSpec: options.profileSpec ?? (() => null),
    now: options.now,
  });
  const clipboard = options.clipboard ? new ClipboardCopier(options.clipboard) : null;
  return {
    client,
    upstream,
    knownSecrets: (serverId) => upstream.known(serverId),
    extraEnv: (server) => upstream.env(server),
    clipboard,
    async keychainStatus() {
      try {
        // A read of an account that does not exist: proves the Secret Service answers and is unlocked.
        await keychain.get(`${options.homeId}/probe`);
        return { available: true, message: null };
      } catch (err) {
        if (err instanceof KeychainUnavailableError) return { available: false, message: err.message };
        throw err;
      }
    },
    async forgetServer(serverId) {
      await client.forgetServer(serverId);
      await upstream.forgetServer(serverId);
    },
    async close() {
      client.close();
      await clipboard?.close();
    },
  };
}
