/**
 * Runs inside the server namespace of test/integration/netns.test.ts: a stand-in AI server on
 * this namespace's loopback and the real Exposure in front of it. Driven by JSON lines on
 * stdin ({op: 'expose', bind, port} | {op: 'public', port} | {op: 'lockdown'} | {op: 'secret'} |
 * {op: 'changes'} | {op: 'race', bind, port}), answering one JSON line each. It looks for a LAN
 * listener's address every 200 ms (5 s in the app), so a test that takes the address away hears
 * of it quickly.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { Exposure } from '../../../main/core/gateway/exposure.js';
import { listInterfaces } from '../../../main/core/gateway/interfaces.js';
import type { ExposureChange } from '../../../main/core/contract/exposure.js';
import type { AuditEntry, ClientTokens } from '../../../main/core/ports.js';

const secrets = new Map<string, Buffer>();
/** While set, an expose waits in its token step (inside the server's queue) until released. */
let gate: { entered: () => void; released: Promise<void> } | null = null;
/** Addresses the machine still has but its listing leaves out, and how often it was listed. */
const hidden = new Set<string>();
let listings = 0;
const interfaces = (): ReturnType<typeof listInterfaces> => {
  listings++;
  return listInterfaces().filter((i) => !hidden.has(i.address));
};
const tokens: ClientTokens = {
  verify(_serverId, presented) {
    const h = createHash('sha256').update(presented).digest();
    for (const [id, hash] of secrets) if (timingSafeEqual(h, hash)) return { ok: true, tokenId: id, label: id };
    return { ok: false, reason: 'unknown' };
  },
  onInvalidated: () => () => undefined,
  async ensureClientToken() {
    if (gate) {
      gate.entered();
      await gate.released;
    }
    if (secrets.size > 0) return { created: null };
    const secret = createHash('sha256').update(String(Math.random())).digest('base64url');
    secrets.set('default', createHash('sha256').update(secret).digest());
    return { created: { id: 'default', label: 'default', secret } };
  },
};

const upstream = createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end('{"answer":42}');
});
await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
const upstreamPort = (upstream.address() as { port: number }).port;

const changes: ExposureChange[] = [];
const audited: AuditEntry[] = [];
const exposure = new Exposure({
  tokens,
  upstreamAuth: () => null,
  audit: {
    record: async (entry) => void audited.push(entry),
    access: () => undefined,
  },
  servers: { resolve: (name) => ({ id: 'ai', name, port: upstreamPort }), target: () => ({ ok: true, port: upstreamPort }) },
  store: { load: () => ({}), save: () => undefined },
  onChange: (change) => void changes.push(change),
  onAccess: () => undefined,
  addressCheckMs: 200,
  interfaces,
});

const actor = { kind: 'cli', user: 'netns' } as const;
let minted: string | null = null;
const reply = (value: unknown): void => void process.stdout.write(`${JSON.stringify(value)}\n`);
reply({ ready: true, upstreamPort });
for await (const line of createInterface({ input: process.stdin })) {
  const msg = JSON.parse(line) as { op: string; bind?: string; port?: number };
  try {
    if (msg.op === 'expose') {
      const r = await exposure.expose({ name: 'ai', mode: 'lan', bind: msg.bind, port: msg.port, confirm: false }, actor);
      minted ??= r.createdToken?.secret ?? null;
      reply({ ok: true, urls: r.exposure.urls, secret: r.createdToken?.secret ?? null });
    } else if (msg.op === 'public') {
      // Every interface of this namespace: its loopback and the veth end, nothing else.
      const r = await exposure.expose({ name: 'ai', mode: 'public', port: msg.port, confirm: true }, actor);
      reply({ ok: true, urls: r.exposure.urls, bind: r.exposure.bind, expiresAt: r.exposure.expiresAt });
    } else if (msg.op === 'race') {
      // An expose on the same address (a new listener on another port, or the same one given a
      // new time box) waits in the queue while the open listener's address goes missing from two
      // listings: its loss is noticed and queued behind the expose.
      let release = (): void => undefined;
      const entered = new Promise<void>((resolve) => {
        gate = { entered: resolve, released: new Promise<void>((r) => (release = r)) };
      });
      const pending = exposure.expose({ name: 'ai', mode: 'lan', bind: msg.bind, port: msg.port, confirm: false }, actor);
      await entered;
      hidden.add(msg.bind as string);
      const from = listings;
      while (listings - from < 2) await sleep(10);
      hidden.clear();
      gate = null;
      release();
      const r = await pending;
      // Whatever was queued behind the expose has run by now.
      await sleep(300);
      reply({ ok: true, urls: r.exposure.urls, kept: r.kept });
    } else if (msg.op === 'secret') {
      reply({ ok: true, secret: minted });
    } else if (msg.op === 'changes') {
      reply({ ok: true, changes, audited });
    } else if (msg.op === 'lockdown') {
      reply({ ok: true, view: await exposure.lockdown('ai', actor) });
    }
  } catch (err) {
    reply({ ok: false, message: (err as Error).message });
  }
}
await exposure.shutdown();
upstream.close();
