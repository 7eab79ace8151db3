import { isIPv6 } from 'node:net';

/** `host:port` as it appears in a Host header, brackets around IPv6. */
export function hostPort(host: string, port: number): string {
  return `${isIPv6(host) ? `[${host}]` : host}:${port}`;
}

/**
 * The Host values a listener answers to: its own addresses and configured names, with its
 * port (and bare, when the port is 80). Anything else is DNS rebinding or a misdirected
 * request and gets 421.
 */
export class HostAllowlist {
  private allowed = new Set<string>();

  constructor(
    private readonly port: number,
    private readonly names: () => string[],
  ) {
    this.refresh();
  }

  /** Re-reads the names (interfaces come and go while a public listener is open). */
  refresh(): void {
    const next = new Set<string>();
    for (const raw of this.names()) {
      const name = raw.toLowerCase();
      next.add(hostPort(name, this.port));
      if (this.port === 80) next.add(isIPv6(name) ? `[${name}]` : name);
    }
    this.allowed = next;
  }

  has(host: string | undefined): boolean {
    return host !== undefined && this.allowed.has(host.toLowerCase());
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export const isStateChanging = (method: string | undefined): boolean => !SAFE_METHODS.has(method ?? 'GET');

/**
 * CSRF: a browser on another site may send a POST or open a WebSocket with the user's cookie.
 * Such requests carry an Origin; it must name the very host the request was sent to. A
 * request without Origin comes from a non-browser client and is allowed.
 */
export function originMatchesHost(origin: string | undefined, host: string | undefined, secure = false): boolean {
  if (origin === undefined) return true;
  if (host === undefined) return false;
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    return false; // "null" and garbage
  }
  // The page must have come from this very listener, scheme included.
  if (parsed.protocol !== (secure ? 'https:' : 'http:')) return false;
  const port = secure ? 443 : 80;
  const originHost = parsed.port ? parsed.host : `${parsed.host}:${port}`;
  const target = host.includes(':') && !host.endsWith(']') ? host : `${host}:${port}`;
  return originHost.toLowerCase() === target.toLowerCase();
}
