/**
 * `npm run bench:gateway`: the gateway side by side with direct access, nginx (when
 * installed) and an http-proxy-3 proxy, in one run on loopback. Every proxy checks a bearer
 * token; the gateway also runs its limits and writes access records to a real audit journal.
 * Prints requests/s and p50/p99 latency per case, ratios against the targets, an SSE stream's
 * added per-event latency, the same over HTTPS beside nginx (when wrk and openssl are there),
 * and how long lock down takes to end open streams.
 *
 * "gw-node-http" is the same gateway served by node:http (what it falls back to where Node's
 * parser is out of reach), so the gain of its own HTTP/1.1 server is measured in the same run.
 *
 * The roles run as one plain bundle (bench/gateway-bundle.ts), as the app's build compiles
 * them. BENCH_BASELINE=/other/checkout/bench/gateway-roles.ts adds that checkout's gateway as
 * "gw-baseline", measured in the same interleaved rounds: before/after in one run.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { defaultLimits } from '../main/core/gateway/limits.js';
import { ExposureListener } from '../main/core/gateway/listener.js';
import { bundleRoles } from './gateway-bundle.js';
import { generatorName, load as generate, wrkPath } from './load.js';

const TOKEN = 'bench-token-4f9c2a7e1d3b5c8a0e6f2d4b7a9c1e3f5d7b9a1c3e5';
const DURATION_S = Number(process.env.BENCH_SECONDS ?? 2);
/** Rounds per case, targets interleaved, median kept: the machine is shared and noisy. */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
let roles = '';
const children: ChildProcess[] = [];
const cleanups: Array<() => void> = [];

function startRole(role: string, ...args: string[]): Promise<{ port: number; pids: number[] }> {
  return startRoleFrom(roles, role, ...args);
}

function startRoleFrom(file: string, role: string, ...args: string[]): Promise<{ port: number; pids: number[] }> {
  return startRoleWith({}, file, role, ...args);
}

function startRoleWith(env: NodeJS.ProcessEnv, file: string, role: string, ...args: string[]): Promise<{ port: number; pids: number[] }> {
  const child = spawn(process.execPath, [file, role, ...args], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...env } });
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d;
      const m = /ready (\d+)/.exec(out);
      if (m) resolve({ port: Number(m[1]), pids: [child.pid as number] });
    });
    child.once('exit', (code) => reject(new Error(`${role} exited with ${code}`)));
  });
}

