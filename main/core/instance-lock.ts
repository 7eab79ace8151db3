import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { Face } from './contract/system.js';
import { PortcullisError } from './errors.js';

export interface InstanceInfo {
  pid: number;
  face: Face;
  startedAt: string;
}

const lockFile = (home: string): string => join(home, 'instance.json');

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function readInstance(home: string): InstanceInfo | null {
  try {
    const info = JSON.parse(readFileSync(lockFile(home), 'utf8')) as InstanceInfo;
    return typeof info.pid === 'number' && alive(info.pid) ? info : null;
  } catch {
    return null;
  }
}

const describeFace = (face: Face): string =>
  face === 'desktop' ? 'the Portcullis desktop app' : face === 'serve' ? '`portcullis serve`' : 'a Portcullis test engine';

/**
 * One engine per home: two would fight over the same servers, settings and socket. The lock
 * is a file created exclusively; one left by a dead process is taken over.
 */
export function acquireInstanceLock(home: string, face: Face): () => void {
  const file = lockFile(home);
  const info: InstanceInfo = { pid: process.pid, face, startedAt: new Date().toISOString() };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o600);
      writeSync(fd, JSON.stringify(info));
      closeSync(fd);
      return () => {
        if (readInstance(home)?.pid === process.pid) rmSync(file, { force: true });
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = readInstance(home);
      if (holder) {
        throw new PortcullisError(
          'conflict',
          `${describeFace(holder.face)} (pid ${holder.pid}, since ${holder.startedAt}) is already running on ${home}. Use it, stop it first, or choose another home with --home DIR.`,
        );
      }
      rmSync(file, { force: true });
    }
  }
  throw new PortcullisError('conflict', `could not take the instance lock ${file}; another Portcullis is starting on ${home}.`);
}
