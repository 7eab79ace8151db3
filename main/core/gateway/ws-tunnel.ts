import { connect, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { reject, writeRawRejection } from './rejection.js';

export interface TunnelResult {
  status: number;
  bytesIn: number;
  bytesOut: number;
  reason?: string;
}

/**
 * Tunnels an authenticated upgrade (WebSocket, a Jupyter kernel channel, MCP) to the loopback
 * upstream: the handshake is replayed with our headers, then bytes flow both ways untouched
 * until either side closes. `done` runs once, when the tunnel is gone.
 */
export function tunnelUpgrade(
  req: { method: string },
  client: Duplex,
  head: Buffer,
  port: number,
  path: string,
  /** Flat name, value, name, value … as upstreamHeaders builds them. */
  headers: string[],
  upstreamName: string,
  track: (upstream: Socket) => void,
  done: (result: TunnelResult) => void,
): void {
  const upstream = connect({ host: '127.0.0.1', port });
  track(upstream);
  let status = 0;
  let bytesIn = head.length;
  let bytesOut = 0;
  let connected = false;
  let ended = false;

  const end = (reason?: string): void => {
    if (ended) return;
    ended = true;
    client.destroy();
    upstream.destroy();
    done({ status, bytesIn, bytesOut, reason });
  };

  upstream.once('connect', () => {
    connected = true;
    upstream.setNoDelay(true);
    let text = `${req.method} ${path} HTTP/1.1\r\n`;
    for (let i = 0; i < headers.length; i += 2) text += `${headers[i]}: ${headers[i + 1]}\r\n`;
    upstream.write(`${text}\r\n`, 'latin1');
    if (head.length) upstream.write(head);
    upstream.once('data', (first: Buffer) => {
      status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(first.toString('latin1', 0, 16))?.[1] ?? 0);
    });
    upstream.on('data', (chunk: Buffer) => (bytesOut += chunk.length));
    client.on('data', (chunk: Buffer) => (bytesIn += chunk.length));
    upstream.pipe(client);
    client.pipe(upstream);
  });
  upstream.once('error', (err: NodeJS.ErrnoException) => {
    if (!connected && !ended) {
      status = 502;
      ended = true;
      bytesOut = writeRawRejection(client, reject.badGateway(`${upstreamName} refused the connection`));
      upstream.destroy();
      done({ status, bytesIn, bytesOut, reason: `upstream error: ${err.code ?? err.message}` });
      return;
    }
    end(`upstream error: ${err.code ?? err.message}`);
  });
  upstream.once('close', () => end());
  client.once('close', () => end());
  client.once('error', () => end('client error'));
}
