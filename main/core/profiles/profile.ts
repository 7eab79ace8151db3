/**
 * What Portcullis knows about a kind of server (DESIGN.md, "Server profiles"): how to start it
 * bound to loopback on a chosen port, where its health answers, how it takes a token, and
 * where it keeps its own audit log. `{port}` in args and env stands for the port at start.
 */
export interface ServerProfile {
  id: string;
  title: string;
  /** The default executable and arguments; the user's extra arguments follow them. */
  command: string;
  args: readonly string[];
  env: Readonly<Record<string, string>>;
  defaultPort: number;
  /** How loopback is forced and the port passed, in words for people (`--host 127.0.0.1`). */
  loopback: string;
  port: string;
  /** GET path answering 2xx when up; null when it has none worth probing. */
  healthPath: string | null;
  /** The environment variable that carries the server's own token (environment beats argv). */
  tokenEnv: string | null;
  /**
   * A flag naming the variable the token is read from (`pico serve --api-key-env VAR`): added
   * as `FLAG tokenEnv` when a token is passed, so the token itself never reaches argv.
   */
  apiKeyEnvFlag: string | null;
  /** How a client presents the upstream token: header name and value prefix. */
  upstreamAuth: { header: string; prefix: string } | null;
  /** Where the server writes its own audit log, relative to `auditLogBase`. */
  auditLog: { base: AuditLogBase; path: string } | null;
  /** What the user must still add after `--` (a checkpoint, a model), shown by `portcullis profiles`. */
  needs: string | null;
  notes: string | null;
}

/** `runs-dir`: the value of `--runs-dir`; `env:NAME`: a variable of the server's environment. */
export type AuditLogBase = 'runs-dir' | `env:${string}`;
