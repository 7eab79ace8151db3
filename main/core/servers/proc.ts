import { readdirSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

/** What /proc/PID/stat says about one process (Linux). */
export interface ProcStat {
  pid: number;
  state: string;
  ppid: number;
  pgrp: number;
  /** Clock ticks after boot: with the pid, it names one process across pid reuse. */
  startTicks: number;
}

const linux = process.platform === 'linux';

export function readStat(pid: number): ProcStat | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // The command name (field 2) may hold spaces and parentheses: fields start after the last ')'.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return {
    pid,
    state: fields[0] ?? '?',
    ppid: Number(fields[1]),
    pgrp: Number(fields[2]),
    startTicks: Number(fields[19]),
  };
}

export function allPids(): number[] {
  if (!linux) return [];
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    const pid = Number(name);
    if (Number.isInteger(pid) && pid > 0) out.push(pid);
  }
  return out;
}

/**
 * A start time that, with the pid, identifies one process: /proc's start ticks on Linux,
 * `ps -o lstart` elsewhere. Null when the process is gone.
 */
export function processStartTime(pid: number): string | null {
  if (linux) {
    const stat = readStat(pid);
    return stat && stat.state !== 'Z' ? String(stat.startTicks) : null;
  }
  if (process.platform === 'win32') return pidAlive(pid) ? 'unknown' : null;
  const ps = spawnSync('ps', ['-o', 'lstart=', '-p', String(pid)], { encoding: 'utf8' });
  const out = ps.stdout?.trim();
  return ps.status === 0 && out ? out : null;
}

/** Alive and not a zombie: a zombie holds no port, memory or GPU, it only waits to be reaped. */
export function pidAlive(pid: number): boolean {
  if (linux) {
    const stat = readStat(pid);
    return stat !== null && stat.state !== 'Z';
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Live (non-zombie) members of a process group, from /proc on Linux. */
export function groupMembers(pgid: number): ProcStat[] {
  if (!linux) return [];
  const out: ProcStat[] = [];
  for (const pid of allPids()) {
    const stat = readStat(pid);
    if (stat && stat.pgrp === pgid && stat.state !== 'Z') out.push(stat);
  }
  return out;
}

/** The command line of a process, for messages such as "port 8000 is held by pid 42 (python3 -m http.server)". */
export function commandLine(pid: number): string | null {
  if (!linux) {
    const ps = spawnSync('ps', ['-o', 'command=', '-p', String(pid)], { encoding: 'utf8' });
    return ps.status === 0 ? ps.stdout.trim() || null : null;
  }
  try {
    const raw = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    const line = raw.split('\0').filter(Boolean).join(' ');
    return line.length > 160 ? `${line.slice(0, 160)}…` : line || null;
  } catch {
    return null;
  }
}
