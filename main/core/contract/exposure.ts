import { isIP } from 'node:net';
import { isAbsolute } from 'node:path';
import { z } from 'zod';
import type { AccessEntry } from '../ports.js';
import { event, method, returns } from './define.js';
import { portNumber, serverName } from './servers.js';

/** local: no listener; lan: one chosen interface address; public: every interface. */
export type ExposureMode = 'local' | 'lan' | 'public';

/** What an interface address is for, so the user can tell the LAN from a VPN or a bridge. */
export type InterfaceKind = 'lan' | 'vpn' | 'container' | 'loopback' | 'link-local' | 'other';

export interface NetworkInterfaceView {
  /** The OS name, such as eth0, wlan0, tailscale0, docker0. */
  name: string;
  address: string;
  family: 'IPv4' | 'IPv6';
  cidr: string | null;
  kind: InterfaceKind;
  /** For people: "LAN", "VPN / Tailscale", "container bridge", "loopback", … */
  label: string;
  /**
   * Set on the one address a LAN exposure listens on when no address is given (the one used
   * last time if the machine still has it, else the first LAN, then VPN, address), so the user
   * sees where "the default" is before choosing it. Absent everywhere when there is none.
   */
  lanDefault?: true;
}

export interface ExposureView {
  server: string;
  mode: ExposureMode;
  /** The address the listener is bound to ("0.0.0.0"/"::" for every interface); null when local. */
  bind: string | null;
  port: number | null;
  /** Every URL a client can use, one per address. */
  urls: string[];
  /** Whether the listener speaks HTTPS (a certificate is set for the gateway): tokens never cross the network in the clear. */
  encrypted: boolean;
  /** When public (or time-boxed LAN) exposure returns to local by itself; null: until locked down. */
  expiresAt: string | null;
  since: string | null;
}

export interface ExposureChange extends ExposureView {
  /**
   * Why it changed: a user's request, its time box running out, the server going away, or the
   * LAN address it was bound to leaving this machine (another network, a VPN down) or, where
   * the router can be read, coming back behind another router (a wake on another network).
   */
  cause: 'exposed' | 'locked-down' | 'expired' | 'removed' | 'address-lost';
  /** For people, when it ended without being asked to ("time box ran out", "192.168.1.20 is no longer…"). */
  reason?: string;
}

/** One request the gateway saw, allowed or denied. Never carries a secret. */
export interface AccessRecord extends AccessEntry {
  at: string;
}

export interface ExposeResult {
  exposure: ExposureView;
  /** Set only when exposing had to mint the server's first client token: shown once. */
  createdToken: { id: string; label: string; secret: string } | null;
  /** Only the time box changed: the listener stayed open, and every client's connection with it. */
  kept: boolean;
  /** What the user should know about this exposure, such as public traffic that is not encrypted. */
  warnings: string[];
}

const MIN_DURATION_MS = 1_000;
// Below setTimeout's 24.8-day ceiling, so one timer covers the whole time box.
const MAX_DURATION_MS = 7 * 24 * 3_600_000;

export const exposeArgs = z.object({
  name: serverName,
  mode: z.enum(['lan', 'public'], { error: 'mode must be "lan" or "public" (use lockdown to return to local)' }),
  bind: z
    .string()
    .trim()
    .min(1, 'bind must be an IP address of this machine (see `portcullis interfaces`)')
    .optional(),
  port: portNumber.optional(),
  /**
   * How long the exposure lasts before it returns to local by itself. Left out: public gets
   * one hour, LAN lasts until locked down. null: until locked down (public only when asked).
   */
  durationMs: z
    .number({ error: 'durationMs must be a number of milliseconds' })
    .int('durationMs must be a whole number of milliseconds')
    .min(MIN_DURATION_MS, 'duration must be at least 1 second')
    .max(MAX_DURATION_MS, 'duration must be at most 7 days')
    .nullable()
    .optional(),
  /** Public mode reaches every network the machine is on: the user must say yes to it. */
  confirm: z.boolean().default(false),
});

const byName = z.object({ name: serverName });

