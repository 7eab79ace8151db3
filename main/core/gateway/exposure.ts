import { hostname } from 'node:os';
import type { Actor } from '../api.js';
import type { AccessRecord, ExposeResult, ExposureChange, ExposureMode, ExposureView, NetworkInterfaceView } from '../contract/exposure.js';
import type { exposeArgs } from '../contract/exposure.js';
import { PortcullisError } from '../errors.js';
import type { AccessEntry, AuditPort, ClientTokens, UpstreamAuth } from '../ports.js';
import { KeychainUnavailableError } from '../ports.js';
import type { z } from 'zod';
import { AccessFeed } from './access-feed.js';
import { AddressWatch, type AddressLoss } from './address-watch.js';
import { isLoopbackAddress, listInterfaces } from './interfaces.js';
import { defaultLimits, type GatewayLimits } from './limits.js';
import { ExposureListener, type UpstreamTarget } from './listener.js';
import { chooseBind } from './bind-choice.js';
import { loadTls, type TlsFiles, type TlsMaterial } from './tls.js';
import { TlsRenewal } from './tls-renewal.js';
import type { Router } from './router-identity.js';
import { ALL_IPV4, ALL_IPV6, certifiedHosts, listenerAddresses, sameBind, urlsFor } from './urls.js';

type ExposeArgs = z.output<typeof exposeArgs>;
type OpenMode = Exclude<ExposureMode, 'local'>;
/** Every way an exposure returns to local. */
type EndCause = Exclude<ExposureChange['cause'], 'exposed'>;

/** What is remembered per server: the last bind and port, so re-exposing keeps its URLs. */
export interface PersistedExposure {
  mode: ExposureMode;
  bind?: string;
  port?: number;
  expiresAt?: string | null;
}

export interface ExposureStore {
  load(): Record<string, PersistedExposure>;
  save(serverId: string, state: PersistedExposure | null): void;
}

export interface ExposureDeps {
  tokens: ClientTokens;
  upstreamAuth: UpstreamAuth;
  audit: AuditPort;
  /** Finds a server by name (throws not_found) and says where its upstream is. */
  servers: {
    resolve(name: string): { id: string; name: string; port: number | undefined };
    target(serverId: string): UpstreamTarget;
  };
  store: ExposureStore;
  onChange(change: ExposureChange): void;
  onAccess(batch: { records: AccessRecord[]; dropped: number }): void;
  /** Overrides of the per-mode limits (tests, benchmarks, settings). */
  limits?: (mode: OpenMode) => GatewayLimits;
  trustedProxies?: string[];
  /** Extra names clients may use in Host (a DNS name pointing at this machine). */
  hostNames?: (serverId: string) => string[];
  interfaces?: () => NetworkInterfaceView[];
  now?: () => number;
  /** The certificate listeners serve HTTPS with; null or absent: plain HTTP. */
  tls?: () => TlsFiles | null;
  /** How often open HTTPS listeners look for a renewed certificate (default one minute). */
  tlsCheckMs?: number;
  /** How often a LAN listener's address is looked for among the machine's (default 5 s; two misses end it). */
  addressCheckMs?: number;
  /** The router an interface reaches other networks through (default: read from /proc on Linux, else unknown). */
  router?: (iface: string) => Router | null;
  /** Something the user must hear of that no request answers (a renewed certificate that is unusable). */
  warn?: (message: string) => void;
}

const PUBLIC_DEFAULT_MS = 3_600_000;

const PLAIN_PUBLIC =
  'traffic to this server, tokens included, crosses the networks unencrypted: set an HTTPS certificate (`portcullis gateway --tls-cert FILE --tls-key FILE`, or Settings → Gateway) or put a TLS proxy in front';

/** The journal's action for each way back to local. */
const CAUSE_ACTIONS: Record<EndCause, string> = {
  'locked-down': 'exposure.lockdown',
  expired: 'exposure.expire',
  removed: 'exposure.remove',
  'address-lost': 'exposure.address-lost',
};

/** Why it ended, for people, where the user did not ask for it. */
const CAUSE_REASONS: Partial<Record<EndCause, (bind: string) => string>> = {
  expired: () => 'time box ran out',
  'address-lost': (bind) => `${bind} is no longer an address of this machine (it joined another network, or the VPN went down)`,
};

