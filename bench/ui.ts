/**
 * `npm run bench:ui`: the open log view while a server prints 10,000 lines a second for 10 s.
 * Measured in Chromium against a real `portcullis serve` (run `npm run build` first), side by
 * side in one run: the same page idle, then flooded. Reports long tasks (PerformanceObserver
 * 'longtask'), frame times (requestAnimationFrame deltas: p50/p95/p99), the JS heap and DOM
 * node count (CDP Performance.getMetrics) sampled every second, and how many lines reached
 * the page. Target: frame p95 under 50 ms and a heap that stays bounded.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type CDPSession, type Page } from 'playwright-core';

const root = fileURLToPath(new URL('../', import.meta.url));
const RATE = Number(process.env.BENCH_RATE ?? 10_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const IDLE_MS = 5_000;

interface Phase {
  frames: number[];
  longTasks: number[];
  heapMb: number[];
  nodes: number[];
}

function startServe(home: string): Promise<{ child: ChildProcess; url: string; base: string; token: string }> {
  const child = spawn(process.execPath, [join(root, 'bin/portcullis.js'), 'serve', '--home', home], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', (d: Buffer) => {
      out += d;
      const m = /Portcullis ready: ((http:\/\/127\.0\.0\.1:\d+)\/#token=([\w-]+))/.exec(out);
      if (m) resolve({ child, url: m[1] as string, base: m[2] as string, token: m[3] as string });
    });
    child.stderr?.on('data', (d: Buffer) => (out += d));
    child.once('close', (code) => reject(new Error(`serve exited with ${code}:\n${out}`)));
  });
}

async function call(base: string, token: string, method: string, args: unknown): Promise<unknown> {
  const res = await fetch(`${base}/api/call/${method}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(args),
  });
  const body = (await res.json()) as { ok: boolean; result?: unknown; error?: { message: string } };
  if (!body.ok) throw new Error(`${method}: ${body.error?.message}`);
  return body.result;
}

/** Starts collecting frame deltas and long tasks in the page; `collect` returns and resets them. */
async function instrument(page: Page): Promise<void> {
  // A string, not a function: tsx's name-keeping helpers do not exist inside the page.
  await page.evaluate(`(() => {
    const bench = { frames: [], longTasks: [] };
    window.__bench = bench;
    let last = performance.now();
    const loop = (t) => {
      window.__bench.frames.push(t - last);
      last = t;
      requestAnimationFrame(loop);
    };
    requestAnimationFrame(loop);
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__bench.longTasks.push(e.duration);
    }).observe({ type: 'longtask' });
  })()`);
}

async function measure(page: Page, cdp: CDPSession, ms: number): Promise<Phase> {
  await page.evaluate(() => {
    const w = window as unknown as { __bench: { frames: number[]; longTasks: number[] } };
    w.__bench.frames = [];
    w.__bench.longTasks = [];
  });
  const heapMb: number[] = [];
  const nodes: number[] = [];
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const { metrics } = (await cdp.send('Performance.getMetrics')) as { metrics: { name: string; value: number }[] };
    const get = (name: string): number => metrics.find((m) => m.name === name)?.value ?? 0;
    heapMb.push(get('JSHeapUsedSize') / 1024 / 1024);
    nodes.push(get('Nodes'));
    await new Promise((r) => setTimeout(r, 1_000));
  }
  const { frames, longTasks } = await page.evaluate(() => (window as unknown as { __bench: { frames: number[]; longTasks: number[] } }).__bench);
  return { frames, longTasks, heapMb, nodes };
}

const pct = (values: number[], p: number): number => {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
};
const fmt = (n: number, d = 1): string => n.toFixed(d);

function summary(name: string, p: Phase): Record<string, string> {
  const sum = p.longTasks.reduce((a, b) => a + b, 0);
  return {
    phase: name,
    frames: String(p.frames.length),
    'frame p50 ms': fmt(pct(p.frames, 50)),
    'frame p95 ms': fmt(pct(p.frames, 95)),
    'frame p99 ms': fmt(pct(p.frames, 99)),
    'frame max ms': fmt(Math.max(0, ...p.frames)),
    'long tasks': String(p.longTasks.length),
    'long task ms total': fmt(sum, 0),
    'long task max ms': fmt(Math.max(0, ...p.longTasks), 0),
    'heap MB min/max/last': `${fmt(Math.min(...p.heapMb))}/${fmt(Math.max(...p.heapMb))}/${fmt(p.heapMb.at(-1) ?? 0)}`,
    'DOM nodes max': String(Math.max(...p.nodes)),
  };
}

async function main(): Promise<void> {
  if (!existsSync(join(root, 'out/renderer/index.html'))) throw new Error('no built UI: run `npm run build` first');
  const home = mkdtempSync(join(tmpdir(), 'pc-bench-ui-'));
  const served = await startServe(home);
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    // The flood waits until the idle phase has been measured.
    const waitMs = IDLE_MS + 4_000;
    await call(served.base, served.token, 'servers.add', {
      name: 'flood',
      command: process.execPath,
      args: [join(root, 'bench/fixtures/log-flood.mjs'), String(RATE), String(SECONDS), String(waitMs)],
      restart: { policy: 'no' },
    });
    const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    await page.goto(served.url);
    await page.evaluate(() => (location.hash = '#/servers/flood/logs'));
    await page.getByTestId('log-view').waitFor();
    await call(served.base, served.token, 'servers.start', { name: 'flood' });
    const started = Date.now();
    await instrument(page);
    await new Promise((r) => setTimeout(r, 1_000));
    const idle = await measure(page, cdp, IDLE_MS);
    // Wait for the flood to begin, then measure its whole length plus the tail of delivery.
    await new Promise((r) => setTimeout(r, Math.max(0, started + waitMs - Date.now())));
    const flood = await measure(page, cdp, SECONDS * 1_000 + 2_000);
    const shown = await page.getByTestId('log-count').textContent();
    const printed = RATE * SECONDS;

    const rows = [summary('idle (log view open)', idle), summary(`flood (${RATE.toLocaleString()} lines/s × ${SECONDS} s)`, flood)];
    console.log(`bench:ui — Chromium ${browser.version()}, ${printed.toLocaleString()} lines printed`);
    console.table(rows);
    const p95 = pct(flood.frames, 95);
    console.log(`frame p95 flood/idle: ${fmt(p95 / Math.max(1, pct(idle.frames, 95)), 2)}×   (target: p95 under 50 ms → ${p95 < 50 ? 'met' : 'NOT met'})`);
    console.log(`heap growth during the flood: ${fmt((flood.heapMb.at(-1) ?? 0) - (idle.heapMb.at(-1) ?? 0))} MB (the view keeps at most 50,000 lines)`);
    console.log(`page shows: ${shown}`);
  } finally {
    await browser.close();
    served.child.kill('SIGTERM');
    await new Promise((r) => served.child.once('close', r));
    rmSync(home, { recursive: true, force: true });
  }
}

await main();