/** What the gateway answers to beyond the listener's own addresses, and whom it believes about clients. */
export interface GatewaySettingsView {
  /** Extra DNS names clients may use in Host (a name in your DNS pointing at this machine). */
  hostNames: string[];
  /** Proxies in front of the gateway whose X-Forwarded-For is believed (exact addresses). */
  trustedProxies: string[];
  /** Names always allowed: this machine's host name and its .local name. */
  machineNames: string[];
  /** The certificate listeners serve HTTPS with; null: plain HTTP. */
  tls: TlsView | null;
}

/** The gateway's certificate. Both files stay where the user keeps them; the key is read into memory only. */
export interface TlsView {
  certFile: string;
  keyFile: string;
  /** The names and addresses the certificate is valid for (its subjectAltName): the URLs use them. */
  names: string[];
  /** When the certificate expires (ISO); null when it cannot be read. */
  validTo: string | null;
  /** Why the files cannot be used now (moved, unreadable, not a pair, expired); null when they can. */
  problem: string | null;
}

const DNS_NAME = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/;

const hostName = z
  .string()
  .trim()
  .toLowerCase()
  .regex(DNS_NAME, 'each host name must be a DNS name such as gpu.lab.example: letters, digits, hyphens and dots, without a scheme, port or path');

const proxyAddress = z
  .string()
  .trim()
  .refine((v) => isIP(v) !== 0, 'each trusted proxy must be an IP address such as 10.0.0.5 or fd00::5 (the proxy\'s own address, as the gateway sees it)');

const pemFile = (what: string) =>
  z
    .string({ error: `${what} must be the path of a PEM file` })
    .trim()
    .refine((v) => isAbsolute(v), `${what} must be an absolute path (the CLI resolves relative ones for you)`);

const tlsFiles = z.object({ certFile: pemFile('certFile'), keyFile: pemFile('keyFile') });

const updateGatewaySettings = z
  .object({
    hostNames: z.array(hostName).max(32, 'at most 32 host names').optional(),
    trustedProxies: z.array(proxyAddress).max(32, 'at most 32 trusted proxies').optional(),
    /** The certificate and key every listener serves HTTPS with; null: back to plain HTTP. */
    tls: tlsFiles.nullable().optional(),
  })
  .refine((v) => v.hostNames !== undefined || v.trustedProxies !== undefined || v.tls !== undefined, 'give hostNames, trustedProxies or tls');

export const exposureMethods = {
  'exposure.list': method(z.object({}), returns<ExposureView[]>(), 'Every server\'s exposure: mode, URLs, expiry.'),
  'exposure.get': method(byName, returns<ExposureView>(), 'One server\'s exposure.'),
  'exposure.expose': method(
    exposeArgs,
    returns<ExposeResult>(),
    'Open a LAN or public listener in front of a running or stopped server, never without a client token.',
  ),
  'exposure.lockdown': method(byName, returns<ExposureView>(), 'Close one server\'s listener and every open connection.'),
  'exposure.lockdownAll': method(
    z.object({}),
    returns<{ closed: string[] }>(),
    'Close every listener and every open connection at once.',
  ),
  'exposure.interfaces': method(
    z.object({ name: serverName.optional() }),
    returns<NetworkInterfaceView[]>(),
    'The machine\'s interface addresses with their kind, to choose a LAN address from; `lanDefault` marks the one a LAN exposure of `name` (or of a server never exposed) would listen on.',
  ),
  'exposure.settings': method(z.object({}), returns<GatewaySettingsView>(), 'Extra host names and trusted proxies of every listener.'),
  'exposure.updateSettings': method(
    updateGatewaySettings,
    returns<GatewaySettingsView>(),
    'Replace the extra host names, the trusted proxies or the certificate; names and proxies apply to open listeners at once, a certificate to listeners opened from then on (a renewed one to open HTTPS listeners too).',
  ),
};

export const exposureEvents = {
  'exposure.changed': event<ExposureChange>('A server was exposed or locked down, its time box ran out, or its LAN address left this machine.'),
  'exposure.access': event<{ records: AccessRecord[]; dropped: number }>(
    'Requests the gateway saw, batched and throttled (at most one batch every 250 ms).',
  ),
};
