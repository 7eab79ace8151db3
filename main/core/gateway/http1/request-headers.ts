import type { IncomingHttpHeaders } from 'node:http';

/** Fields where a second copy is dropped, as node:http drops it (RFC 9110: a list makes no sense for them). */
const FIRST_WINS = new Set([
  'age',
  'authorization',
  'content-length',
  'content-type',
  'etag',
  'expires',
  'from',
  'host',
  'if-modified-since',
  'if-unmodified-since',
  'last-modified',
  'location',
  'max-forwards',
  'proxy-authorization',
  'referer',
  'retry-after',
  'server',
  'user-agent',
]);

export interface HeaderBlock {
  headers: IncomingHttpHeaders;
  /** More than one Host: RFC 9112 §3.2 says such a request must get 400. */
  duplicateHost: boolean;
}

/**
 * The parser's flat name/value list as the header object node:http would give, by the same
 * rules (lower-case names; first copy wins for singular fields; cookies joined with "; ",
 * set-cookie a list, the rest joined with ", "). No prototype: a header named `__proto__`
 * is just a header.
 */
export function headerBlock(raw: readonly string[]): HeaderBlock {
  const headers = Object.create(null) as Record<string, string | string[]>;
  let duplicateHost = false;
  for (let i = 0; i < raw.length; i += 2) {
    const name = (raw[i] as string).toLowerCase();
    const value = raw[i + 1] as string;
    const prior = headers[name];
    if (prior === undefined) {
      headers[name] = name === 'set-cookie' ? [value] : value;
    } else if (name === 'set-cookie') {
      (prior as string[]).push(value);
    } else if (FIRST_WINS.has(name)) {
      if (name === 'host') duplicateHost = true;
    } else {
      headers[name] = `${prior as string}${name === 'cookie' ? '; ' : ', '}${value}`;
    }
  }
  return { headers: headers as IncomingHttpHeaders, duplicateHost };
}

/** HTTP/1.1: a request has a body only when it says so, with a length other than 0 or a transfer coding. */
export function declaresBody(headers: IncomingHttpHeaders): boolean {
  const length = headers['content-length'];
  return headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}
