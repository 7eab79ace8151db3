import { z } from 'zod';
import type { ServerProfile } from '../profiles/profile.js';
import { supervisorUpdate, type SupervisorSettings } from '../servers/settings-section.js';
import { event, method, returns } from './define.js';

export type { ServerProfile } from '../profiles/profile.js';
export type { SupervisorSettings } from '../servers/settings-section.js';

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
  /** Restart the server after this many failed probes in a row (off when absent). */
  restartAfterFailures: z.number().int().min(1, 'health.restartAfterFailures must be at least 1').max(1000).optional(),
});

/** systemd's vocabulary: Restart=, RestartSec=, RestartMaxDelaySec=, StartLimitBurst=, StartLimitIntervalSec=. */
export const restartPolicies = ['no', 'on-failure', 'always'] as const;
export type RestartPolicy = (typeof restartPolicies)[number];

export const restartSettings = z.object({
  /** Absent means the kind's default: on-failure for a server, no for a job. */
  policy: z.enum(restartPolicies, { error: 'restart.policy must be one of: no, on-failure, always' }).optional(),
  delayMs: z.number().int().min(0, 'restart.delayMs must be 0 or more').max(3_600_000).default(1_000),
  maxDelayMs: z.number().int().min(0).max(86_400_000, 'restart.maxDelayMs must be at most a day').default(60_000),
  /** After this long up, a run counts as stable and the backoff starts again from delayMs. */
  stableAfterMs: z.number().int().min(0).max(86_400_000).default(30_000),
  burst: z.number().int().min(1, 'restart.burst must be at least 1').max(1000).default(5),
  intervalMs: z.number().int().min(1).max(86_400_000).default(60_000),
  /** After `failed`, try again after this cool-down; absent means wait for the user's reset. */
  cooldownMs: z.number().int().min(1_000, 'restart.cooldownMs must be at least 1000').max(86_400_000).optional(),
});
export type RestartSettings = z.output<typeof restartSettings>;

/** A definition's restart settings with every default filled in and the kind's policy chosen. */
export function restartOf(d: { kind?: ServerKind; restart?: z.input<typeof restartSettings> }): RestartSettings & { policy: RestartPolicy } {
  const parsed = restartSettings.parse(d.restart ?? {});
  return { ...parsed, policy: parsed.policy ?? ((d.kind ?? 'server') === 'job' ? 'no' : 'on-failure') };
}

export const serverKinds = ['server', 'job'] as const;
export type ServerKind = (typeof serverKinds)[number];

const serverFields = z.object({
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
    // Optional rather than defaulted so older definitions and literals stay valid; absent = server.
    kind: z.enum(serverKinds, { error: 'kind must be "server" or "job"' }).optional(),
    /** The profile it was made from (src/core/profiles), which tells its token and audit-log facts. */
    profile: z.string().min(1).max(64).optional(),
    /** Absent: every default of restartSettings (see restartOf). */
    restart: restartSettings.optional(),
    /** When the port is taken at start, pick a free one and pass it where `{port}` stands in args and env. */
    autoPort: z.boolean().optional(),
  });

type CheckedFields = Pick<z.output<typeof serverFields>, 'health' | 'port' | 'autoPort' | 'restart'>;
function checkDefinition(d: CheckedFields, ctx: z.core.$RefinementCtx): void {
    if (d.health && d.port === undefined) {
      ctx.addIssue({ code: 'custom', path: ['port'], message: 'port is required when a health check is set' });
    }
    if (d.autoPort && d.port === undefined) {
      ctx.addIssue({ code: 'custom', path: ['port'], message: 'port is required with autoPort: give the preferred port' });
    }
    if (d.restart && d.restart.maxDelayMs < d.restart.delayMs) {
      ctx.addIssue({ code: 'custom', path: ['restart', 'maxDelayMs'], message: 'restart.maxDelayMs must not be below restart.delayMs' });
    }
}

export const serverDefinitionInput = serverFields.superRefine(checkDefinition);
export type ServerDefinitionInput = z.input<typeof serverDefinitionInput>;

export const serverDefinition = z.intersection(
  serverDefinitionInput,
  z.object({ id: z.string().min(1), createdAt: z.string() }),
);
export type ServerDefinition = z.output<typeof serverDefinition>;

/**
 * What `servers.add` takes: a full definition, or a profile id whose command, loopback
 * arguments, port and health path fill in what is left out (`args` are then appended).
 */
/** Every field optional and without its default, so an edit names only what it changes. */
function editable<T extends z.ZodRawShape>(schema: z.ZodObject<T>) {
  const shape = Object.fromEntries(
    Object.entries(schema.shape).map(([key, field]) => [key, z.optional(field instanceof z.ZodDefault ? (field.unwrap() as z.ZodType) : field)]),
  ) as { [K in keyof T]: z.ZodOptional<T[K] extends z.ZodDefault<infer Inner> ? Inner : T[K]> };
  return z.object(shape).strict();
}

/**
 * What `servers.update` may change: a field given replaces the stored one (`restart` and
 * `health` are merged into the stored ones field by field), `null` clears an optional one. Unknown keys are refused (a typo must not pass silently). The merged
 * definition is validated whole.
 */
