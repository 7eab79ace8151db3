import type { Actor } from '../api.js';
import type { UpstreamTokenView } from '../contract/tokens.js';
import type { AuditPort, Keychain, UpstreamAuth } from '../ports.js';
import { upstreamAccount } from './accounts.js';
import type { ServerRef } from './client-tokens.js';
import type { TokenStore, UpstreamTokenRecord } from './records.js';
import { fingerprintOf, newSecret } from './token-format.js';

/** How a server takes its own token: from its profile, or set by the user for a plain command. */
export interface NativeTokenSpec {
  env: string;
  header: string;
  /** `Bearer`, `token`, or empty for the bare value. */
  scheme: string;
}

export interface UpstreamTokenDeps {
  homeId: string;
  keychain: Keychain;
  store: TokenStore;
  audit: AuditPort;
  /** The profile's facts (JUPYTER_TOKEN with `Authorization: token …`, …), when it has any. */
  profileSpec: (serverId: string) => NativeTokenSpec | null;
  now?: () => number;
}

const system: Actor = { kind: 'system' };

/**
 * One token per server for servers that check a token themselves. It reaches the server only
 * through its environment (never argv, which every local user can read), and the gateway adds
 * it to forwarded requests. The plaintext stays in memory while the server may need it.
 */
export class UpstreamTokenService {
  private readonly plaintext = new Map<string, string>();
  private readonly headers = new Map<string, { secret: string; auth: { header: string; value: string } }>();
  private readonly warming = new Map<string, Promise<void>>();
  private readonly failures = new Map<string, unknown>();
  private readonly now: () => number;

  constructor(private readonly deps: UpstreamTokenDeps) {
    this.now = deps.now ?? Date.now;
  }

  spec(serverId: string): NativeTokenSpec | null {
    const record = this.record(serverId);
    return record ? { env: record.env, header: record.header, scheme: record.scheme } : this.deps.profileSpec(serverId);
  }

  /**
   * The variables to add to the server's environment at start: its token, made on first use.
   * Throws KeychainUnavailableError rather than start the server with no token or a token
   * kept anywhere else.
   */
  async env(server: ServerRef): Promise<Record<string, string>> {
    const spec = this.spec(server.id);
    if (!spec) return {};
    let secret = this.plaintext.get(server.id) ?? (await this.deps.keychain.get(upstreamAccount(this.deps.homeId, server.id)));
    if (secret === null) secret = await this.store(server, spec, system, 'upstream-token.create');
    this.plaintext.set(server.id, secret);
    this.headers.delete(server.id);
    return { [spec.env]: secret };
  }

  /**
   * Reads (or makes) the tokens of these servers into memory ahead of their start, for the
   * synchronous callers (the gateway's upstream header, log redaction). A failure is kept and
   * tried again only with `retry`, so a locked keychain is not asked on every server event.
   */
  async warm(servers: readonly ServerRef[], retry = false): Promise<void> {
    for (const server of servers) {
      if (!this.spec(server.id) || this.plaintext.has(server.id) || this.warming.has(server.id)) continue;
      if (this.failures.has(server.id) && !retry) continue;
      const pending = this.env(server).then(
        () => void this.failures.delete(server.id),
        (err: unknown) => void this.failures.set(server.id, err),
      );
      this.warming.set(server.id, pending);
      await pending.finally(() => this.warming.delete(server.id));
    }
  }

  /** The header the gateway adds to forwarded requests (known once the server has started). */
  readonly auth: UpstreamAuth = (serverId) => {
    // Called for every forwarded request: most servers hold no token of their own, and those
    // that do have their header computed once per secret, not re-read from settings each time.
    const secret = this.plaintext.get(serverId);
    if (secret === undefined) return null;
    const cached = this.headers.get(serverId);
    if (cached?.secret === secret) return cached.auth;
    const spec = this.spec(serverId);
    if (!spec) return null;
    const auth = { header: spec.header, value: spec.scheme ? `${spec.scheme} ${secret}` : secret };
    this.headers.set(serverId, { secret, auth });
    return auth;
  };

  /** Plaintexts held in memory for the server, for log redaction. */
  known(serverId: string): string[] {
    const secret = this.plaintext.get(serverId);
    return secret === undefined ? [] : [secret];
  }

  view(server: ServerRef): UpstreamTokenView | null {
    const spec = this.spec(server.id);
    if (!spec) return null;
    const record = this.record(server.id);
    return { server: server.name, ...spec, fingerprint: record?.fingerprint ?? null, created: record?.createdAt ?? null };
  }

  /** Says which variable a plain command reads its token from; the token is made now. */
  async configure(server: ServerRef, spec: NativeTokenSpec, actor: Actor): Promise<UpstreamTokenView> {
    const secret = await this.store(server, spec, actor, 'upstream-token.set');
    this.plaintext.set(server.id, secret);
    this.headers.delete(server.id);
    this.failures.delete(server.id);
    return this.view(server) as UpstreamTokenView;
  }

  /** A new secret; the caller restarts a running server so it takes it. */
  async rotate(server: ServerRef, actor: Actor): Promise<UpstreamTokenView | null> {
    const spec = this.spec(server.id);
    if (!spec) return null;
    const secret = await this.store(server, spec, actor, 'upstream-token.rotate');
    this.plaintext.set(server.id, secret);
    this.headers.delete(server.id);
    return this.view(server);
  }

  async forgetServer(serverId: string): Promise<void> {
    this.plaintext.delete(serverId);
    this.headers.delete(serverId);
    this.failures.delete(serverId);
    this.deps.store.write((draft) => {
      draft.upstream = draft.upstream.filter((r) => r.serverId !== serverId);
    });
    await this.deps.keychain.delete(upstreamAccount(this.deps.homeId, serverId)).catch(() => false);
  }

  private record(serverId: string): UpstreamTokenRecord | undefined {
    return this.deps.store.read().upstream.find((r) => r.serverId === serverId);
  }

  private async store(server: ServerRef, spec: NativeTokenSpec, actor: Actor, action: string): Promise<string> {
    const secret = newSecret();
    await this.deps.keychain.set(upstreamAccount(this.deps.homeId, server.id), secret);
    // In memory as soon as it is in the keychain: a start that comes meanwhile must use it.
    this.plaintext.set(server.id, secret);
    this.headers.delete(server.id);
    this.failures.delete(server.id);
    const record: UpstreamTokenRecord = {
      serverId: server.id,
      ...spec,
      fingerprint: fingerprintOf(secret),
      createdAt: new Date(this.now()).toISOString(),
    };
    this.deps.store.write((draft) => {
      draft.upstream = [...draft.upstream.filter((r) => r.serverId !== server.id), record];
    });
    await this.deps.audit.record({
      kind: 'control',
      actor,
      action,
      server: server.name,
      outcome: 'ok',
      params: { env: spec.env, fingerprint: record.fingerprint },
    });
    return secret;
  }
}
