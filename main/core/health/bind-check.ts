import type { ListeningSocket } from '../contract/servers.js';
import { formatSocket } from './sockets.js';

/**
 * Upstream servers must listen on loopback only: the gateway is the one thing that listens on
 * other addresses. Returns the warning to show, or null when every socket is loopback.
 */
export function bindWarning(name: string, sockets: readonly ListeningSocket[]): string | null {
  const open = sockets.filter((s) => !s.loopback);
  if (open.length === 0) return null;
  return `${name} listens on ${open.map(formatSocket).join(', ')}, beyond loopback: other machines may reach it without Portcullis. Make it bind 127.0.0.1 (its profile's host flag or variable).`;
}
