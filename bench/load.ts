/**
 * The load generator behind `npm run bench:gateway`: wrk where it is installed (apt), else
 * autocannon. wrk is preferred because it is C and light — on two shared cores a Node load
 * generator takes a whole core from the proxies it measures — and because it reports latency
 * in microseconds, where autocannon rounds to whole milliseconds (a 0.4 ms p99 and a 0.9 ms
 * p99 would both read "0 ms", so p99 ratios at one connection said nothing).
 */
import { spawn, spawnSync } from 'node:child_process';
import autocannon from 'autocannon';

export interface LoadResult {
  rps: number;
  /** Latency percentiles in milliseconds. */
  p50: number;
  p99: number;
  total: number;
  /** Non-2xx answers plus socket errors and timeouts. */
  failures: number;
}

export interface LoadOptions {
  url: string;
  connections: number;
  seconds: number;
  headers: Record<string, string>;
}

export const wrkPath: string | null = (() => {
  const which = spawnSync('sh', ['-c', 'command -v wrk'], { encoding: 'utf8' });
  return which.status === 0 && which.stdout.trim() ? which.stdout.trim() : null;
})();

export const generatorName = wrkPath ? 'wrk (1 thread)' : 'autocannon';

export function load(options: LoadOptions): Promise<LoadResult> {
  return wrkPath ? wrk(wrkPath, options) : cannon(options);
}

async function cannon(o: LoadOptions): Promise<LoadResult> {
  const r = await autocannon({ url: o.url, connections: o.connections, duration: o.seconds, headers: o.headers });
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, total: r.requests.total, failures: r.non2xx + r.errors };
}

const UNIT_MS: Record<string, number> = { us: 0.001, ms: 1, s: 1000, m: 60_000 };

/** "812.00us", "1.23ms", "2.01s" → milliseconds. */
function duration(text: string): number {
  const m = /^([\d.]+)(us|ms|s|m)$/.exec(text);
  if (!m) throw new Error(`wrk printed a latency this bench cannot read: ${text}`);
  return Number(m[1]) * (UNIT_MS[m[2] as string] as number);
}

export function parseWrk(out: string): LoadResult {
  const grab = (re: RegExp): string => {
    const m = re.exec(out);
    if (!m) throw new Error(`wrk output lacks ${re}:\n${out}`);
    return m[1] as string;
  };
  const total = Number(grab(/(\d+) requests in/));
  const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0);
  const errs = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  const socketErrors = errs ? errs.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0;
  return {
    rps: Number(grab(/Requests\/sec:\s+([\d.]+)/)),
    p50: duration(grab(/^\s+50%\s+(\S+)/m)),
    p99: duration(grab(/^\s+99%\s+(\S+)/m)),
    total,
    failures: non2xx + socketErrors,
  };
}

function wrk(bin: string, o: LoadOptions): Promise<LoadResult> {
  const args = ['-t1', `-c${o.connections}`, `-d${o.seconds}s`, '--latency', '--timeout', '5s'];
  for (const [k, v] of Object.entries(o.headers)) args.push('-H', `${k}: ${v}`);
  args.push(o.url);
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code !== 0) reject(new Error(`wrk exited with ${code}:\n${out}`));
      else {
        try {
          resolve(parseWrk(out));
        } catch (err) {
          reject(err as Error);
        }
      }
    });
  });
}