interface Open {
  id: string;
  name: string;
  mode: OpenMode;
  bind: string;
  listener: ExposureListener;
  /** The certificate it serves; null: plain HTTP. */
  tls: TlsMaterial | null;
  expiresAt: number | null;
  since: number;
  timer: NodeJS.Timeout | null;
}

/**
 * Local, LAN or public, per server: the gateway's listeners opened and closed on the user's
 * word, never without a client token, public only when confirmed and only for a while, every
 * change audited and announced. Servers are never restarted by any of it.
 */
export class Exposure {
  private readonly open = new Map<string, Open>();
  /** Serialises changes per server: two clicks never race two listeners onto one port. */
  private readonly queue = new Map<string, Promise<unknown>>();
  private readonly feed: AccessFeed;
  private readonly now: () => number;
  private readonly interfaces: () => NetworkInterfaceView[];
  private readonly unsubscribe: () => void;
  /** Bumped by lock down all: an expose still on its way when it came is not completed. */
  private epoch = 0;
  /** Shared by every listener, so a change applies to open ones at once. */
  private readonly trustedProxies: Set<string>;
  /** While an HTTPS listener is open: looks for a renewed certificate. */
  private readonly renewal: TlsRenewal;
  /** While a LAN listener is open: ends it when its address leaves the machine. */
  private readonly addresses: AddressWatch;

  constructor(private readonly deps: ExposureDeps) {
    this.now = deps.now ?? Date.now;
    this.interfaces = deps.interfaces ?? listInterfaces;
    this.feed = new AccessFeed(deps.onAccess);
    this.trustedProxies = new Set(deps.trustedProxies ?? []);
    this.renewal = new TlsRenewal(() => this.deps.tls?.() ?? null, deps.tlsCheckMs ?? 60_000, () => this.renewTls());
    this.addresses = new AddressWatch(
      this.interfaces,
      deps.addressCheckMs ?? 5_000,
      (id, address, loss) => void this.addressLost(id, address, loss),
      deps.router,
    );
    this.unsubscribe = deps.tokens.onInvalidated((serverId, tokenId) => this.open.get(serverId)?.listener.endToken(tokenId));
  }

  /**
   * Portcullis starts with every server local (DESIGN.md: unknown state after a crash → local).
   * Servers that were exposed when it last stopped are returned, so the user is told.
   */
  resetAtStart(): string[] {
    const said: string[] = [];
    for (const [id, state] of Object.entries(this.deps.store.load())) {
      if (state.mode === 'local') continue;
      said.push(id);
      this.deps.store.save(id, { ...state, mode: 'local', expiresAt: null });
    }
    return said;
  }

  /** New trusted proxies, believed by every listener from the next request on. */
  setTrustedProxies(addresses: readonly string[]): void {
    this.trustedProxies.clear();
    for (const a of addresses) this.trustedProxies.add(a);
  }

  /** The names clients may use changed: open listeners re-read them now. */
  refreshHostNames(): void {
    for (const o of this.open.values()) o.listener.refreshHosts();
  }

  /** This machine's own names, always allowed in Host. */
  machineNames(): string[] {
    const own = hostname().toLowerCase();
    return [own, `${own}.local`];
  }

  /**
   * This machine's addresses, the one a LAN exposure of `serverId` would take without a bind
   * marked: chosen by the very rule expose uses, so what the window shows is what happens.
   */
  listInterfaces(serverId?: string): NetworkInterfaceView[] {
    const known = this.interfaces();
    const remembered = serverId === undefined ? undefined : this.deps.store.load()[serverId]?.bind;
    let chosen: string | null;
    try {
      chosen = chooseBind('lan', undefined, remembered, known);
    } catch {
      // No LAN or VPN address: nothing is the default, and expose says so when asked.
      chosen = null;
    }
    return known.map((i) => (i.address === chosen ? { ...i, lanDefault: true } : i));
  }

