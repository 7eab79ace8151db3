import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixture } from '../helpers/paths.js';
import { freePort } from '../helpers/ports.js';
import { waitFor } from '../helpers/wait.js';
import { definition, harness } from './supervisor-helpers.js';

/** Everything the supervisor stored, sent or can show about a server, as one string. */
function everything(h: ReturnType<typeof harness>, name: string): string {
  const files = readdirSync(join(h.home, 'logs')).map((f) => readFileSync(join(h.home, 'logs', f), 'utf8'));
  return [
    JSON.stringify(h.lines),
    JSON.stringify(h.views),
    JSON.stringify(h.restarts),
    JSON.stringify(h.audits),
    JSON.stringify(h.supervisor.byName(name).logTail(10_000)),
    readFileSync(join(h.home, 'children.json'), 'utf8'),
    ...files,
  ].join('\n');
}

describe('supervisor: logs', { timeout: 90_000 }, () => {
  it('a token the server prints itself never reaches the ring, the log files or any event', async () => {
    const known = 'held-by-portcullis-4f9d2c7b1e';
    // The known secret reaches the server the way tokens do: through extraEnv, never the definition.
    const h = harness({ knownSecrets: () => [known], extraEnv: () => ({ PICO_KEY: known }) });
    const tokenFile = join(h.home, 'minted');
    const webPort = await freePort();
    const servePort = await freePort();
    h.supervisor.define(
      definition({
        name: 'web',
        command: process.execPath,
        args: [fixture('picochat-like.mjs'), 'web', '--port', String(webPort), '--token-file', tokenFile],
        port: webPort,
        health: { path: '/healthz', intervalMs: 300 },
      }),
    );
    h.supervisor.define(
      definition({
        name: 'serve',
        command: process.execPath,
        args: [fixture('picochat-like.mjs'), 'serve', '--port', String(servePort), '--api-key-env', 'PICO_KEY'],
        port: servePort,
        health: { path: '/healthz', intervalMs: 300 },
      }),
    );
    await h.supervisor.byName('web').start();
    await h.supervisor.byName('serve').start();
    await waitFor(() => h.lines.some((l) => l.text.includes('/?token=')), 20_000, 'web prints its URL');
    await waitFor(() => h.lines.some((l) => l.text.startsWith('API key:')), 20_000, 'serve prints its key');
    const minted = readFileSync(tokenFile, 'utf8');
    expect(minted.length).toBeGreaterThan(20);

    const web = await waitFor(() => (h.supervisor.byName('web').view().health.status === 'healthy' ? h.supervisor.byName('web').view() : undefined), 20_000, 'healthy');
    expect(web.health).toMatchObject({ version: '0.9.1', activeJobs: 2 });
    const serve = await waitFor(() => (h.supervisor.byName('serve').view().health.model ? h.supervisor.byName('serve').view() : undefined), 20_000, 'model');
    expect(serve.health.model).toBe('pico-125m');

    await h.supervisor.stopAll();
    const all = everything(h, 'web') + everything(h, 'serve');
    expect(all).not.toContain(minted);
    expect(all).not.toContain(known);
    // The lines are kept, with only the secret part replaced.
    expect(all).toContain('/?token=‹redacted›');
    expect(all).toContain('API key: ‹redacted›');
    const file = readFileSync(join(h.home, 'logs', 'web.log'), 'utf8');
    expect(file).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z stdout picochat web on http:\/\/127\.0\.0\.1:\d+\/\?token=‹redacted›$/m);
  });

  it('tags lines with their stream, batches live events, and keeps a bounded ring', async () => {
    const h = harness({ ringSize: 1_000, logBatchMs: 100 });
    h.supervisor.define(definition({ name: 'flood', command: process.execPath, args: [fixture('flood.mjs'), '--lines', '20000'], restart: { policy: 'no' } }));
    const runtime = h.supervisor.byName('flood');
    await runtime.start();
    await waitFor(() => runtime.view().state === 'stopped', 20_000, 'flood done');
    await waitFor(() => h.lines.some((l) => l.text.startsWith('line 19999 ')), 20_000, 'last line');
    const out = h.lines.filter((l) => l.stream === 'stdout');
    expect(out).toHaveLength(20_000);
    expect(h.lines.some((l) => l.stream === 'stderr' && l.text.startsWith('flood: 20000 lines'))).toBe(true);
    // Seq numbers are gap-free and ordered: nothing lost or reordered between stream and event.
    expect(out.every((l, i) => i === 0 || l.seq > (out[i - 1] as { seq: number }).seq)).toBe(true);
    expect(runtime.logTail(100_000)).toHaveLength(1_000);
    const file = readFileSync(join(h.home, 'logs', 'flood.log'), 'utf8').trimEnd().split('\n');
    expect(file.filter((l) => / stdout line \d+ /.test(l))).toHaveLength(20_000);
  });

  it('rotates log files by size and keeps a bounded number of them', async () => {
    const h = harness({ logFileBytes: 64 * 1024, logFiles: 3 });
    h.supervisor.define(definition({ name: 'rot', command: process.execPath, args: [fixture('flood.mjs'), '--lines', '10000'], restart: { policy: 'no' } }));
    const runtime = h.supervisor.byName('rot');
    await runtime.start();
    await waitFor(() => runtime.view().state === 'stopped', 20_000, 'done');
    runtime.dispose();
    const files = readdirSync(join(h.home, 'logs')).filter((f) => f.startsWith('rot.log')).sort();
    expect(files).toEqual(['rot.log', 'rot.log.1', 'rot.log.2']);
    for (const f of files) expect(readFileSync(join(h.home, 'logs', f)).length).toBeLessThanOrEqual(64 * 1024);
  });
});
