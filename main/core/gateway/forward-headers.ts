import type { IncomingMessage } from 'node:http';
import type { CredentialSource } from './credentials.js';
import { TOKEN_HEADER, withoutCookie } from './credentials.js';

/** RFC 9110 §7.6.1: meant for one hop only, never passed on. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

/** Headers the Connection header names are hop-by-hop too. */
function connectionListed(value: string | string[] | undefined): Set<string> | null {
  if (value === undefined) return null;
  const text = Array.isArray(value) ? value.join(',') : value;
  if (text === 'keep-alive' || text === 'close') return null;
  return new Set(text.split(',').map((s) => s.trim().toLowerCase()));
}

export interface ForwardContext {
  /** Where our credential came from: that header or cookie is removed. */
  credential: CredentialSource | null;
  cookieName: string;
  /** The address the connection came from (a client, or a trusted proxy). */
  peer: string;
  /** The peer is a trusted proxy: its X-Forwarded-For chain is extended, not replaced. */
  trustedPeer: boolean;
  /** The loopback upstream, as its own Host header must name it. */
  upstreamHost: string;
  upstreamAuth: { header: string; value: string } | null;
  /** Keep Connection/Upgrade (a WebSocket handshake). */
  upgrade: boolean;
}

/**
 * What the upstream receives: our credentials gone, hop-by-hop gone, the forwarding headers
 * set, and Host (and a same-origin Origin) rewritten to the loopback address the upstream
 * binds — servers such as Jupyter refuse non-local Hosts when they listen on loopback.
 */
export function upstreamHeaders(req: IncomingMessage, ctx: ForwardContext): Record<string, string | string[]> {
  const src = req.headers;
  const listed = connectionListed(src.connection);
  const out: Record<string, string | string[]> = {};
  for (const key in src) {
    const value = src[key];
    if (value === undefined || HOP_BY_HOP.has(key) || key === 'host' || listed?.has(key)) continue;
    if (key.startsWith('x-forwarded-') || key === 'forwarded' || key === TOKEN_HEADER) continue;
    // Node answered `Expect: 100-continue` itself already; the upstream gets the body outright.
    if (key === 'expect') continue;
    out[key] = value;
  }
  if (ctx.credential === 'bearer') delete out.authorization;
  if (src.cookie !== undefined) {
    const rest = withoutCookie(src.cookie, ctx.cookieName);
    if (rest === undefined) delete out.cookie;
    else out.cookie = rest;
  }
  if (ctx.upgrade) {
    out.connection = 'Upgrade';
    if (src.upgrade !== undefined) out.upgrade = src.upgrade;
  }
  const priorFor = ctx.trustedPeer ? src['x-forwarded-for'] : undefined;
  // Each hop appends the address it heard from: the chain ends with the trusted proxy.
  out['x-forwarded-for'] = priorFor ? `${Array.isArray(priorFor) ? priorFor.join(', ') : priorFor}, ${ctx.peer}` : ctx.peer;
  out['x-forwarded-proto'] = 'http';
  if (src.host !== undefined) out['x-forwarded-host'] = src.host;
  out.host = ctx.upstreamHost;
  if (out.origin !== undefined) out.origin = `http://${ctx.upstreamHost}`;
  if (ctx.upstreamAuth) out[ctx.upstreamAuth.header.toLowerCase()] = ctx.upstreamAuth.value;
  return out;
}

/**
 * What the client receives of the upstream's headers: hop-by-hop removed. From undici's raw
 * list (name, value, name, value …) into the flat array writeHead takes, with the
 * body's length (null: a stream, such as SSE).
 */
export function downstreamRawHeaders(raw: Buffer[] | string[] | null): { headers: string[]; length: number | null } {
  const out: string[] = [];
  let length: number | null = null;
  let listed: Set<string> | null = null;
  if (!raw) return { headers: out, length };
  for (let i = 0; i < raw.length; i += 2) {
    const name = String(raw[i]).toLowerCase();
    if (name === 'connection') listed = connectionListed(String(raw[i + 1]));
  }
  for (let i = 0; i < raw.length; i += 2) {
    const name = String(raw[i]);
    const lower = name.toLowerCase();
    if (HOP_BY_HOP.has(lower) || listed?.has(lower)) continue;
    if (lower === 'content-length') length = Number(String(raw[i + 1]));
    out.push(name, String(raw[i + 1]));
  }
  return { headers: out, length };
}
