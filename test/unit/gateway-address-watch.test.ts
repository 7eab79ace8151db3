import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { NetworkInterfaceView } from '../../main/core/contract/exposure.js';
import { AddressWatch, type AddressLoss } from '../../main/core/gateway/address-watch.js';
import type { Router } from '../../main/core/gateway/router-identity.js';

// The machine's own router is never read here: these cases watch addresses alone.
const noRouter = (): Router | null => null;

const view = (address: string): NetworkInterfaceView => ({
  name: 'eth0',
  address,
  family: address.includes(':') ? 'IPv6' : 'IPv4',
  cidr: null,
  kind: 'lan',
  label: 'LAN',
});

describe('AddressWatch (a LAN listener whose address leaves the machine)', () => {
  let present: string[];
  let gone: Array<[string, string]>;
  let watch: AddressWatch;

  beforeEach(() => {
    vi.useFakeTimers();
    present = ['192.168.1.20', 'fe80::1', '100.101.102.103'];
    gone = [];
    watch = new AddressWatch(() => present.map(view), 1_000, (id, address) => gone.push([id, address]), noRouter);
  });
  afterEach(() => {
    watch.stop();
    vi.useRealTimers();
  });

  it('reports an address missing from two checks in a row, once', () => {
    watch.sync([['chat', '192.168.1.20']]);
    vi.advanceTimersByTime(3_000);
    expect(gone).toEqual([]);
    present = ['100.101.102.103'];
    vi.advanceTimersByTime(1_000);
    expect(gone).toEqual([]);
    vi.advanceTimersByTime(1_000);
    expect(gone).toEqual([['chat', '192.168.1.20']]);
    // Reported once; nothing left to watch, so the timer stopped.
    vi.advanceTimersByTime(5_000);
    expect(gone).toHaveLength(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('forgives a blip: missing once, then back (a VPN reconnecting)', () => {
    watch.sync([['chat', '100.101.102.103']]);
    present = ['192.168.1.20'];
    vi.advanceTimersByTime(1_000);
    present = ['192.168.1.20', '100.101.102.103'];
    vi.advanceTimersByTime(1_000);
    present = ['192.168.1.20'];
    vi.advanceTimersByTime(1_000);
    expect(gone).toEqual([]);
    vi.advanceTimersByTime(1_000);
    expect(gone).toEqual([['chat', '100.101.102.103']]);
  });

  it('matches IPv6 without its zone and in any case; never watches loopback', () => {
    watch.sync([
      ['a', 'FE80::1%eth0'],
      ['b', '127.0.0.2'],
      ['c', '::1'],
    ]);
    present = [];
    vi.advanceTimersByTime(2_000);
    expect(gone).toEqual([['a', 'FE80::1%eth0']]);
    watch.sync([['b', '127.0.0.2']]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('watches only what the last sync named, and starts counting again for a new address', () => {
    watch.sync([['chat', '192.168.1.20']]);
    present = [];
    vi.advanceTimersByTime(1_000);
    // Exposed again elsewhere after one miss: the new address starts from zero.
    watch.sync([['chat', '100.101.102.103']]);
    present = ['100.101.102.103'];
    vi.advanceTimersByTime(5_000);
    expect(gone).toEqual([]);
    watch.sync([]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('takes a failure to list the interfaces as no evidence', () => {
    watch = new AddressWatch(
      () => {
        throw new Error('EPERM');
      },
      1_000,
      (id, address) => gone.push([id, address]),
      noRouter,
    );
    watch.sync([['chat', '192.168.1.20']]);
    vi.advanceTimersByTime(5_000);
    expect(gone).toEqual([]);
  });

  it('ends a listener whose address is behind another router in two checks in a row, forgiving one', () => {
    const home = { gateway: '192.168.1.1', mac: 'aa:aa:aa:aa:aa:aa' };
    const cafe = { gateway: '192.168.1.1', mac: 'cc:cc:cc:cc:cc:cc' };
    let router: Router | null = null;
    const lost: Array<[string, AddressLoss]> = [];
    watch = new AddressWatch(() => present.map(view), 1_000, (id, _address, loss) => lost.push([id, loss]), () => router);
    watch.sync([['chat', '192.168.1.20']]);
    // Not resolved yet at first: no evidence, and the first router seen is the network's.
    vi.advanceTimersByTime(2_000);
    router = home;
    vi.advanceTimersByTime(2_000);
    router = cafe;
    vi.advanceTimersByTime(1_000);
    router = home;
    vi.advanceTimersByTime(1_000);
    // Unknown in between (the neighbour entry expired) counts for nothing either way.
    router = null;
    vi.advanceTimersByTime(2_000);
    expect(lost).toEqual([]);
    router = cafe;
    vi.advanceTimersByTime(2_000);
    expect(lost).toEqual([['chat', { kind: 'moved', from: home, to: cafe }]]);
    expect(vi.getTimerCount()).toBe(0);
  });
});