function waitListening(port: number, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = (): void => {
      const s = connect({ host: '127.0.0.1', port });
      s.once('connect', () => {
        s.destroy();
        resolve();
      });
      s.once('error', () => (Date.now() > deadline ? reject(new Error(`nothing listening on ${port}`)) : setTimeout(attempt, 50)));
    };
    attempt();
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** nginx as a bearer-checking reverse proxy: one worker, keep-alive to the upstream; HTTPS (TLS 1.3) when given a certificate. */
async function startNginx(upstreamPort: number, tls: Certificate | null = null): Promise<{ port: number; pids: number[] } | null> {
  const which = spawnSync('sh', ['-c', 'command -v nginx'], { encoding: 'utf8' });
  const bin = which.stdout.trim();
  if (which.status !== 0 || !bin) return null;
  const dir = mkdtempSync(join(tmpdir(), 'pc-nginx-'));
  const port = await freePort();
  const conf = `
daemon off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 4096; }
http {
  access_log ${dir}/access.log combined buffer=64k flush=1s;
  client_body_temp_path ${dir}/body; proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fcgi; uwsgi_temp_path ${dir}/uwsgi; scgi_temp_path ${dir}/scgi;
  keepalive_requests 100000;
  upstream up { server 127.0.0.1:${upstreamPort}; keepalive 128; }
  server {
    listen 127.0.0.1:${port}${tls ? ' ssl' : ''};
    ${tls ? `ssl_certificate ${tls.certFile}; ssl_certificate_key ${tls.keyFile}; ssl_protocols TLSv1.3;` : ''}
    location / {
      if ($http_authorization != "Bearer ${TOKEN}") { return 401 '{"error":"unauthorized"}'; }
      proxy_pass http://up;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Authorization "";
      proxy_set_header X-Forwarded-For $remote_addr;
      proxy_buffering off;
    }
  }
}
`;
  writeFileSync(join(dir, 'nginx.conf'), conf);
  const child = spawn(bin, ['-p', dir, '-c', join(dir, 'nginx.conf')], { stdio: ['ignore', 'ignore', 'inherit'] });
  children.push(child);
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  try {
    await waitListening(port);
    // The one worker does the proxying; the master only supervises it.
    const workers = readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
    return { port, pids: workers };
  } catch {
    child.kill();
    return null;
  }
}

interface Target {
  name: string;
  port: number;
  /** http unless said otherwise. */
  scheme?: 'https';
  /** The proxy's processes, whose CPU time per request is measured (none for direct). */
  pids: number[];
}

interface Result {
  rps: number;
  p50: number;
  p99: number;
  failures: number;
  /** CPU time the proxy process spent per request, in microseconds: steadier than req/s on a shared machine. */
  cpuUs: number | null;
}

const CLK_TCK = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

/** User + system CPU ticks of these processes so far (/proc/PID/stat fields 14 and 15). */
function cpuTicks(pids: number[]): number {
  let total = 0;
  for (const pid of pids) {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    total += Number(fields[11]) + Number(fields[12]);
  }
  return total;
}

async function load(target: Target, path: string, connections: number, seconds: number): Promise<Result> {
  const before = cpuTicks(target.pids);
  const r = await generate({ url: `${target.scheme ?? 'http'}://127.0.0.1:${target.port}${path}`, connections, seconds, headers: { authorization: `Bearer ${TOKEN}` } });
  const ticks = cpuTicks(target.pids) - before;
  const cpuUs = target.pids.length && r.total ? (ticks * 1e6) / CLK_TCK / r.total : null;
  return { rps: r.rps, p50: r.p50, p99: r.p99, failures: r.failures, cpuUs };
}

interface Certificate {
  certFile: string;
  keyFile: string;
}

/** A self-signed ECDSA P-256 certificate for 127.0.0.1, made by openssl; null without openssl. */
function makeCertificate(): Certificate | null {
  const dir = mkdtempSync(join(tmpdir(), 'pc-tls-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const certFile = join(dir, 'cert.pem');
  const keyFile = join(dir, 'key.pem');
  const made = spawnSync(
    'openssl',
    ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', keyFile, '-out', certFile, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'],
    { stdio: 'ignore' },
  );
  return made.status === 0 ? { certFile, keyFile } : null;
}

/**
 * The gateway and nginx both serving HTTPS (TLS 1.3, ECDSA P-256, keep-alive clients), beside
 * the plain gateway: what a certificate costs, and whether the gateway keeps its place.
 */
async function httpsCases(upstreamPort: number, plainGateway: Target): Promise<void> {
  const cert = wrkPath ? makeCertificate() : null;
  if (!cert) {
    console.log('\nHTTPS: skipped (needs wrk and openssl: apt-get install -y wrk openssl)');
    return;
  }
  const gateway: Target = {
    name: 'gateway-https',
    scheme: 'https',
    ...(await startRoleWith({ BENCH_TLS_CERT: cert.certFile, BENCH_TLS_KEY: cert.keyFile }, roles, 'gateway', String(upstreamPort), TOKEN)),
  };
  const nginx = await startNginx(upstreamPort, cert);
  const targets: Target[] = [plainGateway, gateway, ...(nginx ? [{ name: 'nginx-https', scheme: 'https' as const, ...nginx }] : [])];
  const rounds = Math.max(3, Math.ceil(ROUNDS / 2));
  console.log(`\nHTTPS (TLS 1.3, ECDSA P-256), small JSON, median of ${rounds} interleaved rounds:`);
  for (const connections of [1, 50]) {
    const runs = new Map<string, Result[]>(targets.map((t) => [t.name, []]));
    for (const t of targets) await load(t, '/small', connections, 1);
    for (let round = 0; round < rounds; round++) for (const t of targets) runs.get(t.name)?.push(await load(t, '/small', connections, DURATION_S));
    const ratio = (a: string, b: string, of: (r: Result) => number): number =>
      pct((runs.get(a) ?? []).map((r, i) => of(r) / of((runs.get(b) ?? [])[i] as Result)), 50);
    for (const t of targets) {
      const r = median(runs.get(t.name) ?? []);
      console.log(`  ${`${connections} conn${connections > 1 ? 's' : ''}`.padEnd(9)} ${t.name.padEnd(14)} ${fmt(r.rps).padStart(7)} req/s  p50 ${fmt(r.p50, 2)} ms  p99 ${fmt(r.p99, 2)} ms  ${r.cpuUs === null ? '' : `${fmt(r.cpuUs)} µs CPU/req`}  failed ${r.failures}`);
    }
    const parts = [`gateway-https ${fmt(ratio('gateway-https', 'gateway', (r) => r.rps), 2)}× the plain gateway's throughput`];
    if (nginx) parts.push(`gateway-https ${fmt(ratio('gateway-https', 'nginx-https', (r) => r.rps), 2)}× nginx-https, p99 ${fmt(ratio('gateway-https', 'nginx-https', (r) => r.p99), 2)}×`);
    console.log(`  → ${parts.join('; ')}`);
  }
}

/** Each event carries the upstream's send time; the difference is the path's latency. */
function sseLatencies(port: number): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const seen: number[] = [];
    const req = request({ host: '127.0.0.1', port, path: '/sse', headers: { authorization: `Bearer ${TOKEN}` } }, (res) => {
      let buffer = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        const at = performance.timeOrigin + performance.now();
        buffer += c;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) !== -1) {
          seen.push(at - Number(buffer.slice(6, end)));
          buffer = buffer.slice(end + 2);
        }
      });
      res.on('end', () => resolve(seen));
    });
    req.on('error', reject);
    req.end();
  });
}

