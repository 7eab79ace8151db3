/**
 * `npm run bench:audit`: the journal measured side by side with plain writes, in one run:
 *   1. access records appended (batched, hash-chained) vs the same bytes through a plain
 *      fs write stream, one write per line;
 *   2. control records with fsync, one at a time and 16 in flight (group commit), vs a plain
 *      write + fdatasync per line of the same bytes;
 *   3. requests through the real gateway with the journal on vs off (target ≥ 0.9×), the load
 *      from wrk when installed.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { closeSync, createWriteStream, fdatasyncSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listJournalFiles } from '../main/core/audit/files.js';
import { AuditJournal } from '../main/core/audit/journal.js';
import { Exposure } from '../main/core/gateway/exposure.js';
import { defaultLimits } from '../main/core/gateway/limits.js';
import type { AccessEntry, AuditPort, ClientTokens, TokenCheck } from '../main/core/ports.js';
import { generatorName, load as generate, wrkPath } from './load.js';

const ACCESS = Number(process.env.BENCH_ACCESS ?? 200_000);
const CONTROL = Number(process.env.BENCH_CONTROL ?? 400);
const GATEWAY_SECONDS = Number(process.env.BENCH_GATEWAY_SECONDS ?? 3);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 6);

const scratch = (): string => mkdtempSync(join(tmpdir(), 'pc-bench-audit-'));
const rate = (n: number, ms: number): number => Math.round(n / (ms / 1000));
const fmt = (n: number): string => n.toLocaleString('en-US');
const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

const entry = (i: number): AccessEntry => ({
  server: 'picochat',
  mode: 'lan',
  client: `192.168.1.${i % 250}`,
  method: i % 5 === 0 ? 'POST' : 'GET',
  path: `/api/runs/${i % 977}/metrics?step=${i}`,
  status: i % 50 === 0 ? 401 : 200,
  bytesIn: 120,
  bytesOut: 2_048,
  durationMs: 3.2,
  tokenId: 'tok-1',
  tokenLabel: 'laptop',
  ...(i % 50 === 0 ? { reason: 'unauthorized' } : {}),
});

function journalBytes(dir: string): Buffer {
  return Buffer.concat(listJournalFiles(dir).map((f) => readFileSync(f.path)));
}

async function accessJournal(): Promise<{ ms: number; bytes: Buffer }> {
  const home = scratch();
  const journal = new AuditJournal({ home });
  await journal.whenReady();
  const started = performance.now();
  for (let i = 0; i < ACCESS; i++) {
    journal.access(entry(i));
    // Requests arrive over time, not in one synchronous burst: let writes interleave.
    if (i % 1_000 === 999) await tick();
  }
  await journal.flush();
  const ms = performance.now() - started;
  await journal.close();
  const bytes = journalBytes(journal.dir);
  rmSync(home, { recursive: true, force: true });
  return { ms, bytes };
}

async function plainStream(lines: Buffer[]): Promise<number> {
  const dir = scratch();
  const stream = createWriteStream(join(dir, 'plain.jsonl'));
  const started = performance.now();
  for (let i = 0; i < lines.length; i++) {
    if (!stream.write(lines[i] as Buffer)) await new Promise<void>((r) => stream.once('drain', () => r()));
    if (i % 1_000 === 999) await tick();
  }
  await new Promise<void>((resolve, reject) => stream.end((err?: Error | null) => (err ? reject(err) : resolve())));
  const ms = performance.now() - started;
  rmSync(dir, { recursive: true, force: true });
  return ms;
}

function splitLines(bytes: Buffer): Buffer[] {
  const lines: Buffer[] = [];
  for (let start = 0, end = bytes.indexOf(0x0a); end !== -1; start = end + 1, end = bytes.indexOf(0x0a, start)) {
    lines.push(bytes.subarray(start, end + 1));
  }
  return lines;
}

const control = (i: number) =>
  ({ kind: 'control', actor: { kind: 'cli', user: 'bench' }, action: 'server.expose', server: 'picochat', outcome: 'ok', params: { mode: 'lan', count: i } }) as const;

async function controlJournal(inFlight: number): Promise<{ ms: number; bytes: Buffer }> {
  const home = scratch();
  const journal = new AuditJournal({ home });
  await journal.whenReady();
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < CONTROL) await journal.record(control(next++));
    }),
  );
  const ms = performance.now() - started;
  await journal.close();
  const bytes = journalBytes(journal.dir);
  rmSync(home, { recursive: true, force: true });
  return { ms, bytes };
}

function plainFsync(lines: Buffer[]): number {
  const dir = scratch();
  const fd = openSync(join(dir, 'plain.jsonl'), 'a');
  const started = performance.now();
  for (const line of lines) {
    writeSync(fd, line);
    fdatasyncSync(fd);
  }
  const ms = performance.now() - started;
  closeSync(fd);
  rmSync(dir, { recursive: true, force: true });
  return ms;
}

// ---- the gateway, journal on and off ----------------------------------------------------------

class OneToken implements ClientTokens {
  private readonly hash = createHash('sha256').update(SECRET).digest();
  verify(_serverId: string, presented: string): TokenCheck {
    const ok = timingSafeEqual(createHash('sha256').update(presented).digest(), this.hash);
    return ok ? { ok: true, tokenId: 'tok-1', label: 'bench' } : { ok: false, reason: 'unknown' };
  }
  onInvalidated(): () => void {
    return () => undefined;
  }
  async ensureClientToken(): Promise<{ created: null }> {
    return { created: null };
  }
}
const SECRET = 'bench-secret-'.padEnd(43, 'x');

async function gatewayRun(audit: AuditPort, upstreamPort: number): Promise<number> {
  const exposure = new Exposure({
    tokens: new OneToken(),
    audit,
    upstreamAuth: () => null,
    servers: {
      resolve: (name) => ({ id: `id-${name}`, name, port: upstreamPort }),
      target: () => ({ ok: true, port: upstreamPort }),
    },
    store: { load: () => ({}), save: () => undefined },
    onChange: () => undefined,
    onAccess: () => undefined,
    // The bench is one client hammering: the per-IP rate limit would measure itself.
    limits: (mode) => ({ ...defaultLimits(mode), rateLimit: Number.MAX_SAFE_INTEGER }),
  });
  const { exposure: view } = await exposure.expose({ name: 'bench', mode: 'lan', bind: '127.0.0.2', confirm: false }, { kind: 'cli', user: 'bench' });
  const rps = await load(view.port as number);
  await exposure.shutdown();
  return rps;
}

/**
 * The client, in its own process so it does not share the gateway's event loop: 16
 * keep-alive connections sending GETs back to back for the duration. Prints requests/s.
 */
