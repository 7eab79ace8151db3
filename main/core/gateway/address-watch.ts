import type { NetworkInterfaceView } from '../contract/exposure.js';
import { BackgroundPoll } from './background-poll.js';
import { isLoopbackAddress } from './interfaces.js';
import { readRouter, sameRouter, type Router } from './router-identity.js';

/** Checks in a row that must miss an address before it counts as gone: a VPN reconnecting is a blip, not a move. */
const MISSES = 2;

const comparable = (address: string): string => address.split('%')[0]?.toLowerCase() ?? address;

/** Why a watched listener should end: its address is gone, or it now reaches another network. */
export type AddressLoss = { kind: 'gone' } | { kind: 'moved'; from: Router; to: Router };

interface Watched {
  address: string;
  misses: number;
  /** The router of the network the listener was opened on: the first one seen while it was open. */
  router: Router | null;
}

/**
 * A LAN listener is bound to one address of this machine, meant for the network the user chose.
 * When that address leaves the machine (the laptop joined another network, the VPN went down),
 * the listener would otherwise stay bound and come back to life on whichever network next hands
 * this machine the same address — a café's 192.168.1.x as readily as home's. So the exposure
 * ends instead (fail closed). Where the machine's router can be read (Linux), a sleep and wake
 * on such a network is caught too: the address is back, but behind another router. Polls while
 * any such listener is open; loopback binds (tests, one-machine setups) cannot leave and are
 * not watched.
 */
export class AddressWatch {
  private readonly poll: BackgroundPoll;
  private readonly watched = new Map<string, Watched>();

  constructor(
    private readonly interfaces: () => NetworkInterfaceView[],
    intervalMs: number,
    /** The address has been missing, or behind another router, in every check in a row: the exposure should end. */
    private readonly lost: (serverId: string, address: string, loss: AddressLoss) => void,
    private readonly router: (iface: string) => Router | null = readRouter,
  ) {
    this.poll = new BackgroundPoll(intervalMs, () => this.check());
  }

  /** Watches exactly these listeners' addresses (server id → bind address). */
  sync(binds: ReadonlyArray<readonly [serverId: string, address: string]>): void {
    const next = new Map<string, Watched>();
    let listed: Map<string, string> | null = null;
    for (const [serverId, address] of binds) {
      if (isLoopbackAddress(comparable(address))) continue;
      const known = this.watched.get(serverId);
      if (known?.address === address) {
        next.set(serverId, known);
        continue;
      }
      listed ??= this.list();
      const iface = listed?.get(comparable(address));
      next.set(serverId, { address, misses: 0, router: iface === undefined ? null : this.routerOf(iface) });
    }
    this.watched.clear();
    for (const [id, w] of next) this.watched.set(id, w);
    if (this.watched.size === 0) this.stop();
    else this.poll.start();
  }

  stop(): void {
    this.poll.stop();
  }

  private check(): void {
    const present = this.list();
    if (!present) return; // Could not list the interfaces this time: no evidence either way.
    const routers = new Map<string, Router | null>();
    for (const [serverId, w] of [...this.watched]) {
      const iface = present.get(comparable(w.address));
      let moved: Router | null = null;
      if (iface !== undefined) {
        if (!routers.has(iface)) routers.set(iface, this.routerOf(iface));
        const now = routers.get(iface) ?? null;
        // No router known (yet): only the address is evidence.
        if (w.router === null) w.router = now;
        else if (now && !sameRouter(now, w.router)) moved = now;
        if (!moved) {
          w.misses = 0;
          continue;
        }
      }
      if (++w.misses < MISSES) continue;
      this.watched.delete(serverId);
      this.lost(serverId, w.address, moved && w.router ? { kind: 'moved', from: w.router, to: moved } : { kind: 'gone' });
    }
    if (this.watched.size === 0) this.stop();
  }

  /** The machine's addresses → the interface each is on; null when they cannot be listed. */
  private list(): Map<string, string> | null {
    try {
      return new Map(this.interfaces().map((i) => [comparable(i.address), i.name]));
    } catch {
      return null;
    }
  }

  private routerOf(iface: string): Router | null {
    try {
      return this.router(iface);
    } catch {
      return null;
    }
  }
}