  view(serverId: string, name: string): ExposureView {
    const o = this.open.get(serverId);
    if (!o) return { server: name, mode: 'local', bind: null, port: null, urls: [], encrypted: false, expiresAt: null, since: null };
    return {
      server: o.name,
      mode: o.mode,
      bind: o.bind,
      port: o.listener.port,
      urls: urlsFor(this.urlHosts(o), o.listener.port, o.tls !== null),
      encrypted: o.tls !== null,
      expiresAt: o.expiresAt === null ? null : new Date(o.expiresAt).toISOString(),
      since: new Date(o.since).toISOString(),
    };
  }

  /**
   * Where clients can reach a listener: its addresses, then the DNS names set for the gateway
   * (`portcullis gateway --host-name`). Over HTTPS only what the certificate names can be
   * verified, so the URLs are those (every address only when it names none of them: the
   * warning at expose says why such URLs fail).
   */
  private urlHosts(o: Open): string[] {
    const addresses = listenerAddresses(o.bind, this.interfaces());
    if (!o.tls) return [...addresses, ...(this.deps.hostNames?.(o.id) ?? [])];
    const verifiable = this.verifiableHosts(o, o.tls);
    return verifiable.length > 0 ? verifiable : addresses;
  }

  /** What an HTTPS client can verify of this listener: see urls.ts certifiedHosts. */
  private verifiableHosts(o: Open, tls: TlsMaterial): string[] {
    return certifiedHosts(tls.names, o.bind, listenerAddresses(o.bind, this.interfaces()), this.deps.hostNames?.(o.id) ?? []);
  }

  /** Re-reads the certificate now: open HTTPS listeners take a renewed one (settings changed, or the files did). */
  renewTls(): void {
    const files = this.deps.tls?.() ?? null;
    const open = [...this.open.values()].filter((o) => o.tls !== null);
    if (!files || open.length === 0) return;
    let material: TlsMaterial;
    try {
      material = loadTls(files);
    } catch (err) {
      this.deps.warn?.(`The gateway's renewed certificate cannot be used (${(err as Error).message}); open HTTPS listeners keep the one they have.`);
      return;
    }
    for (const o of open) {
      o.tls = material;
      o.listener.renewTls(material);
      o.listener.refreshHosts();
    }
  }

  /** What open listeners need watched: a renewed certificate, a LAN address leaving. */
  private watch(): void {
    const open = [...this.open.values()];
    this.renewal.sync(open.find((o) => o.tls !== null)?.tls?.stamp ?? null);
    this.addresses.sync(open.filter((o) => o.mode === 'lan').map((o) => [o.id, o.bind] as const));
  }

  expose(args: ExposeArgs, actor: Actor): Promise<ExposeResult> {
    const server = this.deps.servers.resolve(args.name);
    return this.serial(server.id, () => this.doExpose(server, args, actor));
  }

  lockdown(name: string, actor: Actor): Promise<ExposureView> {
    const server = this.deps.servers.resolve(name);
    return this.serial(server.id, async () => {
      await this.close(server.id, actor, 'locked-down');
      return this.view(server.id, server.name);
    });
  }

  /** Everything at once: every listener and connection is gone before any record is written. */
  async lockdownAll(actor: Actor): Promise<{ closed: string[] }> {
    this.epoch++;
    const targets = [...this.open.values()];
    await Promise.all(targets.map((o) => this.close(o.id, actor, 'locked-down')));
    return { closed: targets.map((o) => o.name) };
  }

  /** The server was removed: its listener goes with it. */
  async forget(serverId: string, actor: Actor): Promise<void> {
    await this.close(serverId, actor, 'removed');
    this.deps.store.save(serverId, null);
  }

  /** Portcullis is quitting: close every listener (the next start is local anyway). */
  async shutdown(): Promise<void> {
    this.unsubscribe();
    this.renewal.stop();
    this.addresses.stop();
    await this.lockdownAll({ kind: 'system' });
    this.feed.flush();
  }

  // ---- internals -------------------------------------------------------------------------

