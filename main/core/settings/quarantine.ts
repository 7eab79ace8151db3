import { existsSync, readFileSync, renameSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { settingsSchema } from './schema.js';

/**
 * A settings file that no longer parses is moved aside (never deleted: it holds the user's
 * server definitions) before the store opens, so the app starts with defaults and says so.
 * Returns the warning to show, or null when the file is fine or absent.
 */
export function quarantineCorruptSettings(file: string, now = new Date()): string | null {
  if (!existsSync(file)) return null;
  const problem = diagnose(readFileSync(file, 'utf8'));
  if (problem === null) return null;
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  const aside = join(dirname(file), `${basename(file, '.json')}.corrupt-${stamp}.json`);
  renameSync(file, aside);
  return `The settings file ${file} could not be read (${problem}). It was moved to ${aside} and Portcullis started with default settings; copy what you need back from that file.`;
}

function diagnose(text: string): string | null {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    return `not valid JSON: ${(err as Error).message}`;
  }
  const parsed = settingsSchema.safeParse(data);
  if (parsed.success) return null;
  const issue = parsed.error.issues[0];
  return `${issue?.path.join('.') || 'settings'}: ${issue?.message ?? 'invalid'}`;
}
