import { UsageError } from './context.js';
import { intOption } from './parse.js';

/** Flags `add` and `edit` share: how a server runs, restarts and is checked. */
export const definitionOptions = {
  port: { type: 'string' },
  'auto-port': { type: 'boolean' },
  health: { type: 'string' },
  cwd: { type: 'string' },
  env: { type: 'string', multiple: true },
  restart: { type: 'string' },
  'restart-sec': { type: 'string' },
  'restart-max-sec': { type: 'string' },
  'start-limit': { type: 'string' },
  'start-limit-sec': { type: 'string' },
  'stop-timeout': { type: 'string' },
} as const;

export const definitionUsage =
  '[--port N] [--auto-port] [--health PATH] [--cwd DIR] [--env K=V]... [--restart no|on-failure|always] ' +
  '[--restart-sec S] [--restart-max-sec S] [--start-limit N] [--start-limit-sec S] [--stop-timeout S]';

interface DefinitionValues {
  env?: string[];
  restart?: string;
  'restart-sec'?: string;
  'restart-max-sec'?: string;
  'start-limit'?: string;
  'start-limit-sec'?: string;
}

const policies = ['no', 'on-failure', 'always'] as const;

/** Seconds as people write them (`1`, `0.5`), in whole milliseconds. */
export function secondsOption(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+(\.\d+)?$/.test(value)) throw new UsageError(`--${name} takes seconds, such as 1 or 0.5, not "${value}"`);
  return Math.round(Number(value) * 1000);
}

/** `--env NAME=VALUE` flags as a record, or undefined when none was given. */
export function envFrom(values: DefinitionValues): Record<string, string> | undefined {
  if (!values.env) return undefined;
  const env: Record<string, string> = {};
  for (const pair of values.env) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError(`--env takes NAME=VALUE, not "${pair}"`);
    env[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return env;
}

/** The restart flags given, or undefined when none was. */
export function restartFrom(values: DefinitionValues) {
  const policy = values.restart;
  if (policy !== undefined && !(policies as readonly string[]).includes(policy)) {
    throw new UsageError(`--restart takes no, on-failure or always, not "${policy}"`);
  }
  const restart = {
    policy: policy as (typeof policies)[number] | undefined,
    delayMs: secondsOption(values['restart-sec'], 'restart-sec'),
    maxDelayMs: secondsOption(values['restart-max-sec'], 'restart-max-sec'),
    burst: intOption(values['start-limit'], 'start-limit'),
    intervalMs: secondsOption(values['start-limit-sec'], 'start-limit-sec'),
  };
  return Object.values(restart).some((v) => v !== undefined) ? restart : undefined;
}
