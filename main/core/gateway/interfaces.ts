import { BlockList, isIPv4, isIPv6 } from 'node:net';
import { networkInterfaces } from 'node:os';
import type { InterfaceKind, NetworkInterfaceView } from '../contract/exposure.js';

const labels: Record<InterfaceKind, string> = {
  lan: 'LAN',
  vpn: 'VPN / Tailscale',
  container: 'container bridge',
  loopback: 'loopback',
  'link-local': 'link-local',
  other: 'other (a public address)',
};

/** Interface names that belong to container runtimes and virtual machines, not to a LAN. */
const containerNames = /^(docker\d*|br-[0-9a-f]+|veth|virbr|cni|podman|lxcbr|lxdbr|vboxnet|vmnet|flannel|cali|weave|kube)/i;
const vpnNames = /^(tailscale|tun|tap|wg|utun|zt|ppp|ipsec|nordlynx|proton)/i;

const ranges = (entries: Array<[string, number, 'ipv4' | 'ipv6']>): BlockList => {
  const list = new BlockList();
  for (const [net, prefix, type] of entries) list.addSubnet(net, prefix, type);
  return list;
};

/** Tailscale and other carrier-grade NAT VPNs live in 100.64.0.0/10 (RFC 6598). */
const cgnat = ranges([['100.64.0.0', 10, 'ipv4']]);
const loopback = ranges([
  ['127.0.0.0', 8, 'ipv4'],
  ['::1', 128, 'ipv6'],
]);
const linkLocal = ranges([
  ['169.254.0.0', 16, 'ipv4'],
  ['fe80::', 10, 'ipv6'],
]);
const privateNets = ranges([
  ['10.0.0.0', 8, 'ipv4'],
  ['172.16.0.0', 12, 'ipv4'],
  ['192.168.0.0', 16, 'ipv4'],
  ['fc00::', 7, 'ipv6'],
]);

const typeOf = (address: string): 'ipv4' | 'ipv6' => (isIPv6(address) ? 'ipv6' : 'ipv4');

export function isLoopbackAddress(address: string): boolean {
  return (isIPv4(address) || isIPv6(address)) && loopback.check(address, typeOf(address));
}

export function classifyAddress(name: string, address: string): InterfaceKind {
  const type = typeOf(address);
  if (loopback.check(address, type)) return 'loopback';
  if (linkLocal.check(address, type)) return 'link-local';
  if (vpnNames.test(name) || cgnat.check(address, type)) return 'vpn';
  if (containerNames.test(name)) return 'container';
  if (privateNets.check(address, type)) return 'lan';
  return 'other';
}

/** Every address of every interface, LAN first, loopback last. */
export function listInterfaces(): NetworkInterfaceView[] {
  const order: InterfaceKind[] = ['lan', 'vpn', 'other', 'container', 'link-local', 'loopback'];
  const views: NetworkInterfaceView[] = [];
  for (const [name, addresses] of Object.entries(networkInterfaces())) {
    for (const a of addresses ?? []) {
      const family = a.family === 'IPv6' ? 'IPv6' : 'IPv4';
      const kind = classifyAddress(name, a.address);
      views.push({ name, address: a.address, family, cidr: a.cidr, kind, label: labels[kind] });
    }
  }
  return views.sort((x, y) => order.indexOf(x.kind) - order.indexOf(y.kind));
}
