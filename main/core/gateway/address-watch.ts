import type { NetworkInterfaceView } from '../contract/exposure.js';
import { BackgroundPoll } from './background-poll.js';
import { isLoopbackAddress } from './interfaces.js';

/** Checks in a row that must miss an address before it counts as gone: a VPN reconnecting is a blip, not a move. */
const MISSES = 2;

const comparable = (address: string): string => address.split('%')[0]?.toLowerCase() ?? address;

/**
 * A LAN listener is bound to one address of this machine, meant for the network the user chose.
 * When that address leaves the machine (the laptop joined another network, the VPN went down),
 * the listener would otherwise stay bound and come back to life on whichever network next hands
 * this machine the same address — a café's 192.168.1.x as readily as home's. So the exposure
 * ends instead (fail closed). Polls while any such listener is open; loopback binds (tests,
 * one-machine setups) cannot leave and are not watched.
 */
export class AddressWatch {
  private readonly poll: BackgroundPoll;
  private readonly watched = new Map<string, { address: string; misses: number }>();

  constructor(
    private readonly interfaces: () => NetworkInterfaceView[],
    intervalMs: number,
    /** The address has been missing from every check in a row: the exposure should end. */
    private readonly gone: (serverId: string, address: string) => void,
  ) {
    this.poll = new BackgroundPoll(intervalMs, () => this.check());
  }

  /** Watches exactly these listeners' addresses (server id → bind address). */
  sync(binds: ReadonlyArray<readonly [serverId: string, address: string]>): void {
    const next = new Map<string, { address: string; misses: number }>();
    for (const [serverId, address] of binds) {
      if (isLoopbackAddress(comparable(address))) continue;
      const known = this.watched.get(serverId);
      next.set(serverId, known?.address === address ? known : { address, misses: 0 });
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
    let present: Set<string>;
    try {
      present = new Set(this.interfaces().map((i) => comparable(i.address)));
    } catch {
      return; // Could not list the interfaces this time: no evidence either way.
    }
    for (const [serverId, w] of [...this.watched]) {
      if (present.has(comparable(w.address))) {
        w.misses = 0;
        continue;
      }
      if (++w.misses < MISSES) continue;
      this.watched.delete(serverId);
      this.gone(serverId, w.address);
    }
    if (this.watched.size === 0) this.stop();
  }
}
