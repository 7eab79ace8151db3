import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './context.js';

type Options = NonNullable<ParseArgsConfig['options']>;

/** node:util parseArgs, with its errors turned into usage errors that say what was wrong. */
export function parse<O extends Options>(argv: string[], options: O, positionals: { min: number; max: number; names: string }) {
  let result;
  try {
    result = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError((err as Error).message.replace(/^TypeError \[\w+\]: /, ''));
  }
  const count = result.positionals.length;
  if (count < positionals.min) throw new UsageError(`missing ${positionals.names}`);
  if (count > positionals.max) throw new UsageError(`unexpected argument: ${result.positionals[positionals.max]}`);
  return result;
}

export function intOption(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^-?\d+$/.test(value)) throw new UsageError(`--${name} must be a whole number, not "${value}"`);
  return Number(value);
}

/** Splits `a b -- c d` into the part before `--` and the part after it. */
export function splitAtDoubleDash(argv: string[]): [string[], string[] | null] {
  const at = argv.indexOf('--');
  return at === -1 ? [argv, null] : [argv.slice(0, at), argv.slice(at + 1)];
}
