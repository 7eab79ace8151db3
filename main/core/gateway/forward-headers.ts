import type { CredentialSource } from './credentials.js';
import { TOKEN_HEADER, withoutCookie } from './credentials.js';
import type { GatewayRequest } from './http1/types.js';

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
  /** The scheme the client used (X-Forwarded-Proto). */
  proto: 'http' | 'https';
}

/**
 * What the upstream receives: our credentials gone, hop-by-hop gone, the forwarding headers
 * set, and Host (and a same-origin Origin) rewritten to the loopback address the upstream
 * binds — servers such as Jupyter refuse non-local Hosts when they listen on loopback.
 *
 * Built in one pass straight into the flat name/value list the upstream pool and the tunnel take (the
 * shape of rawHeaders), so no header object is built, edited and walked again per request.
 */
export function upstreamHeaders(req: Pick<GatewayRequest, 'headers'>, ctx: ForwardContext): string[] {
  const src = req.headers;
  const listed = connectionListed(src.connection);
  // The upstream's own credential replaces any header of that name the client sent.
  const authName = ctx.upstreamAuth ? ctx.upstreamAuth.header.toLowerCase() : null;
  const out: string[] = [];
  for (const key in src) {
    const value = src[key];
    if (value === undefined || HOP_BY_HOP.has(key) || key === 'host' || key === authName || listed?.has(key)) continue;
    if (key.startsWith('x-forwarded-') || key === 'forwarded' || key === TOKEN_HEADER) continue;
    // The gateway answers `Expect: 100-continue` itself once the request passed its checks; the upstream gets the body outright.
    if (key === 'expect') continue;
    if (key === 'authorization' && ctx.credential === 'bearer') continue;
    if (key === 'cookie') {
      const rest = withoutCookie(value as string, ctx.cookieName);
      if (rest !== undefined) out.push(key, rest);
      continue;
    }
    if (key === 'origin') {
      out.push(key, `http://${ctx.upstreamHost}`);
      continue;
    }
    // Only set-cookie comes as a list: each value its own line.
    if (typeof value === 'string') out.push(key, value);
    else for (const v of value) out.push(key, v);
  }
  if (ctx.upgrade) {
    out.push('connection', 'Upgrade');
    if (src.upgrade !== undefined) out.push('upgrade', src.upgrade);
  }
  const priorFor = ctx.trustedPeer ? src['x-forwarded-for'] : undefined;
  // Each hop appends the address it heard from: the chain ends with the trusted proxy.
  out.push('x-forwarded-for', priorFor ? `${Array.isArray(priorFor) ? priorFor.join(', ') : priorFor}, ${ctx.peer}` : ctx.peer);
  out.push('x-forwarded-proto', ctx.proto);
  if (src.host !== undefined) out.push('x-forwarded-host', src.host);
  out.push('host', ctx.upstreamHost);
  if (ctx.upstreamAuth && authName !== null) out.push(authName, ctx.upstreamAuth.value);
  return out;
}

/**
 * What the client receives of the upstream's headers: hop-by-hop removed. From the raw list
 * (name, value, name, value …, read as latin1, which is how Node writes them back out: a
 * value passes through byte for byte) into the flat array writeHead takes, with the body's
 * length (null: a stream, such as SSE).
 */
export function downstreamRawHeaders(raw: readonly string[]): { headers: string[]; length: number | null } {
  const out: string[] = [];
  let length: number | null = null;
  let connection: string | null = null;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i] as string;
    const value = raw[i + 1] as string;
    const lower = name.toLowerCase();
    if (HOP_BY_HOP.has(lower)) {
      if (lower === 'connection') connection = connection === null ? value : `${connection},${value}`;
      continue;
    }
    if (lower === 'content-length') length = Number(value);
    out.push(name, value);
  }
  // Rare: the upstream's Connection header names further hop-by-hop headers; drop those too.
  const listed = connectionListed(connection ?? undefined);
  if (listed === null) return { headers: out, length };
  const kept: string[] = [];
  for (let i = 0; i < out.length; i += 2) {
    const lower = (out[i] as string).toLowerCase();
    if (listed.has(lower)) {
      if (lower === 'content-length') length = null;
      continue;
    }
    kept.push(out[i] as string, out[i + 1] as string);
  }
  return { headers: kept, length };
}