  private async doExpose(server: { id: string; name: string; port: number | undefined }, args: ExposeArgs, actor: Actor): Promise<ExposeResult> {
    if (server.port === undefined) {
      throw new PortcullisError(
        'invalid_args',
        `${server.name} has no port: Portcullis must know which loopback port to forward to. Set it with \`portcullis edit ${server.name} --port N\`.`,
        'name',
      );
    }
    if (args.mode === 'public' && !args.confirm) {
      throw new PortcullisError(
        'forbidden',
        'public mode opens this server to every network this machine is on: confirm it (--yes in the CLI)',
        'confirm',
      );
    }
    const remembered = this.deps.store.load()[server.id];
    const bind = chooseBind(args.mode, args.bind, remembered?.bind, this.interfaces());
    const port = args.port ?? (sameBind(remembered?.bind, bind) ? remembered?.port : undefined) ?? 0;
    const durationMs = args.durationMs === undefined ? (args.mode === 'public' ? PUBLIC_DEFAULT_MS : null) : args.durationMs;

    // Fail closed: no valid client token, or no keychain, means no listener at all.
    let created: ExposeResult['createdToken'] = null;
    try {
      created = (await this.deps.tokens.ensureClientToken(server.id, server.name)).created;
    } catch (err) {
      if (err instanceof KeychainUnavailableError || (err instanceof PortcullisError && err.code === 'unavailable')) {
        await this.audit(actor, 'exposure.expose', server.name, 'denied', { mode: args.mode }, `keychain unavailable: ${err.message}`);
        throw new PortcullisError('unavailable', `exposure refused: the keychain is unavailable (${err.message}). ${server.name} stays local.`);
      }
      throw err;
    }

    // A certificate that is set but unusable refuses the exposure: never a silent fall back to plain HTTP.
    const tlsFiles = this.deps.tls?.() ?? null;
    let tls: TlsMaterial | null = null;
    if (tlsFiles) {
      try {
        tls = loadTls(tlsFiles);
      } catch (err) {
        const message = `exposure refused: ${(err as Error).message} (or return to plain HTTP with \`portcullis gateway --no-tls\`). ${server.name} is unchanged.`;
        await this.audit(actor, 'exposure.expose', server.name, 'error', { mode: args.mode }, (err as Error).message);
        throw new PortcullisError('invalid_args', message, 'tls');
      }
    }

    const current = this.open.get(server.id);
    // Only the time box changes (extending a public exposure, say): the listener stays, and
    // with it every client's open stream and WebSocket.
    if (current && sameListener(current, args.mode, bind, port, tls)) return this.retime(current, durationMs, actor, created);

    const epoch = this.epoch;
    const before = current?.mode ?? 'local';
    // A listener on the same address and port must go before the new one can bind it.
    await this.closeListener(server.id);
    const limits = this.deps.limits?.(args.mode) ?? defaultLimits(args.mode);
    let listener: ExposureListener;
    try {
      listener = await this.openListener(server, args.mode, bind, port, limits, tls);
    } catch (err) {
      if (before !== 'local') this.announce(server.id, server.name, 'locked-down');
      // Port 0 (any free one) is not remembered: there is nothing to keep.
      this.deps.store.save(server.id, { mode: 'local', bind, port: port || undefined, expiresAt: null });
      await this.audit(actor, 'exposure.expose', server.name, 'error', { mode: args.mode, bind, port }, (err as Error).message, before, 'local');
      throw err;
    }
    if (epoch !== this.epoch) {
      await listener.close();
      throw new PortcullisError('conflict', `${server.name} was not exposed: everything was locked down meanwhile`);
    }
    const entry: Open = {
      id: server.id,
      name: server.name,
      mode: args.mode,
      bind: listener.bind,
      listener,
      tls,
      since: this.now(),
      expiresAt: null,
      timer: null,
    };
    this.arm(entry, durationMs);
    this.open.set(server.id, entry);
    const view = this.view(server.id, server.name);
    this.deps.store.save(server.id, { mode: args.mode, bind, port: listener.port, expiresAt: view.expiresAt });
    try {
      await this.audit(actor, 'exposure.expose', server.name, 'ok', { mode: args.mode, bind: listener.bind, port: listener.port, expiresAt: view.expiresAt, tokenCreated: created !== null }, undefined, before, args.mode);
    } catch (err) {
      // An exposure the journal cannot record is not kept (fail closed).
      await this.closeListener(server.id);
      this.deps.store.save(server.id, { mode: 'local', bind, port: listener.port, expiresAt: null });
      if (before !== 'local') this.announce(server.id, server.name, 'locked-down');
      throw new PortcullisError('failed', `exposure refused: the audit journal could not record it (${(err as Error).message})`);
    }
    this.watch();
    this.deps.onChange({ ...view, cause: 'exposed' });
    return { exposure: view, createdToken: created, kept: false, warnings: this.warningsFor(entry) };
  }

