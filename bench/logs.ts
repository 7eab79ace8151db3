/**
 * `npm run bench:logs`: a child printing as fast as it can, measured side by side in one run:
 *   1. alone, its output to /dev/null (the child's own throughput), and through a pipe to a
 *      parent that discards it (what any capture costs);
 *   2. supervised: every line split, redacted, kept in the ring, batched to events and written
 *      to rotating files, exactly as a real server's output is.
 * Prints lines/s for both, the ratio, and the supervisor's peak memory for two output sizes
 * (bounded memory: the peak must not grow with the amount printed).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, openSync, rmSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serverDefinitionInput } from '../main/core/contract/servers.js';
import { startHealthMonitor } from '../main/core/health/monitor.js';
import { Supervisor } from '../main/core/servers/supervisor.js';

const flood = fileURLToPath(new URL('../test/fixtures/flood.mjs', import.meta.url));
const LINES = Number(process.env.BENCH_LINES ?? 1_000_000);
const WIDTH = 80;

interface Run {
  lines: number;
  seconds: number;
  peakRssMb: number;
  peakHeapMb: number;
}

function sampleMemory(): { stop: () => { rss: number; heap: number } } {
  let rss = 0;
  let heap = 0;
  const take = (): void => {
    const m = process.memoryUsage();
    rss = Math.max(rss, m.rss);
    heap = Math.max(heap, m.heapUsed);
  };
  const timer = setInterval(take, 20);
  return {
    stop: () => {
      take();
      clearInterval(timer);
      return { rss: rss / 2 ** 20, heap: heap / 2 ** 20 };
    },
  };
}

async function alone(lines: number): Promise<Run> {
  const devNull = openSync('/dev/null', 'w');
  const started = performance.now();
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, [flood, '--lines', String(lines), '--width', String(WIDTH)], { stdio: ['ignore', devNull, 'ignore'] });
    child.once('error', reject);
    child.once('exit', () => resolve());
  });
  closeSync(devNull);
  return { lines, seconds: (performance.now() - started) / 1000, peakRssMb: 0, peakHeapMb: 0 };
}

/** The pipe alone: the same child read by a parent that throws the bytes away. */
async function piped(lines: number): Promise<Run> {
  const started = performance.now();
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, [flood, '--lines', String(lines), '--width', String(WIDTH)], { stdio: ['ignore', 'pipe', 'ignore'] });
    child.stdout.on('data', () => undefined);
    child.once('error', reject);
    child.once('close', () => resolve());
  });
  return { lines, seconds: (performance.now() - started) / 1000, peakRssMb: 0, peakHeapMb: 0 };
}

async function supervised(lines: number): Promise<Run> {
  const home = mkdtempSync(join(tmpdir(), 'pc-bench-'));
  global.gc?.();
  let received = 0;
  let done: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => (done = resolve));
  const supervisor = new Supervisor({
    monitor: startHealthMonitor,
    onChange: () => undefined,
    onLog: (_name, batch) => {
      for (const line of batch) if (line.stream === 'stdout') received++;
      if (received >= lines) done();
    },
    // A few held secrets, as a server with tokens has: each line is checked against them.
    knownSecrets: () => ['bench-secret-aaaaaaaaaaaaaaaa', 'bench-secret-bbbbbbbbbbbbbbbb', 'bench-secret-cccccccccccccccc'],
    logDir: join(home, 'logs'),
    childrenFile: join(home, 'children.json'),
  });
  supervisor.define({
    ...serverDefinitionInput.parse({ name: 'flood', command: process.execPath, args: [flood, '--lines', String(lines), '--width', String(WIDTH)], restart: { policy: 'no' } }),
    id: 'bench',
    createdAt: new Date().toISOString(),
  });
  const memory = sampleMemory();
  const started = performance.now();
  await supervisor.byName('flood').start();
  await finished;
  const seconds = (performance.now() - started) / 1000;
  const peak = memory.stop();
  await supervisor.stopAll();
  supervisor.byName('flood').dispose();
  rmSync(home, { recursive: true, force: true });
  return { lines, seconds, peakRssMb: peak.rss, peakHeapMb: peak.heap };
}

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');

async function main(): Promise<void> {
  const baseRss = process.memoryUsage().rss / 2 ** 20;
  console.log(`bench:logs — a child printing ${fmt(LINES)} lines of ${WIDTH} characters as fast as it can (node ${process.version})`);
  // Warm up both paths once so JIT and page cache do not favour whichever runs second.
  await alone(50_000);
  await supervised(50_000);

  const direct = await alone(LINES);
  const pipe = await piped(LINES);
  const small = await supervised(LINES);
  const big = await supervised(LINES * 3);
  const directRate = direct.lines / direct.seconds;
  const rate = small.lines / small.seconds;
  const bigRate = big.lines / big.seconds;

  console.log('');
  console.log(`  child alone, to /dev/null     ${fmt(directRate).padStart(12)} lines/s   (${direct.seconds.toFixed(2)} s)`);
  const pipeRate = pipe.lines / pipe.seconds;
  console.log(`  child piped, bytes discarded   ${fmt(pipeRate).padStart(11)} lines/s   (${pipe.seconds.toFixed(2)} s)`);
  console.log(`  supervised (ring+files+events) ${fmt(rate).padStart(11)} lines/s   (${small.seconds.toFixed(2)} s)`);
  console.log(`  ratio supervised / alone       ${(rate / directRate).toFixed(2)}`);
  console.log(`  ratio supervised / piped       ${(rate / pipeRate).toFixed(2)}`);
  console.log('');
  console.log(`  memory (baseline rss ${baseRss.toFixed(0)} MB)       lines        peak rss   peak heap`);
  console.log(`  supervised ×1                      ${fmt(small.lines).padStart(10)}   ${small.peakRssMb.toFixed(0).padStart(5)} MB   ${small.peakHeapMb.toFixed(0).padStart(5)} MB`);
  console.log(`  supervised ×3                      ${fmt(big.lines).padStart(10)}   ${big.peakRssMb.toFixed(0).padStart(5)} MB   ${big.peakHeapMb.toFixed(0).padStart(5)} MB   (${fmt(bigRate)} lines/s)`);
  console.log(`  peak heap ×3 / ×1                  ${(big.peakHeapMb / small.peakHeapMb).toFixed(2)}  (bounded: stays near 1 however much is printed)`);
}

await main();
