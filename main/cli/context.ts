import { ControlClient } from '../core/control/client.js';
import { controlSocketPath } from '../core/home.js';

export interface CliContext {
  home: string;
  client: ControlClient;
  out: (text: string) => void;
  err: (text: string) => void;
}

export const exitCodes = { ok: 0, failed: 1, usage: 2, notRunning: 3 } as const;

/** Wrong words on the command line: exit 2 with the usage. */
export class UsageError extends Error {}

export function createContext(home: string): CliContext {
  return {
    home,
    client: new ControlClient(controlSocketPath(home)),
    out: (text) => process.stdout.write(`${text}\n`),
    err: (text) => process.stderr.write(`${text}\n`),
  };
}

export interface Command {
  name: string;
  usage: string;
  summary: string;
  /** The flag that sets each API field this command sends, to name in errors (see field-flags.ts). */
  flags?: Readonly<Record<string, string>>;
  run(argv: string[], ctx: CliContext): Promise<number>;
}
