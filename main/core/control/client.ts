import { request } from 'node:http';
import WebSocket from 'ws';
import type { ArgsOf, EventMessage, MethodName, ResultOf } from '../api.js';
import type { Envelope, ErrorShape } from '../contract/errors.js';

/** No Portcullis is listening on this home's control socket. */
export class NotRunningError extends Error {
  constructor(readonly socketPath: string) {
    super(`no running Portcullis at ${socketPath}`);
  }
}

export class CallError extends Error {
  constructor(readonly shape: ErrorShape) {
    super(shape.message);
  }
}

const notRunning = (err: NodeJS.ErrnoException): boolean =>
  err.code === 'ENOENT' || err.code === 'ECONNREFUSED' || err.code === 'ENOTSOCK';

/** The CLI's side of the control socket: typed calls and the event stream. */
export class ControlClient {
  constructor(readonly socketPath: string) {}

  call<M extends MethodName>(method: M, args: ArgsOf<M>): Promise<ResultOf<M>> {
    const body = JSON.stringify(args ?? {});
    return new Promise((resolve, reject) => {
      const req = request(
        {
          socketPath: this.socketPath,
          path: `/api/call/${encodeURIComponent(method)}`,
          method: 'POST',
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            try {
              const envelope = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Envelope<ResultOf<M>>;
              if (envelope.ok) resolve(envelope.result);
              else reject(new CallError(envelope.error));
            } catch {
              reject(new CallError({ code: 'internal', message: `unreadable answer from Portcullis (HTTP ${res.statusCode})` }));
            }
          });
        },
      );
      req.on('error', (err: NodeJS.ErrnoException) => reject(notRunning(err) ? new NotRunningError(this.socketPath) : err));
      req.end(body);
    });
  }

  /** Resolves once subscribed; events that happen after that are delivered in order. */
  subscribe(onEvent: (message: EventMessage) => void, onClose?: () => void): Promise<() => void> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(`ws+unix://${this.socketPath}:/api/events`, ['portcullis']);
      ws.on('open', () => resolve(() => ws.close()));
      ws.on('message', (data) => onEvent(JSON.parse(String(data)) as EventMessage));
      ws.on('error', (err: NodeJS.ErrnoException) => reject(notRunning(err) ? new NotRunningError(this.socketPath) : err));
      ws.on('close', () => onClose?.());
    });
  }
}
