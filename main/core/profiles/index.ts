import type { ServerDefinition } from '../contract/servers.js';
import { PortcullisError } from '../errors.js';
import { profiles } from './catalog.js';
import type { ServerProfile } from './profile.js';

export type { AuditLogBase, ServerProfile } from './profile.js';
export { profiles };

export function profileById(id: string): ServerProfile | undefined {
  return profiles.find((p) => p.id === id);
}

export function requireProfile(id: string): ServerProfile {
  const profile = profileById(id);
  if (!profile) {
    throw new PortcullisError(
      'invalid_args',
      `profile: unknown profile "${id}"; choose one of: ${profiles.map((p) => p.id).join(', ')} (see \`portcullis profiles\`).`,
      'profile',
    );
  }
  return profile;
}

export interface ProfileChoices {
  /** Overrides the profile's executable (a venv's full path, say). */
  command?: string;
  /** Appended after the profile's own arguments (a model, a checkpoint). */
  args?: readonly string[];
  env?: Readonly<Record<string, string>>;
  port?: number;
}

/**
 * The fields of a definition a profile fills in. The port stays a `{port}` placeholder in args
 * and env, so a port chosen at start (autoPort) reaches the server the profile's way.
 */
export function fromProfile(profile: ServerProfile, choices: ProfileChoices) {
  const command = choices.command ?? profile.command;
  if (!command) {
    throw new PortcullisError('invalid_args', `command: the ${profile.id} profile needs the command to run (after --).`, 'command');
  }
  return {
    command,
    args: [...profile.args, ...(choices.args ?? [])],
    env: { ...profile.env, ...(choices.env ?? {}) },
    port: choices.port ?? profile.defaultPort,
    health: profile.healthPath ? { path: profile.healthPath } : undefined,
    profile: profile.id,
  };
}

/** The header and value that carry a server's own token to it (the gateway adds it upstream). */
export function upstreamAuthHeader(profile: ServerProfile, token: string): { header: string; value: string } | null {
  return profile.upstreamAuth ? { header: profile.upstreamAuth.header, value: profile.upstreamAuth.prefix + token } : null;
}

/** Where a server made from a profile writes its own audit log, or null if it has none or it cannot be told. */
export function auditLogPath(definition: Pick<ServerDefinition, 'profile' | 'args' | 'env' | 'cwd'>): string | null {
  const profile = definition.profile ? profileById(definition.profile) : undefined;
  if (!profile?.auditLog) return null;
  let base: string | undefined;
  if (profile.auditLog.base === 'runs-dir') {
    const at = definition.args.indexOf('--runs-dir');
    base = at >= 0 ? definition.args[at + 1] : definition.args.find((a) => a.startsWith('--runs-dir='))?.slice(11);
  } else {
    base = definition.env[profile.auditLog.base.slice(4)];
  }
  if (!base) return null;
  const root = base.startsWith('/') || !definition.cwd ? base : `${definition.cwd}/${base}`;
  return `${root.replace(/\/+$/, '')}/${profile.auditLog.path}`;
}

/**
 * Arguments to add at start when a token reaches the server through `tokenEnv`: for
 * `pico serve`, `--api-key-env VAR` names the variable, so the token itself stays off argv.
 */
export function tokenArgs(profile: ServerProfile | undefined, env: Readonly<Record<string, string | undefined>>): string[] {
  if (!profile?.apiKeyEnvFlag || !profile.tokenEnv || !env[profile.tokenEnv]) return [];
  return [profile.apiKeyEnvFlag, profile.tokenEnv];
}