  private warningsFor(o: Open): string[] {
    if (!o.tls) return o.mode === 'public' ? [PLAIN_PUBLIC] : [];
    if (this.verifiableHosts(o, o.tls).length > 0) return [];
    return [`the certificate names none of this listener's addresses or names (it is for ${o.tls.names.join(', ') || 'no name at all'}): clients will refuse it`];
  }

  private async openListener(
    server: { id: string; name: string },
    mode: OpenMode,
    bind: string,
    port: number,
    limits: GatewayLimits,
    tls: TlsMaterial | null,
  ): Promise<ExposureListener> {
    const extra = (): string[] => {
      // The names a certificate is for are names the user means clients to use.
      const certified = this.open.get(server.id)?.tls?.names ?? tls?.names ?? [];
      const names = [...this.machineNames(), ...(this.deps.hostNames?.(server.id) ?? []), ...certified];
      if (isLoopbackAddress(bind)) names.push('localhost');
      return [...listenerAddresses(bind, this.interfaces()), ...names];
    };
    const deps = {
      tokens: this.deps.tokens,
      upstreamAuth: this.deps.upstreamAuth,
      upstream: (id: string) => this.deps.servers.target(id),
      record: (e: AccessEntry) => this.access(e),
    };
    const config = { serverId: server.id, serverName: server.name, mode, port, hostNames: extra, limits, trustedProxies: this.trustedProxies, tls };
    try {
      return await ExposureListener.open({ ...config, bind }, deps);
    } catch (err) {
      // Every interface: IPv6 may be disabled on this machine; then IPv4's every-address.
      if (bind === ALL_IPV6 && !(err instanceof PortcullisError && err.code === 'conflict')) {
        return ExposureListener.open({ ...config, bind: ALL_IPV4 }, deps);
      }
      throw err;
    }
  }

  private access(entry: AccessEntry): void {
    this.deps.audit.access(entry);
    this.feed.push(entry);
  }

  /**
   * The same listener, a new time box: recorded like any exposure (from → to, `kept`), and
   * undone if the record cannot be written, so the journal never lags the truth.
   */
  private async retime(o: Open, durationMs: number | null, actor: Actor, created: ExposeResult['createdToken']): Promise<ExposeResult> {
    const previous = o.expiresAt;
    const setBox = (ms: number | null): ExposureView => {
      this.arm(o, ms);
      const view = this.view(o.id, o.name);
      this.deps.store.save(o.id, { mode: o.mode, bind: o.bind, port: o.listener.port, expiresAt: view.expiresAt });
      return view;
    };
    const view = setBox(durationMs);
    try {
      await this.audit(actor, 'exposure.expose', o.name, 'ok', { mode: o.mode, bind: o.bind, port: o.listener.port, expiresAt: view.expiresAt, kept: true, tokenCreated: created !== null }, undefined, o.mode, o.mode);
    } catch (err) {
      if (this.open.get(o.id) === o) setBox(previous === null ? null : Math.max(0, previous - this.now()));
      throw new PortcullisError('failed', `the time box was not changed: the audit journal could not record it (${(err as Error).message})`);
    }
    if (this.open.get(o.id) !== o) throw new PortcullisError('conflict', `${o.name}'s time box was not changed: it was locked down meanwhile`);
    this.deps.onChange({ ...view, cause: 'exposed' });
    return { exposure: view, createdToken: created, kept: true, warnings: this.warningsFor(o) };
  }

