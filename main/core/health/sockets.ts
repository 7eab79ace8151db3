import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import type { ListeningSocket } from '../contract/servers.js';

/**
 * The TCP sockets some processes really listen on, read from the OS rather than assumed from
 * flags: Linux /proc/net/tcp{,6} joined to /proc/PID/fd, macOS lsof, Windows netstat.
 */
export function listeningSockets(pids: readonly number[]): ListeningSocket[] {
  if (pids.length === 0) return [];
  if (process.platform === 'linux') return linuxListening(pids);
  if (process.platform === 'win32') return windowsListening(pids);
  return lsofListening(pids);
}

/** Who listens on a TCP port on this machine, if we can tell (Linux only): pid or null. */
export function portHolder(port: number): number | null {
  if (process.platform !== 'linux') return null;
  const inodes = new Set(readProcNet().filter((s) => s.port === port).map((s) => s.inode));
  if (inodes.size === 0) return null;
  for (const name of readdirSync('/proc')) {
    const pid = Number(name);
    if (!Number.isInteger(pid)) continue;
    for (const inode of socketInodes(pid)) if (inodes.has(inode)) return pid;
  }
  return null;
}

export function isLoopback(address: string): boolean {
  const a = address.toLowerCase();
  return a.startsWith('127.') || a === '::1' || a.startsWith('::ffff:127.') || a === 'localhost';
}

export const formatSocket = (s: Pick<ListeningSocket, 'address' | 'port'>): string =>
  s.address.includes(':') ? `[${s.address}]:${s.port}` : `${s.address}:${s.port}`;

interface ProcNetEntry {
  address: string;
  port: number;
  inode: string;
}

function linuxListening(pids: readonly number[]): ListeningSocket[] {
  const owner = new Map<string, number>();
  for (const pid of pids) for (const inode of socketInodes(pid)) owner.set(inode, pid);
  const seen = new Set<string>();
  const out: ListeningSocket[] = [];
  for (const entry of readProcNet()) {
    const pid = owner.get(entry.inode);
    const key = `${entry.address}|${entry.port}`;
    if (pid === undefined || seen.has(key)) continue;
    seen.add(key);
    out.push({ address: entry.address, port: entry.port, pid, loopback: isLoopback(entry.address) });
  }
  return out;
}

function socketInodes(pid: number): string[] {
  let fds: string[];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const fd of fds) {
    try {
      const link = readlinkSync(`/proc/${pid}/fd/${fd}`);
      if (link.startsWith('socket:[')) out.push(link.slice(8, -1));
    } catch {
      // The fd closed while we looked.
    }
  }
  return out;
}

const LISTEN = '0A';

function readProcNet(): ProcNetEntry[] {
  const out: ProcNetEntry[] = [];
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols.length < 10 || cols[3] !== LISTEN) continue;
      const [hexAddr = '', hexPort = '0'] = (cols[1] ?? '').split(':');
      out.push({ address: decodeAddress(hexAddr), port: parseInt(hexPort, 16), inode: cols[9] ?? '' });
    }
  }
  return out;
}

/** /proc/net writes addresses as host-order 32-bit words in hex. */
export function decodeAddress(hex: string): string {
  const words = hex.match(/.{8}/g) ?? [];
  const bytes = words.flatMap((w) => [6, 4, 2, 0].map((i) => parseInt(w.slice(i, i + 2), 16)));
  if (bytes.length === 4) return bytes.join('.');
  if (bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff) {
    return `::ffff:${bytes.slice(12).join('.')}`;
  }
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0)).toString(16));
  return compressV6(groups);
}

function compressV6(groups: string[]): string {
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < groups.length; ) {
    if (groups[i] !== '0') {
      i++;
      continue;
    }
    let j = i;
    while (j < groups.length && groups[j] === '0') j++;
    if (j - i > bestLen) [bestStart, bestLen] = [i, j - i];
    i = j;
  }
  if (bestLen < 2) return groups.join(':');
  return `${groups.slice(0, bestStart).join(':')}::${groups.slice(bestStart + bestLen).join(':')}`;
}

function lsofListening(pids: readonly number[]): ListeningSocket[] {
  const run = spawnSync('lsof', ['-nP', '-a', '-iTCP', '-sTCP:LISTEN', '-p', pids.join(','), '-F', 'pn'], { encoding: 'utf8' });
  const out: ListeningSocket[] = [];
  let pid: number | null = null;
  for (const line of (run.stdout ?? '').split('\n')) {
    if (line.startsWith('p')) pid = Number(line.slice(1));
    if (!line.startsWith('n')) continue;
    const m = /^n(?:\[(.+)\]|(.+)):(\d+)$/.exec(line);
    if (!m) continue;
    const address = (m[1] ?? m[2] ?? '').replace(/^\*$/, '0.0.0.0');
    out.push({ address, port: Number(m[3]), pid, loopback: isLoopback(address) });
  }
  return out;
}

function windowsListening(pids: readonly number[]): ListeningSocket[] {
  const run = spawnSync('netstat', ['-ano', '-p', 'TCP'], { encoding: 'utf8', windowsHide: true });
  const wanted = new Set(pids);
  const out: ListeningSocket[] = [];
  for (const line of (run.stdout ?? '').split(/\r?\n/)) {
    const cols = line.trim().split(/\s+/);
    if (cols[0] !== 'TCP' || cols[3] !== 'LISTENING' || !wanted.has(Number(cols[4]))) continue;
    const m = /^(?:\[(.+)\]|(.+)):(\d+)$/.exec(cols[1] ?? '');
    if (!m) continue;
    const address = m[1] ?? m[2] ?? '';
    out.push({ address, port: Number(m[3]), pid: Number(cols[4]), loopback: isLoopback(address) });
  }
  return out;
}
