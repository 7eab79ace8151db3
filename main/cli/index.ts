import { CallError, NotRunningError } from '../core/control/client.js';
import { PortcullisError } from '../core/errors.js';
import { resolveHome } from '../core/home.js';
import { version } from '../core/version.js';
import { add } from './commands/add.js';
import { edit } from './commands/edit.js';
import { audit } from './commands/audit.js';
import { logs } from './commands/logs.js';
import { ls } from './commands/ls.js';
import { profiles } from './commands/profiles.js';
import { reset } from './commands/reset.js';
import { restart } from './commands/restart.js';
import { rm } from './commands/rm.js';
import { serve } from './commands/serve.js';
import { start } from './commands/start.js';
import { status } from './commands/status.js';
import { stop } from './commands/stop.js';
import { token } from './commands/token.js';
import { expose } from './commands/expose.js';
import { lockdown } from './commands/lockdown.js';
import { gateway } from './commands/gateway.js';
import { interfaces } from './commands/interfaces.js';
import { createContext, exitCodes, UsageError, type Command } from './context.js';
import { withFlagNames } from './field-flags.js';

const commands: Command[] = [serve, add, edit, ls, rm, start, stop, restart, reset, status, logs, profiles, token, audit, expose, lockdown, interfaces, gateway];

function usage(): string {
  const width = Math.max(...commands.map((c) => c.usage.length));
  return [
    'usage: portcullis [--home DIR] COMMAND ...',
    '',
    ...commands.map((c) => `  ${c.usage.padEnd(width)}  ${c.summary}`),
    '',
    'The home is --home DIR, else $PORTCULLIS_HOME, else the desktop app\'s data directory.',
    'Exit codes: 0 done, 1 failed, 2 usage error, 3 no running Portcullis in that home.',
  ].join('\n');
}

/** `--home` may stand before or after the command name. */
function takeHome(argv: string[]): [string | undefined, string[]] {
  const rest: string[] = [];
  let home: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--') {
      rest.push(...argv.slice(i));
      break;
    }
    if (arg === '--home') {
      home = argv[++i];
      if (home === undefined) throw new UsageError('--home needs a directory');
    } else if (arg.startsWith('--home=')) home = arg.slice(7);
    else rest.push(arg);
  }
  return [home, rest];
}

export async function main(argv: string[]): Promise<number> {
  // A reader that stopped early (`portcullis audit | head`) is no failure of ours: the command
  // did its work and only its output went unread. End quietly, never with a stack trace.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(exitCodes.ok);
    throw e;
  });
  const err = (text: string): void => void process.stderr.write(`${text}\n`);
  let command: Command | undefined;
  try {
    const [homeFlag, rest] = takeHome(argv);
    const [name, ...args] = rest;
    if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
      process.stdout.write(`${usage()}\n`);
      return name === undefined ? exitCodes.usage : exitCodes.ok;
    }
    if (name === '--version' || name === 'version') {
      process.stdout.write(`${version}\n`);
      return exitCodes.ok;
    }
    command = commands.find((c) => c.name === name);
    if (!command) throw new UsageError(`unknown command: ${name}`);
    if (args.includes('--help') && !args.slice(0, args.indexOf('--help')).includes('--')) {
      process.stdout.write(`usage: portcullis ${command.usage}\n`);
      return exitCodes.ok;
    }
    const home = resolveHome(homeFlag);
    return await command.run(args, createContext(home));
  } catch (e) {
    if (e instanceof UsageError) {
      err(`portcullis: ${e.message}`);
      err(command ? `usage: portcullis ${command.usage}` : usage());
      return exitCodes.usage;
    }
    if (e instanceof NotRunningError) {
      err(`portcullis: no running Portcullis in this home (no answer on ${e.socketPath}).`);
      err('Start one with `portcullis serve` (add --home DIR for another home), or open the desktop app.');
      return exitCodes.notRunning;
    }
    if (e instanceof CallError) {
      err(`portcullis: ${withFlagNames(e.shape, command?.flags)}`);
      return e.shape.code === 'invalid_args' ? exitCodes.usage : exitCodes.failed;
    }
    if (e instanceof PortcullisError || e instanceof Error) {
      err(`portcullis: ${e.message}`);
      return exitCodes.failed;
    }
    err(`portcullis: ${String(e)}`);
    return exitCodes.failed;
  }
}
