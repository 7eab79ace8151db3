import { z } from 'zod';
import { event, method, returns } from './define.js';

/** Names are used in URLs, keychain accounts and file names, so they stay plain. */
export const serverName = z
  .string({ error: 'name is required' })
  .trim()
  .min(1, 'name must not be empty')
  .max(64, 'name must be at most 64 characters')
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._-]*$/,
    'name may contain only letters, digits, ".", "_" and "-", and must start with a letter or digit',
  );

export const portNumber = z
  .number({ error: 'port must be a number between 1 and 65535' })
  .int('port must be a whole number between 1 and 65535')
  .min(1, 'port must be between 1 and 65535')
  .max(65535, 'port must be between 1 and 65535');

export const envName = z
  .string()
  .min(1, 'environment variable names must not be empty')
  .regex(/^[^=\0]+$/, 'environment variable names cannot contain "=" (write NAME=VALUE once, as --env NAME=VALUE)');

const noNul = z.string().regex(/^[^\0]*$/, 'must not contain a NUL character');

export const healthCheck = z.object({
  path: z.string().startsWith('/', 'health path must start with "/"').max(2048),
  intervalMs: z.number().int().min(200, 'health interval must be at least 200 ms').max(3_600_000).default(5_000),
  timeoutMs: z.number().int().min(50).max(600_000).default(2_000),
  healthyAfter: z.number().int().min(1).max(100).default(1),
  unhealthyAfter: z.number().int().min(1).max(100).default(3),
});

export const serverDefinitionInput = z
  .object({
    name: serverName,
    command: z
      .string({ error: 'command is required: the executable to run' })
      .trim()
      .min(1, 'command must not be empty: give the executable to run'),
    args: z.array(noNul).default([]),
    cwd: z.string().min(1, 'cwd must not be empty').optional(),
    env: z.record(envName, noNul).default({}),
    port: portNumber.optional(),
    health: healthCheck.optional(),
    stopTimeoutMs: z.number().int().min(100).max(600_000).default(10_000),
  })
  .superRefine((d, ctx) => {
    if (d.health && d.port === undefined) {
      ctx.addIssue({ code: 'custom', path: ['port'], message: 'port is required when a health check is set' });
    }
  });
export type ServerDefinitionInput = z.input<typeof serverDefinitionInput>;

export const serverDefinition = z.intersection(
  serverDefinitionInput,
  z.object({ id: z.string().min(1), createdAt: z.string() }),
);
export type ServerDefinition = z.output<typeof serverDefinition>;

export type ServerState = 'stopped' | 'starting' | 'running' | 'stopping' | 'crashed';
export type HealthStatus = 'healthy' | 'unhealthy' | 'unknown';

export interface HealthView {
  status: HealthStatus;
  latencyMs: number | null;
  checkedAt: string | null;
  /** Why the last probe failed, or the server's own status word. */
  detail: string | null;
  version: string | null;
}

export interface ExitView {
  code: number | null;
  signal: string | null;
  at: string;
  reason: string;
}

export interface ServerView {
  id: string;
  name: string;
  definition: ServerDefinition;
  state: ServerState;
  pid: number | null;
  startedAt: string | null;
  health: HealthView;
  lastExit: ExitView | null;
}

export interface LogLine {
  seq: number;
  ts: string;
  stream: 'stdout' | 'stderr' | 'system';
  text: string;
}

const byName = z.object({ name: serverName });

export const serverMethods = {
  'servers.list': method(z.object({}), returns<ServerView[]>(), 'Every defined server with its live state.'),
  'servers.get': method(byName, returns<ServerView>(), 'One server by name.'),
  'servers.add': method(serverDefinitionInput, returns<ServerView>(), 'Define a new server; nothing is started.'),
  'servers.remove': method(byName, returns<{ name: string }>(), 'Stop a server if it runs, then forget it.'),
  'servers.start': method(byName, returns<ServerView>(), 'Start a server; resolves once its process is spawned.'),
  'servers.stop': method(byName, returns<ServerView>(), 'Stop a server; resolves once its process group is gone.'),
  'servers.logs': method(
    byName.extend({ tail: z.number().int().min(1).max(100_000).default(200) }),
    returns<LogLine[]>(),
    'The last lines a server printed, oldest first.',
  ),
};

export const serverEvents = {
  'server.changed': event<ServerView>('A server changed state, health or definition.'),
  'server.removed': event<{ id: string; name: string }>('A server definition was removed.'),
  'server.log': event<{ name: string; lines: LogLine[] }>('New log lines, batched about every 100 ms.'),
};