  /** A new time box from now (null: until locked down); a timer that fired for an old one does nothing. */
  private arm(o: Open, durationMs: number | null): void {
    if (o.timer) clearTimeout(o.timer);
    o.timer = null;
    o.expiresAt = durationMs === null ? null : this.now() + durationMs;
    if (durationMs === null) return;
    const timer = setTimeout(() => void this.expire(o.id, timer), durationMs);
    timer.unref();
    o.timer = timer;
  }

  private async expire(serverId: string, timer: NodeJS.Timeout): Promise<void> {
    await this.serial(serverId, async () => {
      // Given a new time box, locked down or exposed again while this waited: not this timer's to end.
      if (this.open.get(serverId)?.timer !== timer) return;
      await this.close(serverId, { kind: 'system' }, 'expired');
    });
  }

  /** The address a LAN listener is bound to left this machine, or reaches another network: back to local, said and audited. */
  private async addressLost(serverId: string, address: string, loss: AddressLoss): Promise<void> {
    const lost = this.open.get(serverId);
    if (lost?.bind !== address) return;
    try {
      await this.serial(serverId, async () => {
        // Locked down or exposed again meanwhile: that listener is not the one that lost its address.
        if (this.open.get(serverId) !== lost) return;
        const moved =
          loss.kind === 'moved'
            ? {
                reason: `${address} now reaches another network (its router was ${loss.from.gateway} at ${loss.from.mac}, now ${loss.to.gateway} at ${loss.to.mac})`,
                params: { router: { from: loss.from, to: loss.to } },
              }
            : undefined;
        await this.close(serverId, { kind: 'system' }, 'address-lost', moved);
      });
    } catch (err) {
      this.deps.warn?.(`Ending an exposure whose address left this machine: ${(err as Error).message}`);
    }
  }

  /** Listener and connections first (that is what the user is waiting for), then the record. */
  private async close(serverId: string, actor: Actor, cause: EndCause, detail?: { reason: string; params: Record<string, unknown> }): Promise<void> {
    const o = this.open.get(serverId);
    if (!o) return;
    await this.closeListener(serverId);
    const port = o.listener.port;
    if (cause !== 'removed') this.deps.store.save(serverId, { mode: 'local', bind: o.bind, port, expiresAt: null });
    const reason = detail?.reason ?? CAUSE_REASONS[cause]?.(o.bind);
    this.announce(serverId, o.name, cause, reason);
    await this.audit(actor, CAUSE_ACTIONS[cause], o.name, 'ok', { bind: o.bind, port, ...detail?.params }, reason, o.mode, 'local');
  }

  private async closeListener(serverId: string): Promise<void> {
    const o = this.open.get(serverId);
    if (!o) return;
    this.open.delete(serverId);
    if (o.timer) clearTimeout(o.timer);
    this.watch();
    await o.listener.close();
  }

  private announce(serverId: string, name: string, cause: ExposureChange['cause'], reason?: string): void {
    this.deps.onChange({ ...this.view(serverId, name), cause, ...(reason ? { reason } : {}) });
  }

  private audit(
    actor: Actor,
    action: string,
    server: string,
    outcome: 'ok' | 'denied' | 'error',
    params: Record<string, unknown>,
    reason?: string,
    from?: ExposureMode,
    to?: ExposureMode,
  ): Promise<void> {
    return this.deps.audit.record({ kind: 'control', actor, action, server, outcome, params, reason, from, to });
  }

  private serial<T>(serverId: string, work: () => Promise<T>): Promise<T> {
    const prior = this.queue.get(serverId) ?? Promise.resolve();
    const next = prior.then(work, work);
    const settled = next.catch(() => undefined);
    this.queue.set(serverId, settled);
    void settled.then(() => {
      if (this.queue.get(serverId) === settled) this.queue.delete(serverId);
    });
    return next;
  }
}

/** Whether an exposure asked for is the open one with, at most, another time box. */
function sameListener(o: Open, mode: OpenMode, bind: string, port: number, tls: TlsMaterial | null): boolean {
  const sameTls = o.tls === null || tls === null ? o.tls === tls : o.tls.cert.equals(tls.cert) && o.tls.key.equals(tls.key);
  return o.mode === mode && sameBind(o.bind, bind) && (port === 0 || port === o.listener.port) && sameTls;
}