export const serverChanges = z
  .object({
    command: serverFields.shape.command.optional(),
    args: z.array(noNul).optional(),
    cwd: z.string().min(1, 'cwd must not be empty').nullable().optional(),
    env: z.record(envName, noNul).optional(),
    port: portNumber.nullable().optional(),
    autoPort: z.boolean().nullable().optional(),
    // Partial: merged into the stored check; a new check needs at least its path (validated whole).
    health: editable(healthCheck).nullable().optional(),
    stopTimeoutMs: z.number().int().min(100, 'stopTimeoutMs must be at least 100').max(600_000).optional(),
    kind: z.enum(serverKinds, { error: 'kind must be "server" or "job"' }).nullable().optional(),
    restart: editable(restartSettings).nullable().optional(),
  })
  .strict();
export type ServerChanges = z.input<typeof serverChanges>;

export const serverAddInput = serverFields
  .extend({
    command: z.string().trim().min(1, 'command must not be empty: give the executable to run').optional(),
    profile: z.string().min(1, 'profile must not be empty').max(64).optional(),
    health: healthCheck.optional(),
  })
  .superRefine((d, ctx) => {
    if (d.command === undefined && d.profile === undefined) {
      ctx.addIssue({ code: 'custom', path: ['command'], message: 'command is required: the executable to run (or choose a profile)' });
    }
  });
export type ServerAddInput = z.input<typeof serverAddInput>;

/**
 * systemd's states: `backoff` waits to restart after a crash; `failed` gave up (start limit,
 * bad command, failed job) until reset; `succeeded` is a job that exited 0.
 */
export type ServerState = 'stopped' | 'starting' | 'running' | 'stopping' | 'backoff' | 'failed' | 'succeeded';
export type HealthStatus = 'healthy' | 'unhealthy' | 'unknown';

export interface HealthView {
  status: HealthStatus;
  latencyMs: number | null;
  checkedAt: string | null;
  /** Why the last probe failed, or the server's own status word. */
  detail: string | null;
  version: string | null;
  /** From the health body when the server reports them (picochat: active_jobs; serve/vLLM: model). */
  activeJobs: number | null;
  model: string | null;
  /** Failed probes in a row. */
  failures: number;
}

export interface ExitView {
  code: number | null;
  signal: string | null;
  at: string;
  reason: string;
  /** How long that run lasted, when it was watched from its start. */
  durationMs: number | null;
}

/** A job's progress parsed from its output (tqdm `37%|`, `step 120/1000`, `epoch 3/10`). */
export interface ProgressView {
  fraction: number;
  /** The words it was read from, such as "step 120/1000". */
  text: string;
  at: string;
}

/** A socket the server's process tree really listens on. */
export interface ListeningSocket {
  address: string;
  port: number;
  pid: number | null;
  loopback: boolean;
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
  kind: ServerKind;
  /** The port it was started with (differs from the definition's when autoPort chose another). */
  port: number | null;
  /** Automatic restarts since the last start by the user or reset. */
  restarts: number;
  /** When in backoff: when the next start happens. */
  nextStartAt: string | null;
  progress: ProgressView | null;
  /** `address:port` pairs read from the OS after start (Linux /proc, macOS lsof, Windows netstat). */
  listening: ListeningSocket[];
  /** Set when it listens beyond loopback: the gateway, not the server, should be reachable. */
  bindWarning: string | null;
  /** Found running when Portcullis started and watched again: its earlier output is lost. */
  adopted: boolean;
}

export interface LatencyPoint {
  at: string;
  /** null for a failed probe. */
  ms: number | null;
}

export interface RestartEvent {
  name: string;
  /** 1 for the first automatic restart after a start. */
  attempt: number;
  delayMs: number;
  reason: string;
  at: string;
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
  'servers.add': method(serverAddInput, returns<ServerView>(), 'Define a new server, from a profile or a command; nothing is started.'),
  'servers.remove': method(byName, returns<{ name: string }>(), 'Stop a server if it runs, then forget it.'),
  'servers.update': method(
    byName.extend({ changes: serverChanges }),
    returns<ServerView>(),
    'Change a definition. While it runs only the restart policy and stop timeout may change; the rest needs it stopped.',
  ),
  'servers.start': method(byName, returns<ServerView>(), 'Start a server; resolves once its process is spawned.'),
  'servers.stop': method(byName, returns<ServerView>(), 'Stop a server; resolves once its process group is gone.'),
  'servers.logs': method(
    byName.extend({ tail: z.number().int().min(1).max(100_000).default(200) }),
    returns<LogLine[]>(),
    'The last lines a server printed, oldest first.',
  ),
  'servers.restart': method(byName, returns<ServerView>(), 'Stop a server if it runs, then start it; counts as a fresh start.'),
  'servers.reset': method(
    byName,
    returns<ServerView>(),
    'Clear a failed server (start limit, backoff) and start it again.',
  ),
  'servers.latency': method(byName, returns<LatencyPoint[]>(), 'Health probe latencies of the last hour, oldest first.'),
  'servers.settings': method(z.object({}), returns<SupervisorSettings>(), 'What quitting does to servers, and what a start does with survivors.'),
  'servers.updateSettings': method(
    supervisorUpdate,
    returns<SupervisorSettings>(),
    'Change what quitting does (stop | leave) and the orphan policy (adopt | stop).',
  ),
  'profiles.list': method(z.object({}), returns<ServerProfile[]>(), 'The ready-made server profiles (picochat, palinode, Jupyter, …).'),
};

export const serverEvents = {
  'server.changed': event<ServerView>('A server changed state, health or definition.'),
  'server.removed': event<{ id: string; name: string }>('A server definition was removed.'),
  'server.log': event<{ name: string; lines: LogLine[] }>('New log lines, batched about every 100 ms.'),
  'server.restart': event<RestartEvent>('An automatic restart was scheduled, with its delay and reason.'),
};
