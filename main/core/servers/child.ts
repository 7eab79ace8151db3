import { spawn } from 'node:child_process';
import { keepOutputDrained } from './output-drain.js';
import { PortcullisError } from '../errors.js';
import { LineSplitter } from './line-splitter.js';
import { pidAlive, processStartTime } from './proc.js';

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** An adopted process is not our child: its exit status cannot be known. */
  known: boolean;
}

/** A process a server runs as: one we spawned, or one a previous Portcullis left running. */
export interface RunningProcess {
  pid: number;
  /** Its process group: the pid itself, as it was spawned detached. */
  pgid: number;
  startTime: string | null;
  adopted: boolean;
  /** Resolves at once when the process exits (not when its output closes: grandchildren may hold that). */
  exit: Promise<ExitInfo>;
  /** Stop watching without stopping it (quitting with "leave running"). */
  detach(): void;
}

export interface SpawnSpec {
  executable: string;
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  onLine: (stream: 'stdout' | 'stderr', text: string) => void;
}

/** Spawns detached (its own process group) with piped output; rejects when the OS refuses to run it. */
export function spawnProcess(spec: SpawnSpec): Promise<RunningProcess> {
  // detached puts the server in its own process group: stop signals reach its children too,
  // and a Ctrl-C in the terminal running Portcullis does not hit the servers directly.
  const child = spawn(spec.executable, spec.args, {
    cwd: spec.cwd,
    env: spec.env,
    detached: true,
    shell: false,
    stdio: ['ignore', 'pipe', 'pipe'],
    windowsHide: true,
  });
  for (const stream of ['stdout', 'stderr'] as const) {
    const source = child[stream];
    if (!source) continue;
    source.setEncoding('utf8');
    const splitter = new LineSplitter((text) => spec.onLine(stream, text));
    source.on('data', (chunk: string) => splitter.push(chunk));
    source.on('end', () => splitter.flush());
    source.on('error', () => undefined);
  }
  const exit = new Promise<ExitInfo>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal, known: true })));
  return new Promise((resolve, reject) => {
    child.once('spawn', () => {
      const pid = child.pid as number;
      // Whatever happens to Portcullis (a quit that leaves servers running, a crash), the
      // server's output keeps a reader: it must not die of a broken pipe.
      keepOutputDrained(pid, [child.stdout, child.stderr]);
      const detach = (): void => {
        child.unref();
        child.stdout?.removeAllListeners('data');
        child.stderr?.removeAllListeners('data');
      };
      resolve({ pid, pgid: pid, startTime: processStartTime(pid), adopted: false, exit, detach });
    });
    child.once('error', (err: NodeJS.ErrnoException) => reject(spawnError(err)));
  });
}

function spawnError(err: NodeJS.ErrnoException): PortcullisError {
  if (err.code === 'E2BIG') {
    return new PortcullisError('failed', 'unusable environment: the arguments and environment are too large for the system (E2BIG).', 'env');
  }
  if (err.code === 'ENOENT') return new PortcullisError('failed', `command not found: ${err.path ?? 'the command'}`, 'command');
  if (err.code === 'EACCES') return new PortcullisError('failed', `command is not executable: ${err.path ?? 'the command'}`, 'command');
  return new PortcullisError('failed', `could not start: ${err.code ?? err.message}`, 'command');
}

/**
 * Watches a process left by a Portcullis that died: it is not our child, so its exit is seen
 * by polling (pid alive with the same start time) rather than by an exit event.
 */
export function adoptProcess(pid: number, pgid: number, startTime: string | null, pollMs: number): RunningProcess {
  let timer: NodeJS.Timeout | undefined;
  const exit = new Promise<ExitInfo>((resolve) => {
    timer = setInterval(() => {
      const same = pidAlive(pid) && (startTime === null || processStartTime(pid) === startTime);
      if (!same) {
        clearInterval(timer);
        resolve({ code: null, signal: null, known: false });
      }
    }, pollMs);
  });
  return { pid, pgid, startTime, adopted: true, exit, detach: () => clearInterval(timer) };
}