const LOAD = `
import { Agent, request } from 'node:http';
const [port, secret, seconds] = process.argv.slice(1);
const agent = new Agent({ keepAlive: true, maxSockets: 16 });
const headers = { authorization: 'Bearer ' + secret, host: '127.0.0.2:' + port };
const until = performance.now() + Number(seconds) * 1000;
let done = 0;
const one = () => new Promise((resolve, reject) => {
  const req = request({ host: '127.0.0.2', port: Number(port), path: '/json', agent, headers }, (res) => {
    res.resume();
    res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error('gateway answered ' + res.statusCode))));
  });
  req.on('error', reject);
  req.end();
});
const started = performance.now();
await Promise.all(Array.from({ length: 16 }, async () => { while (performance.now() < until) { await one(); done++; } }));
process.stdout.write(String(done / ((performance.now() - started) / 1000)));
agent.destroy();
`;

/**
 * wrk where installed (light: a client on another machine costs the gateway's host nothing, and
 * a Node client here would take a core from the journal's own thread), else the Node client
 * above, in its own process.
 */
async function load(port: number): Promise<number> {
  if (wrkPath) {
    const r = await generate({ url: `http://127.0.0.2:${port}/json`, connections: 16, seconds: GATEWAY_SECONDS, headers: { authorization: `Bearer ${SECRET}` } });
    if (r.failures > 0) throw new Error(`the gateway refused ${r.failures} requests`);
    return r.rps;
  }
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', LOAD, String(port), SECRET, String(GATEWAY_SECONDS)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d));
    child.stderr.on('data', (d: Buffer) => (err += d));
    child.once('exit', (code) => (code === 0 ? resolve(Number(out)) : reject(new Error(`load client failed: ${err.trim()}`))));
  });
}