const pct = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
};

/** Time from lock down until every client has seen its SSE stream and WebSocket end. */
/** A listener in this process, for the lock-down measurements (its close() is what lock down calls). */
function benchListener(upstreamPort: number): Promise<ExposureListener> {
  return ExposureListener.open(
    {
      serverId: 'lock',
      serverName: 'lock',
      mode: 'lan',
      bind: '127.0.0.1',
      port: 0,
      hostNames: () => ['127.0.0.1'],
      // All connections come from one address here, and a flood must not be refused by the rate limit.
      limits: { ...defaultLimits('lan'), maxConnectionsPerClient: 1_000, rateLimit: 1_000_000_000 },
      trustedProxies: new Set(),
      tls: null,
    },
    {
      tokens: { verify: (_s, t) => (t === TOKEN ? { ok: true, tokenId: 't', label: 't' } : { ok: false, reason: 'unknown' }), onInvalidated: () => () => undefined },
      upstreamAuth: () => null,
      upstream: () => ({ ok: true, port: upstreamPort }),
      record: () => undefined,
    },
  );
}

async function lockdownTime(upstreamPort: number): Promise<{ destroyedMs: number; seenMs: number; streams: number; sockets: number }> {
  const listener = await benchListener(upstreamPort);
  const closed: Array<Promise<void>> = [];
  const opened: Array<Promise<void>> = [];
  for (let i = 0; i < 50; i++) {
    opened.push(
      new Promise((ready) => {
        const req = request({ host: '127.0.0.1', port: listener.port, path: '/sse?long', headers: { authorization: `Bearer ${TOKEN}` } }, (res) => {
          res.once('data', () => ready());
          closed.push(new Promise((done) => res.once('close', () => done())));
          res.on('error', () => undefined);
        });
        req.on('error', () => undefined);
        req.end();
      }),
    );
  }
  for (let i = 0; i < 20; i++) {
    opened.push(
      new Promise((ready) => {
        const ws = new WebSocket(`ws://127.0.0.1:${listener.port}/`, { headers: { authorization: `Bearer ${TOKEN}` } });
        ws.once('open', () => ready());
        ws.on('error', () => undefined);
        closed.push(new Promise((done) => ws.once('close', () => done())));
      }),
    );
  }
  await Promise.all(opened);
  const started = performance.now();
  const closing = listener.close();
  // Every socket is destroyed before close() returns; the clients learn of it as their loop runs.
  const destroyedMs = performance.now() - started;
  await Promise.all(closed);
  const seenMs = performance.now() - started;
  await closing;
  return { destroyedMs, seenMs, streams: 50, sockets: 20 };
}

/**
 * Lock down in the middle of a flood: wrk keeps 50 connections busy with requests, and the
 * listener is closed under it. How long until every connection is destroyed and the listener
 * is gone, and whether a new connection is refused afterwards.
 */
