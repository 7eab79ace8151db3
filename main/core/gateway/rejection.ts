import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { GatewayResponse } from './http1/types.js';

/** Why the gateway refused: the `error` word clients branch on. Never the presented token. */
export interface Rejection {
  status: number;
  error: string;
  message: string;
  headers?: Record<string, string>;
  /** Close the connection after answering (a body we will not read, a flood). */
  close?: boolean;
}

export const reject = {
  unauthorized: (message: string): Rejection => ({
    status: 401,
    error: 'unauthorized',
    message,
    headers: { 'www-authenticate': 'Bearer realm="portcullis"' },
  }),
  forbidden: (message: string): Rejection => ({ status: 403, error: 'forbidden', message }),
  misdirected: (message: string): Rejection => ({ status: 421, error: 'misdirected_request', message }),
  tooMany: (message: string, retryAfterS: number): Rejection => ({
    status: 429,
    error: 'too_many_requests',
    message,
    headers: { 'retry-after': String(retryAfterS) },
  }),
  tooLarge: (message: string): Rejection => ({ status: 413, error: 'payload_too_large', message, close: true }),
  badGateway: (message: string): Rejection => ({ status: 502, error: 'bad_gateway', message }),
  unavailable: (message: string): Rejection => ({ status: 503, error: 'unavailable', message }),
  httpsRequired: (): Rejection => ({
    status: 400,
    error: 'https_required',
    message: 'this listener speaks HTTPS only: use the https:// URL Portcullis shows for this server',
  }),
};

/** What Node's parser refused before a request existed: oversized or too slow headers, garbage. */
export function clientErrorRejection(code: string | undefined, maxHeaderBytes: number): Rejection {
  if (code === 'HPE_HEADER_OVERFLOW') {
    return { status: 431, error: 'headers_too_large', message: `request headers are larger than ${maxHeaderBytes} bytes` };
  }
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') return { status: 408, error: 'request_timeout', message: 'the request was not received in time' };
  return { status: 400, error: 'bad_request', message: 'malformed HTTP request' };
}

function body(r: Rejection): string {
  return JSON.stringify({ error: r.error, message: r.message });
}

/** Answers an ordinary request with a JSON rejection. */
export function sendRejection(res: GatewayResponse, r: Rejection): number {
  const text = body(r);
  const headers: Record<string, string | number> = {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
    ...r.headers,
  };
  if (r.close) headers.connection = 'close';
  res.writeHead(r.status, undefined, headers);
  res.end(text);
  return Buffer.byteLength(text);
}

/** Answers on a raw socket (a refused upgrade, a malformed request) and closes it. */
export function writeRawRejection(socket: Duplex, r: Rejection): number {
  const text = body(r);
  const extra = Object.entries(r.headers ?? {})
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('');
  const head =
    `HTTP/1.1 ${r.status} ${STATUS_CODES[r.status] ?? ''}\r\n` +
    `content-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(text)}\r\n` +
    `cache-control: no-store\r\n${extra}connection: close\r\n\r\n`;
  if (socket.writable) socket.end(head + text);
  // Whatever the peer still sends is not read: the socket goes once the answer is flushed.
  setTimeout(() => socket.destroy(), 1_000).unref();
  return Buffer.byteLength(text);
}
