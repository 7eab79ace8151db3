import type { Server } from 'node:net';
import { PortcullisError } from '../errors.js';
import { hostPort } from './host-rules.js';

/** Binds the listener, turning the OS's refusals into errors that name the field to change. */
export function listen(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException): void => {
      server.close();
      if (err.code === 'EADDRINUSE') {
        reject(new PortcullisError('conflict', `port ${port} on ${host} is already in use: choose another with --port`, 'port'));
      } else if (err.code === 'EADDRNOTAVAIL') {
        reject(new PortcullisError('invalid_args', `${host} is not an address of this machine: see \`portcullis interfaces\``, 'bind'));
      } else if (err.code === 'EACCES') {
        reject(new PortcullisError('forbidden', `not allowed to listen on port ${port}: choose a port above 1023`, 'port'));
      } else {
        reject(new PortcullisError('failed', `could not listen on ${hostPort(host, port)}: ${err.code ?? err.message}`));
      }
    };
    server.once('error', onError);
    server.listen({ host, port, exclusive: true }, () => {
      server.off('error', onError);
      resolve((server.address() as { port: number }).port);
    });
  });
}
