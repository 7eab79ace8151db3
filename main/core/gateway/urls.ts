import { isIP, isIPv6 } from 'node:net';
import type { NetworkInterfaceView } from '../contract/exposure.js';
import { hostPort } from './host-rules.js';

export const ALL_IPV4 = '0.0.0.0';
export const ALL_IPV6 = '::';
export const bindsEverything = (bind: string): boolean => bind === ALL_IPV4 || bind === ALL_IPV6;
/** Every interface is one choice, whichever family a listener ended up on (IPv6 may be off). */
export const sameBind = (a: string | undefined, b: string): boolean => a === b || (a !== undefined && bindsEverything(a) && bindsEverything(b));

/** Link-local IPv6 addresses need a zone a URL cannot carry portably: they get no URL. */
const usable = (i: NetworkInterfaceView, v6: boolean): boolean =>
  i.kind !== 'link-local' && i.kind !== 'loopback' && (v6 || !isIPv6(i.address));

/** The addresses a client can reach a listener on: its own, or every interface's. */
export function listenerAddresses(bind: string, interfaces: NetworkInterfaceView[]): string[] {
  if (!bindsEverything(bind)) return [bind];
  return interfaces.filter((i) => usable(i, bind === ALL_IPV6)).map((i) => i.address);
}

export function urlsFor(addresses: string[], port: number, secure = false): string[] {
  const scheme = secure ? 'https' : 'http';
  return addresses.map((a) => `${scheme}://${hostPort(a, port)}/`);
}

/**
 * The hosts an HTTPS client can verify for a listener: the certificate's DNS names, then the
 * set host names and the listener's addresses it also covers.
 */
export function certifiedHosts(certNames: readonly string[], bind: string, addresses: readonly string[], hostNames: readonly string[]): string[] {
  const covered = new Set(certNames);
  // localhost is in many certificates, but it reaches only a listener on 127.0.0.1 or ::1.
  const dns = certNames.filter((n) => isIP(n) === 0 && (n !== 'localhost' || bind === '127.0.0.1' || bind === '::1'));
  return [...new Set([...dns, ...hostNames.filter((n) => covered.has(n)), ...addresses.filter((a) => covered.has(a))])];
}
