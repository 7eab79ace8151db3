import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import { PortcullisError } from '../errors.js';

/**
 * Checks a definition can start before spawning it, so a typo gives one clear error at once
 * instead of a crash loop.
 */
export function resolveCommand(command: string, cwd: string, env: NodeJS.ProcessEnv): string {
  if (command.includes('/') || command.includes('\\')) {
    const path = isAbsolute(command) ? command : resolve(cwd, command);
    return checkExecutable(path, command);
  }
  const dirs = (env.PATH ?? env.Path ?? '').split(delimiter).filter(Boolean);
  const exts = process.platform === 'win32' ? (env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';') : [''];
  for (const dir of dirs) {
    for (const ext of exts) {
      const candidate = join(dir, command + ext);
      if (isExecutableFile(candidate)) return candidate;
    }
  }
  throw new PortcullisError(
    'failed',
    `command not found: ${command} (searched PATH). Install it, or give its full path in the server's command.`,
    'command',
  );
}

export function checkCwd(cwd: string): void {
  let isDir = false;
  try {
    isDir = statSync(cwd).isDirectory();
  } catch {
    throw new PortcullisError('failed', `working directory not found: ${cwd}. Create it or change the server's cwd.`, 'cwd');
  }
  if (!isDir) throw new PortcullisError('failed', `working directory is not a directory: ${cwd}. Change the server's cwd.`, 'cwd');
}

function checkExecutable(path: string, shown: string): string {
  let isFile = false;
  try {
    isFile = statSync(path).isFile();
  } catch {
    throw new PortcullisError('failed', `command not found: ${shown}. Check the path, or install it.`, 'command');
  }
  if (!isFile || !isExecutableFile(path)) {
    throw new PortcullisError(
      'failed',
      `command is not executable: ${shown}. Make it executable (chmod +x) or run it through its interpreter.`,
      'command',
    );
  }
  return path;
}

function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