async function gateway(): Promise<{ off: number; on: number; records: number; rounds: string[] } | string> {
  const upstream = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': 11 });
    res.end('{"ok":true}');
  });
  await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
  const port = (upstream.address() as { port: number }).port;
  try {
    const off: number[] = [];
    const on: number[] = [];
    let records = 0;
    const withJournal = async (): Promise<number> => {
      const home = scratch();
      const journal = new AuditJournal({ home });
      // As in the app, where the panel feeds every record to the live `audit.records` stream.
      journal.onRecords(() => undefined);
      const rps = await gatewayRun(journal, port);
      await journal.close();
      records += journal.head().seq;
      rmSync(home, { recursive: true, force: true });
      return rps;
    };
    const without = (): Promise<number> => gatewayRun({ record: async () => undefined, access: () => undefined }, port);
    // A discarded warm-up (JIT, sockets), then rounds in alternating order, so neither side
    // always runs first and drift on a shared machine falls on both.
    await without();
    for (let round = 0; round < ROUNDS; round++) {
      if (round % 2 === 0) {
        off.push(await without());
        on.push(await withJournal());
      } else {
        on.push(await withJournal());
        off.push(await without());
      }
    }
    const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
    return { off: mean(off), on: mean(on), records, rounds: off.map((o, i) => `${Math.round(o)}/${Math.round(on[i] as number)}`) };
  } catch (err) {
    return `not measured: ${(err as Error).message}`;
  } finally {
    upstream.close();
  }
}

// ---- run --------------------------------------------------------------------------------------

const journaled = await accessJournal();
const lines = splitLines(journaled.bytes);
const plainMs = await plainStream(lines);
const journalRate = rate(ACCESS, journaled.ms);
const plainRate = rate(lines.length, plainMs);
console.log(`access records: ${fmt(ACCESS)} (${(journaled.bytes.length / 2 ** 20).toFixed(1)} MB)`);
console.log(`  journal (batched, chained)   ${fmt(journalRate)} records/s`);
console.log(`  plain write stream, same bytes ${fmt(plainRate)} lines/s`);
console.log(`  ratio journal / plain        ${(journalRate / plainRate).toFixed(2)}×`);

// fsync times drift on a shared disk: the plain baseline runs before and after, and counts as their mean.
const before = plainFsync(splitLines((await controlJournal(1)).bytes));
const one = await controlJournal(1);
const many = await controlJournal(16);
const syncMs = (before + plainFsync(splitLines(one.bytes))) / 2;
console.log(`control records with fsync: ${fmt(CONTROL)}`);
console.log(`  journal, one at a time       ${fmt(rate(CONTROL, one.ms))} records/s`);
console.log(`  journal, 16 in flight        ${fmt(rate(CONTROL, many.ms))} records/s (group commit)`);
console.log(`  plain write + fdatasync      ${fmt(rate(CONTROL, syncMs))} lines/s`);
console.log(`  ratio one-at-a-time / plain  ${(syncMs / one.ms).toFixed(2)}×`);

const gw = await gateway();
if (typeof gw === 'string') console.log(`gateway: ${gw}`);
else {
  console.log(`gateway (16 keep-alive connections from ${wrkPath ? generatorName : 'a Node client in its own process'}, ${ROUNDS} rounds of ${GATEWAY_SECONDS} s each side, alternated):`);
  console.log(`  journal off                  ${fmt(Math.round(gw.off))} requests/s`);
  console.log(`  journal on                   ${fmt(Math.round(gw.on))} requests/s (${fmt(gw.records)} records written)`);
  console.log(`  ratio on / off               ${(gw.on / gw.off).toFixed(2)}× (target ≥ 0.90×)`);
  console.log(`  rounds off/on                ${gw.rounds.join(', ')}`);
}
