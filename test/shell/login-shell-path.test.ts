import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { adoptLoginShellPath, loginShellPath, mergePath } from '../../main/shell/login-shell-path.js';
import { tempDir } from '../helpers/tmp.js';

/** A stand-in login shell: a real executable run the way the shell module runs $SHELL. */
function shell(dir: string, name: string, body: string): string {
  const file = join(dir, name);
  writeFileSync(file, `#!/bin/sh\n${body}\n`);
  chmodSync(file, 0o755);
  return file;
}

describe('the PATH of a GUI-launched app', () => {
  const dir = tempDir('pc-shp-');

  it('takes the login shell\'s PATH even when its profile prints a banner', async () => {
    // Like a profile that sets PATH (Homebrew, nvm) and greets the user, then runs `-c`.
    const zsh = shell(dir, 'banner-sh', 'echo "Welcome!"; PATH="/opt/homebrew/bin:/home/u/.nvm/bin:/usr/bin"; export PATH; eval "$2"; echo bye');
    expect(await loginShellPath(zsh, { PATH: '/usr/bin:/bin' })).toBe('/opt/homebrew/bin:/home/u/.nvm/bin:/usr/bin');
  });

  it('puts those directories first and keeps the rest, once each', async () => {
    const zsh = shell(dir, 'path-sh', 'PATH="/opt/homebrew/bin:/usr/bin"; export PATH; eval "$2"');
    const env: NodeJS.ProcessEnv = { SHELL: zsh, PATH: '/usr/bin:/bin:/usr/sbin:/sbin' };
    await adoptLoginShellPath({ platform: 'darwin', env, fromTerminal: false, log: () => undefined });
    expect(env.PATH).toBe('/opt/homebrew/bin:/usr/bin:/bin:/usr/sbin:/sbin');
    expect(mergePath('/a::/b', '/b:/c:')).toBe('/a:/b:/c');
  });

  it('keeps the current PATH and says so when the shell fails or hangs', async () => {
    const logged: string[] = [];
    const log = (message: string): void => void logged.push(message);
    for (const body of ['exit 3', 'sleep 30', 'eval "$2" >/dev/null']) {
      const env: NodeJS.ProcessEnv = { SHELL: shell(dir, `bad-${logged.length}`, body), PATH: '/usr/bin:/bin' };
      await adoptLoginShellPath({ platform: 'linux', env, fromTerminal: false, log, timeoutMs: 1_000 });
      expect(env.PATH, body).toBe('/usr/bin:/bin');
    }
    expect(logged).toHaveLength(3);
    expect(logged[0]).toMatch(/could not read PATH from the login shell/);
  });

  it('leaves Windows alone, and a PATH from the terminal that started the app', async () => {
    const env: NodeJS.ProcessEnv = { SHELL: '/nonexistent', PATH: 'C:\\Windows' };
    await adoptLoginShellPath({ platform: 'win32', env, fromTerminal: false, log: () => undefined });
    expect(env.PATH).toBe('C:\\Windows');
    const zsh = shell(dir, 'term-sh', 'PATH="/opt/homebrew/bin"; export PATH; eval "$2"');
    const terminal: NodeJS.ProcessEnv = { SHELL: zsh, PATH: '/home/u/venv/bin:/usr/bin' };
    await adoptLoginShellPath({ platform: 'darwin', env: terminal, fromTerminal: true, log: () => undefined });
    expect(terminal.PATH).toBe('/home/u/venv/bin:/usr/bin');
  });
});
