import type { GatewayRequest } from './http1/types.js';

/** `::ffff:10.0.0.2` and `10.0.0.2` are one client. */
export function normalizeAddress(address: string | undefined): string {
  if (!address) return 'unknown';
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
}

/**
 * Who is asking, for rate limits and access records. X-Forwarded-For is a client-controlled
 * header: it is believed only when the connection comes from a configured trusted proxy, and
 * then the right-most address that is not itself a trusted proxy is the client.
 */
export function clientAddress(req: Pick<GatewayRequest, 'socket' | 'headers'>, trustedProxies: ReadonlySet<string>): string {
  const peer = normalizeAddress(req.socket.remoteAddress);
  if (trustedProxies.size === 0 || !trustedProxies.has(peer)) return peer;
  const header = req.headers['x-forwarded-for'];
  const chain = (Array.isArray(header) ? header.join(',') : (header ?? ''))
    .split(',')
    .map((s) => normalizeAddress(s.trim()))
    .filter((s) => s && s !== 'unknown');
  for (let i = chain.length - 1; i >= 0; i--) {
    const hop = chain[i] as string;
    if (!trustedProxies.has(hop)) return hop;
  }
  return peer;
}
