/**
 * A profiling and A/B driver, not part of `npm run bench:gateway`: the upstream and gateway
 * roles of bench/gateway-roles.ts under the bench's load generator (wrk, else autocannon), rounds interleaved, printing req/s and the
 * gateway's CPU time per request (steadier than req/s on a shared machine).
 *   node --import tsx bench/gateway-profile.ts
 * PROF=1            run the gateway under `node --cpu-prof` (profiles into PROF_DIR, /tmp/gwprof)
 * ROLES=FILE        measure this roles file (a variant of gateway-roles.ts) as "current"
 * BASELINE=FILE     also run the gateway role of another checkout's gateway-roles.ts, side by side
 * CPU per request is the whole process's (every thread) and the main thread's alone (the event
 * loop, which serves every request; the journal's writer thread runs beside it).
 * THREADS=1         also print CPU per request of each of the gateway's threads (main, then by id)
 * TSX=1             run the roles through tsx rather than as the plain bundle the bench runs
 * ROLE=gateway      or httpproxy;  CONNS (50), SECS (4), ROUNDS (3), TARGET_PATH (/small)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { bundleRoles } from './gateway-bundle.js';
import { load } from './load.js';

const env = process.env;
const TOKEN = 'bench-token-4f9c2a7e1d3b5c8a0e6f2d4b7a9c1e3f5d7b9a1c3e5';

function start(file: string, role: string, nodeArgs: string[], ...args: string[]): Promise<{ port: number; child: ChildProcess }> {
  const child = spawn(process.execPath, [...nodeArgs, ...(file.endsWith('.ts') ? ['--import', 'tsx'] : []), file, role, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve) => {
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d;
      const m = /ready (\d+)/.exec(out);
      if (m) resolve({ port: Number(m[1]), child });
    });
  });
}

/** User + system CPU time of a process so far, in clock ticks (100 per second). */
function ticks(pid: number, thread = false): { user: number; sys: number } {
  const stat = readFileSync(thread ? `/proc/${pid}/task/${pid}/stat` : `/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { user: Number(f[11]), sys: Number(f[12]) };
}

/** Every thread's CPU ticks so far, by thread id (Node 20 names every thread "node"). */
function threadTicks(pid: number): Map<string, number> {
  const out = new Map<string, number>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const name = tid === String(pid) ? 'main' : `${stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'))}#${tid}`;
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(name, (out.get(name) ?? 0) + Number(f[11]) + Number(f[12]));
    } catch {
      // A thread that ended meanwhile.
    }
  }
  return out;
}

async function run(name: string, port: number, pid: number, secs: number): Promise<void> {
  const threadsBefore = env.THREADS ? threadTicks(pid) : null;
  const before = ticks(pid);
  const loopBefore = ticks(pid, true);
  const r = await load({
    url: `http://127.0.0.1:${port}${env.TARGET_PATH ?? '/small'}`,
    connections: Number(env.CONNS ?? 50),
    seconds: secs,
    headers: { authorization: `Bearer ${TOKEN}` },
  });
  const after = ticks(pid);
  const loopAfter = ticks(pid, true);
  const loop = loopAfter.user + loopAfter.sys - loopBefore.user - loopBefore.sys;
  const us = (t: number): string => ((t * 1e4) / r.total).toFixed(1);
  const user = after.user - before.user;
  const sys = after.sys - before.sys;
  console.log(
    `${name.padEnd(10)} ${r.rps.toFixed(0).padStart(6)} req/s  p50 ${r.p50.toFixed(2)} ms  p99 ${r.p99.toFixed(2)} ms  ${us(user + sys)} µs CPU/req (user ${us(user)}, sys ${us(sys)}; event loop ${us(loop)})  failed ${r.failures}`,
  );
  if (threadsBefore) {
    const threadsAfter = threadTicks(pid);
    const parts = [...threadsAfter].map(([n, t]) => [n, t - (threadsBefore.get(n) ?? 0)] as const).filter(([, t]) => t > 0).sort((a, b) => b[1] - a[1]);
    console.log(`           by thread (µs/req): ${parts.map(([n, t]) => `${n} ${us(t)}`).join(', ')}`);
  }
}

async function main(): Promise<void> {
  const roles = env.TSX ? new URL('./gateway-roles.ts', import.meta.url).pathname : await bundleRoles(env.ROLES ? new URL(env.ROLES, `file://${process.cwd()}/`).pathname : undefined);
  const up = await start(roles, 'upstream', []);
  const prof = env.PROF ? ['--cpu-prof', `--cpu-prof-dir=${env.PROF_DIR ?? '/tmp/gwprof'}`] : [];
  const targets = [{ name: 'current', ...(await start(roles, env.ROLE ?? 'gateway', prof, String(up.port), TOKEN)) }];
  if (env.BASELINE) {
    const file = env.TSX ? env.BASELINE : await bundleRoles(env.BASELINE, 'gateway-roles-baseline');
    targets.push({ name: 'baseline', ...(await start(file, env.ROLE ?? 'gateway', [], String(up.port), TOKEN)) });
  }
  for (const t of targets) await run(`${t.name} (warm)`, t.port, t.child.pid as number, 1);
  for (let round = 0; round < Number(env.ROUNDS ?? 3); round++) {
    for (const t of targets) await run(t.name, t.port, t.child.pid as number, Number(env.SECS ?? 4));
  }
  for (const t of targets) {
    t.child.kill('SIGTERM');
    await new Promise((r) => t.child.once('exit', r));
  }
  up.child.kill('SIGTERM');
  process.exit(0);
}

void main();
