import { readFileSync } from 'node:fs';

/** The router an interface reaches other networks through: its address and its hardware (MAC) address. */
export interface Router {
  gateway: string;
  mac: string;
}

export const sameRouter = (a: Router, b: Router): boolean => a.gateway === b.gateway && a.mac === b.mac;

/** /proc/net/route writes IPv4 addresses as little-endian hex: 0101A8C0 is 192.168.1.1. */
const ipv4FromHex = (hex: string): string => {
  const n = Number.parseInt(hex, 16);
  return [n & 255, (n >>> 8) & 255, (n >>> 16) & 255, n >>> 24].join('.');
};

const RTF_UP = 0x1;
const RTF_GATEWAY = 0x2;
/** ARP flag: the entry is resolved (a MAC is known), whether learned or set permanent. */
const ATF_COM = 0x2;

/**
 * The router of `iface`'s IPv4 default route and its MAC, read from this network namespace's
 * /proc/net/route and /proc/net/arp. A network that hands out the same address as the one the
 * user exposed on (a café's 192.168.1.x after home's) still has another router, so this tells
 * the two apart where the address alone cannot. Null when it cannot tell: not Linux, no default
 * route through that interface, or the router's MAC not resolved (yet).
 */
export function linuxRouter(iface: string): Router | null {
  let routes: string;
  let arp: string;
  try {
    routes = readFileSync('/proc/net/route', 'latin1');
    arp = readFileSync('/proc/net/arp', 'latin1');
  } catch {
    return null;
  }
  let best: { gateway: string; metric: number } | null = null;
  for (const line of routes.split('\n').slice(1)) {
    const [name, destination, gateway, flags, , , metric, mask] = line.trim().split(/\s+/);
    if (name !== iface || destination !== '00000000' || mask !== '00000000' || gateway === undefined) continue;
    const f = Number.parseInt(flags ?? '0', 16);
    if ((f & RTF_UP) === 0 || (f & RTF_GATEWAY) === 0) continue;
    const m = Number(metric);
    if (!best || m < best.metric) best = { gateway: ipv4FromHex(gateway), metric: m };
  }
  if (!best) return null;
  for (const line of arp.split('\n').slice(1)) {
    const [address, , flags, mac, , device] = line.trim().split(/\s+/);
    if (address !== best.gateway || device !== iface || mac === undefined) continue;
    if ((Number.parseInt(flags ?? '0', 16) & ATF_COM) === 0 || /^(00:)+00$/.test(mac)) return null;
    return { gateway: best.gateway, mac: mac.toLowerCase() };
  }
  return null;
}

/** Where the router can be read; elsewhere a LAN exposure is watched by its address alone. */
export const readRouter = (iface: string): Router | null => (process.platform === 'linux' ? linuxRouter(iface) : null);