async function lockdownUnderLoad(upstreamPort: number, bin: string): Promise<{ sockets: number; destroyedMs: number; closedMs: number; refused: boolean; served: number }> {
  const listener = await benchListener(upstreamPort);
  const flood = spawn(bin, ['-t1', '-c50', '-d4s', '-H', `authorization: Bearer ${TOKEN}`, `http://127.0.0.1:${listener.port}/small`], { stdio: ['ignore', 'pipe', 'ignore'] });
  children.push(flood);
  let out = '';
  flood.stdout?.setEncoding('utf8').on('data', (d: string) => (out += d));
  const ended = new Promise<void>((resolve) => flood.once('exit', () => resolve()));
  // Busy: every connection open, and a second of requests through them.
  const deadline = Date.now() + 5_000;
  while (listener.connectionCount < 50 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  await new Promise((r) => setTimeout(r, 1_000));
  const sockets = listener.connectionCount;
  const started = performance.now();
  const closing = listener.close();
  const destroyedMs = performance.now() - started;
  await closing;
  const closedMs = performance.now() - started;
  const refused = await new Promise<boolean>((resolve) => {
    const s = connect({ host: '127.0.0.1', port: listener.port });
    s.once('connect', () => {
      s.destroy();
      resolve(false);
    });
    s.once('error', () => resolve(true));
  });
  await ended;
  return { sockets, destroyedMs, closedMs, refused, served: Number(/(\d+) requests in/.exec(out)?.[1] ?? 0) };
}

/** The run with the median throughput (its latencies go with it). */
function median(runs: Result[]): Result {
  return [...runs].sort((a, b) => a.rps - b.rps)[Math.floor(runs.length / 2)] as Result;
}

const fmt = (n: number, digits = 0): string => (Number.isFinite(n) ? n.toFixed(digits) : '-');

async function main(): Promise<void> {
  roles = await bundleRoles();
  const upstreamPort = (await startRole('upstream')).port;
  const targets: Target[] = [{ name: 'direct', port: upstreamPort, pids: [] }];
  targets.push({ name: 'gateway', ...(await startRole('gateway', String(upstreamPort), TOKEN)) });
  // The same gateway served by node:http (its fallback): what its own HTTP/1.1 server saves.
  targets.push({ name: 'gw-node-http', ...(await startRoleWith({ PORTCULLIS_GATEWAY_HTTP: 'node' }, roles, 'gateway', String(upstreamPort), TOKEN)) });
  const baseline = process.env.BENCH_BASELINE;
  if (baseline) {
    const file = await bundleRoles(baseline, 'gateway-roles-baseline');
    targets.push({ name: 'gw-baseline', ...(await startRoleFrom(file, 'gateway', String(upstreamPort), TOKEN)) });
  }
  const nginx = await startNginx(upstreamPort);
  if (nginx !== null) targets.push({ name: 'nginx', ...nginx });
  else console.log('nginx: not installed, skipped (apt-get install -y nginx to compare)');
  // http-proxy-3 as Vite and JupyterHub's configurable-http-proxy run it (no agent: it asks the
  // upstream to close after every request), and tuned with a keep-alive agent as nginx is.
  targets.push({ name: 'http-proxy-3', ...(await startRole('httpproxy', String(upstreamPort), TOKEN)) });
  targets.push({ name: 'hp3-keepalive', ...(await startRole('httpproxy', String(upstreamPort), TOKEN, 'keepalive')) });
  // The gateway's forwarding with no checks and no journal: how far the pipeline is from Node's floor.
  targets.push({ name: 'node-bare', ...(await startRole('bare', String(upstreamPort))) });

  console.log(`warming up (${targets.length} targets) …`);
  for (const t of targets) await load(t, '/small', 50, 1);

  const cases = [
    { label: 'small JSON, 1 conn', path: '/small', connections: 1 },
    { label: 'small JSON, 50 conns', path: '/small', connections: 50 },
    { label: '64 KB, 1 conn', path: '/big', connections: 1 },
    { label: '64 KB, 50 conns', path: '/big', connections: 50 },
  ];
  const results = new Map<string, Map<string, Result>>();
  /** Every round's result per case and target, in round order: ratios are taken round by round. */
  const rounds = new Map<string, Map<string, Result[]>>();
  for (const c of cases) {
    const runs = new Map<string, Result[]>(targets.map((t) => [t.name, []]));
    for (let round = 0; round < ROUNDS; round++) {
      for (const t of targets) runs.get(t.name)?.push(await load(t, c.path, c.connections, DURATION_S));
    }
    rounds.set(c.label, runs);
    results.set(c.label, new Map([...runs].map(([name, rs]) => [name, median(rs)])));
  }
  /**
   * A ratio between two targets, taken within each round (their runs seconds apart) and then the
   * median of the rounds, with the lowest and highest: the shared machine drifts between rounds
   * far more than within one, so this is steadier than a ratio of two medians.
   */
  const paired = (label: string, a: string, b: string, of: (r: Result) => number): { mid: number; low: number; high: number } => {
    const ra = rounds.get(label)?.get(a) ?? [];
    const rb = rounds.get(label)?.get(b) ?? [];
    const ratios = ra.map((r, i) => of(r) / of(rb[i] as Result)).sort((x, y) => x - y);
    return { mid: pct(ratios, 50), low: ratios[0] ?? NaN, high: ratios[ratios.length - 1] ?? NaN };
  };
  const range = (p: { low: number; high: number }): string => `[${fmt(p.low, 2)}–${fmt(p.high, 2)}]`;

  console.log(`\nkeep-alive clients, median of ${ROUNDS} interleaved ${DURATION_S} s runs per case, ${generatorName} on loopback (2 shared cores)`);
  if (!wrkPath) console.log('(autocannon reports latency in whole milliseconds; p99 ratios treat < 1 ms as 1 ms; apt-get install -y wrk for µs)');
  console.log(['case'.padEnd(22), 'target'.padEnd(13), 'req/s'.padStart(8), 'p50 ms'.padStart(7), 'p99 ms'.padStart(7), 'x direct'.padStart(9), 'non-2xx'.padStart(8), 'CPU µs/req'.padStart(11)].join(' '));
  for (const [label, row] of results) {
    const direct = row.get('direct') as Result;
    for (const [name, r] of row) {
      console.log(
        [label.padEnd(22), name.padEnd(13), fmt(r.rps).padStart(8), fmt(r.p50, 2).padStart(7), fmt(r.p99, 2).padStart(7), fmt(r.rps / direct.rps, 2).padStart(9), String(r.failures).padStart(8), (r.cpuUs === null ? '-' : fmt(r.cpuUs)).padStart(11)].join(' '),
      );
    }
  }

  console.log(`\ngateway against the targets (≥ 0.5× nginx throughput, ≥ 2× http-proxy-3, p99 ≤ 2× nginx), each the median of ${ROUNDS} rounds' ratios [lowest–highest]:`);
  // node-bare is not a product: it is what a Node forwarder reaches doing nothing else, so a
  // verdict the floor itself misses says the target is out of reach of that case on this machine.
  console.log('(node-bare, the floor: node:http and the upstream pool, no checks, no journal)');
  const floor = wrkPath ? 0 : 1;
  const verdict = (label: string, gw: string): { parts: string[]; met: boolean } => {
    const row = results.get(label);
    const hp = paired(label, gw, 'http-proxy-3', (r) => r.rps);
    const tuned = paired(label, gw, 'hp3-keepalive', (r) => r.rps);
    const parts = [`${fmt(hp.mid, 2)}× http-proxy-3 ${hp.mid >= 2 ? 'ok' : 'MISS'} ${range(hp)} (${fmt(tuned.mid, 2)}× with keep-alive)`];
    let met = hp.mid >= 2;
    if (row?.get('nginx')) {
      const n = paired(label, gw, 'nginx', (r) => r.rps);
      parts.push(`${fmt(n.mid, 2)}× nginx ${n.mid >= 0.5 ? 'ok' : 'MISS'} ${range(n)}`);
      const p99 = paired(label, gw, 'nginx', (r) => Math.max(r.p99, floor));
      parts.push(`p99 ${fmt(p99.mid, 2)}× nginx ${p99.mid <= 2 ? 'ok' : 'MISS'} ${range(p99)}`);
      met &&= n.mid >= 0.5 && p99.mid <= 2;
    }
    return { parts, met };
  };
  for (const [label, row] of results) {
    for (const gw of ['gateway', 'gw-node-http', 'gw-baseline', 'node-bare']) {
      if (!row.get(gw)) continue;
      console.log(`  ${[label.padEnd(22), gw.padEnd(12), ...verdict(label, gw).parts].join('   ')}`);
    }
  }
  // The issue gives its targets for the case it measured its references on (nginx ≈ 0.55×,
  // http-proxy-3 ≈ 0.14× direct): that case is the verdict; the others are reported beside it.
  const TARGET_CASE = 'small JSON, 50 conns';
  if (results.get(TARGET_CASE)?.get('gateway')) {
    const v = verdict(TARGET_CASE, 'gateway');
    const checked = results.get(TARGET_CASE)?.get('nginx') ? '' : ' (nginx is not installed: only the http-proxy-3 target was checked)';
    console.log(`\ntarget case (${TARGET_CASE}, where the issue measured its references): ${v.met ? 'MET' : 'NOT MET'}${checked}: ${v.parts.join('   ')}`);
  }
  console.log('\nproxy CPU per request (lower is better; the gateway includes auth, limits and the audit journal):');
  for (const [label, row] of results) {
    const g = row.get('gateway')?.cpuUs ?? NaN;
    const others = [...row].filter(([name, r]) => name !== 'gateway' && r.cpuUs !== null);
    console.log(`  ${label.padEnd(22)} gateway ${fmt(g)} µs   ${others.map(([name, r]) => `${name} ${fmt(r.cpuUs as number)} µs (gateway ${fmt(g / (r.cpuUs as number), 2)}×)`).join('   ')}`);
  }

  await httpsCases(upstreamPort, targets.find((t) => t.name === 'gateway') as Target);

  console.log('\nSSE: 200 events, 5 ms apart; latency from the upstream writing an event to the client reading it');
  const sse = new Map<string, number[]>();
  for (const t of targets) sse.set(t.name, await sseLatencies(t.port));
  const direct = sse.get('direct') as number[];
  for (const [name, values] of sse) {
    const added = pct(values, 50) - pct(direct, 50);
    console.log(
      `  ${name.padEnd(13)} events ${String(values.length).padStart(3)}  p50 ${fmt(pct(values, 50), 3)} ms  p99 ${fmt(pct(values, 99), 3)} ms` +
        (name === 'direct' ? '' : `  added p50 ${fmt(added, 3)} ms`),
    );
  }

  // The first lock down runs cold (its code has never been compiled); later ones are warm.
  const locks = [];
  for (let i = 0; i < 5; i++) locks.push(await lockdownTime(upstreamPort));
  const [cold, ...warm] = locks as [Awaited<ReturnType<typeof lockdownTime>>, ...Array<Awaited<ReturnType<typeof lockdownTime>>>];
  const mid = (key: 'destroyedMs' | 'seenMs'): number => pct(warm.map((l) => l[key]), 50);
  console.log(
    `\nlock down of ${cold.streams} open SSE streams and ${cold.sockets} WebSockets (target ≤ 100 ms): ` +
      `all destroyed in ${fmt(cold.destroyedMs, 1)} ms cold / ${fmt(mid('destroyedMs'), 1)} ms warm (median of 4); ` +
      `every client had seen its end after ${fmt(cold.seenMs, 1)} ms cold / ${fmt(mid('seenMs'), 1)} ms warm`,
  );
  if (wrkPath) {
    const flooded: Array<Awaited<ReturnType<typeof lockdownUnderLoad>>> = [];
    for (let i = 0; i < 3; i++) flooded.push(await lockdownUnderLoad(upstreamPort, wrkPath));
    const worst = (key: 'destroyedMs' | 'closedMs'): number => Math.max(...flooded.map((f) => f[key]));
    console.log(
      `lock down under a flood (wrk, 50 keep-alive connections, ${flooded.map((f) => f.served).join(' / ')} requests served before it), 3 times (target ≤ 100 ms): ` +
        `${flooded.map((f) => f.sockets).join(' / ')} connections destroyed in ${flooded.map((f) => fmt(f.destroyedMs, 1)).join(' / ')} ms (worst ${fmt(worst('destroyedMs'), 1)}), ` +
        `listener closed after ${flooded.map((f) => fmt(f.closedMs, 1)).join(' / ')} ms (worst ${fmt(worst('closedMs'), 1)}); new connections refused afterwards: ${flooded.every((f) => f.refused) ? 'yes' : 'NO'}`,
    );
  }
}

const stopAll = (): void => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
  for (const f of cleanups) f();
};
process.on('SIGINT', () => {
  stopAll();
  process.exit(130);
});
main()
  .then(() => {
    stopAll();
    process.exit(0);
  })
  .catch((err: unknown) => {
    console.error(err);
    stopAll();
    process.exit(1);
  });
