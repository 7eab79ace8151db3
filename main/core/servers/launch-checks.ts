import { createServer } from 'node:net';
import { PortcullisError } from '../errors.js';
import { portHolder } from '../health/sockets.js';
import { commandLine } from './proc.js';

/** Linux refuses any single environment string over 128 KiB (MAX_ARG_STRLEN) with E2BIG. */
const MAX_ENV_STRING = 128 * 1024;

/**
 * The environment a server gets must be one the OS accepts: names without "=" or NUL, values
 * without NUL, each NAME=VALUE within the kernel's limit. Values are never echoed (they may be
 * tokens); names are.
 */
export function checkEnv(env: Readonly<Record<string, string | undefined>>): void {
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) continue;
    if (!name || name.includes('=') || name.includes('\0')) {
      throw new PortcullisError('failed', `unusable environment: the variable name ${JSON.stringify(name)} cannot contain "=" or NUL; fix the server's env.`, 'env');
    }
    if (value.includes('\0')) {
      throw new PortcullisError('failed', `unusable environment: the value of ${name} contains a NUL character; fix the server's env.`, 'env');
    }
    if (Buffer.byteLength(name) + Buffer.byteLength(value) + 1 > MAX_ENV_STRING) {
      throw new PortcullisError(
        'failed',
        `unusable environment: ${name} is ${Buffer.byteLength(value)} bytes, over the system's limit of ${MAX_ENV_STRING} bytes for one variable; pass large values in a file instead.`,
        'env',
      );
    }
  }
}

/** True when nothing listens on the port at 127.0.0.1 (nor on every address). */
export function portFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** A free port the OS picks on loopback. */
export function anyFreePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** "port 8000 is in use by pid 42 (python3 -m http.server)", as far as the OS tells. */
export function describePortInUse(port: number): string {
  const pid = portHolder(port);
  if (pid === null) return `port ${port} is already in use on 127.0.0.1`;
  const cmd = commandLine(pid);
  return `port ${port} is already in use by pid ${pid}${cmd ? ` (${cmd})` : ''}`;
}

/** Puts the port where a profile's args and env say `{port}`. */
export function withPort<T extends string>(text: T, port: number | undefined): string {
  return port === undefined ? text : text.split('{port}').join(String(port));
}
