import type { ErrorShape } from '../core/api.js';

/**
 * The engine names the argument it refused by its API field (`durationMs`, `hostNames.0`);
 * at the command line the user typed a flag. A command that lists its flags gets them named
 * instead: "--for: duration must be at least 1 second", "--port must be between 1 and 65535".
 */
export function withFlagNames(shape: ErrorShape, flags: Readonly<Record<string, string>> | undefined): string {
  const field = shape.field;
  if (!field || !flags) return shape.message;
  const flag = flags[field.split('.')[0] as string];
  if (!flag) return shape.message;
  if (shape.message.startsWith(`${field}: `)) return `${flag}: ${shape.message.slice(field.length + 2)}`;
  if (shape.message.startsWith(`${field} `)) return `${flag} ${shape.message.slice(field.length + 1)}`;
  return shape.message;
}
