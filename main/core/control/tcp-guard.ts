import type { IncomingMessage } from 'node:http';
import { secretsEqual } from '../security/constant-time.js';

export interface TcpGuardConfig {
  port: number;
  token: string;
}

export type GuardVerdict = { ok: true } | { ok: false; status: number; code: string; message: string };

const ok: GuardVerdict = { ok: true };

/**
 * The browser face listens on 127.0.0.1, where any web page the user visits could reach it.
 * Host pins the name (DNS rebinding), Origin pins the caller (CSRF), the token proves the
 * caller was handed the URL.
 */
export function createTcpGuard(config: TcpGuardConfig) {
  const hosts = new Set([`127.0.0.1:${config.port}`, `localhost:${config.port}`]);
  const origins = new Set([...hosts].map((h) => `http://${h}`));

  const hostOk = (req: IncomingMessage): GuardVerdict =>
    hosts.has((req.headers.host ?? '').toLowerCase())
      ? ok
      : { ok: false, status: 421, code: 'forbidden', message: `requests must use the host 127.0.0.1:${config.port} or localhost:${config.port}` };

  const originOk = (req: IncomingMessage): GuardVerdict => {
    const origin = req.headers.origin;
    return origin === undefined || origins.has(origin.toLowerCase())
      ? ok
      : { ok: false, status: 403, code: 'forbidden', message: 'cross-origin requests are refused' };
  };

  const tokenOk = (presented: string | undefined): GuardVerdict =>
    presented !== undefined && secretsEqual(presented, config.token)
      ? ok
      : { ok: false, status: 401, code: 'forbidden', message: 'missing or wrong session token: open the URL `portcullis serve` printed' };

  return {
    /** Static files: only the Host rule applies, the bundle itself is no secret. */
    page: (req: IncomingMessage): GuardVerdict => hostOk(req),
    call: (req: IncomingMessage): GuardVerdict => {
      const auth = req.headers.authorization;
      const token = auth?.startsWith('Bearer ') ? auth.slice(7) : undefined;
      return first(hostOk(req), originOk(req), tokenOk(token));
    },
    /** Browsers cannot set headers on a WebSocket, so the token rides as a subprotocol. */
    upgrade: (req: IncomingMessage): GuardVerdict => {
      const protocols = (req.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim());
      const token = protocols.find((p) => p.startsWith('token.'))?.slice(6);
      return first(hostOk(req), originOk(req), tokenOk(token));
    },
  };
}

function first(...verdicts: GuardVerdict[]): GuardVerdict {
  return verdicts.find((v) => !v.ok) ?? ok;
}
