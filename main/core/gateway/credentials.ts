import type { IncomingHttpHeaders } from 'node:http';

/** The query parameter a browser brings once; it is swapped for a cookie and dropped. */
export const TOKEN_PARAM = 'portcullis_token';
export const TOKEN_HEADER = 'x-portcullis-token';

export type CredentialSource = 'header' | 'bearer' | 'cookie' | 'query';

export type Presented =
  | { kind: 'none' }
  | { kind: 'token'; token: string; source: CredentialSource }
  /** Something that looks like our credential but cannot be one (inner whitespace, empty). */
  | { kind: 'malformed'; source: CredentialSource };

/**
 * Cookies are shared by every port of a host, so each listener's cookie carries its port:
 * two exposed servers on one machine never see each other's cookie.
 */
export const cookieName = (port: number): string => `portcullis_token_${port}`;

/**
 * Token syntax is RFC 6750's b64token: no whitespace inside. Surrounding whitespace is
 * forgiven (Node already trims header values; a copied token often carries a newline).
 */
const TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;

/** RFC 7235: the scheme is case-insensitive ("bearer" works), one or more spaces follow it. */
const BEARER = /^bearer[ \t]+(.*)$/i;

function judge(raw: string, source: CredentialSource): Presented {
  const value = raw.trim();
  return TOKEN.test(value) ? { kind: 'token', token: value, source } : { kind: 'malformed', source };
}

/**
 * Finds our credential, in this order: X-Portcullis-Token, Authorization: Bearer, this
 * listener's cookie, then (only where `allowQuery`) the `portcullis_token` query parameter.
 * An Authorization header with another scheme (Jupyter's `token …`, Basic) is not ours and is
 * left for the upstream.
 */
export function findCredential(headers: IncomingHttpHeaders, url: string, cookie: string, allowQuery: boolean): Presented {
  const header = headers[TOKEN_HEADER];
  if (header !== undefined) return judge(Array.isArray(header) ? header.join(',') : header, 'header');
  const auth = headers.authorization;
  if (auth !== undefined) {
    const m = BEARER.exec(auth);
    if (m) return judge(m[1] as string, 'bearer');
  }
  const fromCookie = readCookie(headers.cookie, cookie);
  if (fromCookie !== undefined) return judge(fromCookie, 'cookie');
  if (allowQuery) {
    const q = queryParam(url, TOKEN_PARAM);
    if (q !== undefined) return judge(q, 'query');
  }
  return { kind: 'none' };
}

export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq !== -1 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** The Cookie header without this listener's cookie (undefined when nothing else is left). */
export function withoutCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  const rest = header
    .split(';')
    .filter((part) => part.split('=', 1)[0]?.trim() !== name)
    .map((p) => p.trim())
    .filter(Boolean);
  return rest.length ? rest.join('; ') : undefined;
}

export function queryParam(url: string, name: string): string | undefined {
  const q = url.indexOf('?');
  if (q === -1) return undefined;
  return new URLSearchParams(url.slice(q + 1)).get(name) ?? undefined;
}

/** Query parameters that carry secrets by convention: never logged, ours never forwarded. */
const SECRET_PARAMS = new Set([TOKEN_PARAM, 'token', 'access_token', 'api_key', 'apikey', 'key', 'auth', 'password', 'secret']);

/** The request target with the named parameters removed (all secret ones when `names` is omitted). */
export function withoutParams(url: string, names: ReadonlySet<string> = SECRET_PARAMS): string {
  const q = url.indexOf('?');
  if (q === -1) return url;
  const params = new URLSearchParams(url.slice(q + 1));
  let removed = false;
  for (const key of [...params.keys()]) {
    if (names.has(key.toLowerCase())) {
      params.delete(key);
      removed = true;
    }
  }
  if (!removed) return url;
  const rest = params.toString();
  return rest ? `${url.slice(0, q)}?${rest}` : url.slice(0, q);
}

export const OUR_PARAM = new Set([TOKEN_PARAM]);
