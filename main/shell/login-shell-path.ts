import { spawn } from 'node:child_process';
import { delimiter } from 'node:path';

const MARK = '__PORTCULLIS_PATH__';

/**
 * The PATH the user's login shell sets up. An app started from the Dock, Finder or a desktop
 * launcher gets a bare PATH (on macOS just /usr/bin:/bin:/usr/sbin:/sbin), so `node`,
 * `python3` or `ollama` installed by Homebrew, nvm or pipx would be "not found" although they
 * work in the user's terminal. Asks the shell once, with markers around the answer because
 * profiles may print banners. Null if the shell fails or takes longer than `timeoutMs`.
 */
export function loginShellPath(shell: string, env: NodeJS.ProcessEnv, timeoutMs = 5_000): Promise<string | null> {
  return new Promise((resolve) => {
    let out = '';
    let settled = false;
    const finish = (value: string | null): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(value);
    };
    const child = spawn(shell, ['-ilc', `printf '%s%s%s' '${MARK}' "$PATH" '${MARK}'`], {
      // oh-my-zsh and similar would otherwise stop to offer updates.
      env: { ...env, DISABLE_AUTO_UPDATE: 'true' },
      stdio: ['ignore', 'pipe', 'ignore'],
      detached: process.platform !== 'win32',
    });
    const timer = setTimeout(() => {
      // The whole group: a profile may have started children of its own.
      try {
        process.kill(-(child.pid ?? 0), 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
      finish(null);
    }, timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.length > 1_000_000) child.kill('SIGKILL');
    });
    child.on('error', () => finish(null));
    child.on('close', (code) => {
      const found = out.split(MARK);
      finish(code === 0 && found.length >= 3 && found[1] ? found[1] : null);
    });
  });
}

/** `first`'s entries, then those of `then` not already present; order kept, empties dropped. */
export function mergePath(first: string, then: string | undefined): string {
  const seen = new Set<string>();
  return [...first.split(delimiter), ...(then ?? '').split(delimiter)]
    .filter((dir) => dir !== '' && !seen.has(dir) && seen.add(dir))
    .join(delimiter);
}

/**
 * Puts the login shell's PATH in front of this process's, for every server it starts. Not
 * when started from a terminal: that PATH is already the user's, perhaps with a virtualenv
 * activated, and must win.
 */
export async function adoptLoginShellPath(options: {
  platform: NodeJS.Platform;
  env: NodeJS.ProcessEnv;
  fromTerminal: boolean;
  log: (message: string, err?: unknown) => void;
  timeoutMs?: number;
}): Promise<void> {
  // Windows programs read PATH from the registry, which GUI apps already get.
  if (options.platform === 'win32' || options.fromTerminal) return;
  const shell = options.env.SHELL || (options.platform === 'darwin' ? '/bin/zsh' : '/bin/sh');
  const path = await loginShellPath(shell, options.env, options.timeoutMs);
  if (path === null) {
    options.log(`could not read PATH from the login shell ${shell}; servers are started with PATH=${options.env.PATH ?? ''}`);
    return;
  }
  options.env.PATH = mergePath(path, options.env.PATH);
}
