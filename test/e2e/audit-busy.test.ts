/// <reference lib="dom" />
/**
 * The audit view in Chromium against a real `portcullis serve` while bursts of requests cross
 * the real gateway: the journal carries access records live only at a bounded rate (a burst of
 * 100, then 1,000 a second; the newest first), so the view must say how many more were recorded than shown, and its reload must bring them in.
 */
import { Agent, request } from 'node:http';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AuditPage } from '../../main/core/contract/audit.js';
import type { ExposeResult } from '../../main/core/contract/exposure.js';
import { launchChromium } from '../helpers/browser.js';
import { startServe, type Served } from '../helpers/cli.js';
import { freePort } from '../helpers/ports.js';
import { tempDir } from '../helpers/tmp.js';
import { waitFor } from '../helpers/wait.js';
import { openPanel } from './support.js';

const fixture = fileURLToPath(new URL('../fixtures/http-server.mjs', import.meta.url));
const SERVER = 'busy';
/** In every burst request's path, and the audit view's text filter: only the bursts match. */
const MARK = 'burstmark';
const BURST = 400;
/** Below the gateway's 64 connections per client (LAN defaults, main/core/gateway/limits.ts). */
const SOCKETS = 48;
/** Usually one or two are enough; at most 4,800 requests, below the 5,000 rows the view keeps. */
const MAX_BURSTS = 12;

describe('audit view under a busy gateway', { timeout: 180_000 }, () => {
  let served: Served;
  let page: Page;
  let gateway: URL;
  let secret = '';

  const call = async <T>(method: string, args: object): Promise<T> => {
    const res = await fetch(`http://127.0.0.1:${served.port}/api/call/${method}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${served.token}`, 'content-type': 'application/json' },
      body: JSON.stringify(args),
    });
    const body = (await res.json()) as { ok: boolean; result: T; error?: { message: string } };
    if (!body.ok) throw new Error(`${method}: ${body.error?.message}`);
    return body.result;
  };

  /**
   * `BURST` authenticated requests at once over keep-alive sockets from one loopback source
   * address (127.0.0.x, a client of its own for the gateway's per-client rate limit: 3,000
   * requests in 10 s). Resolves with the paths asked for once every answer is in.
   */
  const burst = async (n: number): Promise<string[]> => {
    const localAddress = `127.0.0.${20 + n}`;
    const agent = new Agent({ keepAlive: true, maxSockets: SOCKETS, localAddress });
    const paths = Array.from({ length: BURST }, (_, i) => `/${MARK}/${n}/${i}`);
    try {
      const statuses = await Promise.all(
        paths.map(
          (path) =>
            new Promise<number>((resolve, reject) => {
              const req = request({ host: gateway.hostname, port: gateway.port, path, agent, localAddress, headers: { authorization: `Bearer ${secret}` } }, (res) => {
                res.resume();
                res.once('end', () => resolve(res.statusCode ?? 0));
              });
              req.once('error', reject);
              req.end();
            }),
        ),
      );
      // Every one served: no limit of the gateway refused any.
      expect(statuses.filter((s) => s !== 200)).toEqual([]);
    } finally {
      agent.destroy();
    }
    return paths;
  };

  const shownCount = async (): Promise<number> => {
    const text = (await page.getByText(/ records shown$/).textContent()) ?? '';
    return Number(text.replace(/ records shown$/, '').replace(/,/g, ''));
  };
  /** The number in the busy-gateway notice, 0 while there is none. */
  const missed = async (): Promise<number> => {
    const notice = page.getByTestId('audit-missed');
    if ((await notice.count()) === 0) return 0;
    const match = /^Busy gateway: ([\d,]+) more requests recorded than shown live — reload$/.exec(((await notice.textContent()) ?? '').trim());
    expect(match, 'the notice says how many').not.toBeNull();
    return Number((match?.[1] ?? '').replace(/,/g, ''));
  };
  const shownPaths = async (): Promise<Set<string>> => {
    const texts = await page.getByTestId('audit-row').allTextContents();
    return new Set(texts.map((t) => new RegExp(`/${MARK}/\\d+/\\d+`).exec(t)?.[0]).filter((p): p is string => p !== undefined));
  };

  beforeAll(async () => {
    served = await startServe(tempDir());
    const port = await freePort();
    await call('servers.add', { name: SERVER, command: process.execPath, args: [fixture, '--port', String(port)], port });
    await call('servers.start', { name: SERVER });
    const exposed = await call<ExposeResult>('exposure.expose', { name: SERVER, mode: 'lan', bind: '127.0.0.1' });
    secret = exposed.createdToken?.secret ?? '';
    expect(secret.length).toBeGreaterThan(20);
    gateway = new URL(exposed.exposure.urls[0] as string);
    // The upstream answers through the gateway before the bursts start.
    await waitFor(async () => (await fetch(new URL('/ready', gateway), { headers: { authorization: `Bearer ${secret}` } }).catch(() => null))?.status === 200, 30_000, 'the upstream');
    ({ page } = await openPanel(await launchChromium(), served.url));
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit' }).click();
    await page.getByRole('table', { name: 'Audit records' }).waitFor();
    // Only the bursts' records: the filter is in force once the list is empty.
    await page.getByRole('textbox', { name: 'Text' }).fill(MARK);
    await page.getByText('No record matches these filters.').waitFor();
  });

  it('says how many requests were recorded but not shown live, and its reload shows every one of them', async () => {
    const sent: string[] = [];
    let notice = 0;
    for (let n = 0; n < MAX_BURSTS && notice === 0; n++) {
      sent.push(...(await burst(n)));
      // Every request of the burst is accounted for on the page: shown live, or counted in the notice.
      await expect.poll(async () => (await shownCount()) + (await missed()), { timeout: 30_000 }).toBe(sent.length);
      notice = await missed();
    }
    expect(notice, `a notice within ${MAX_BURSTS} bursts of ${BURST}`).toBeGreaterThan(0);
    // The journal holds every request; the live rows lack exactly the number the notice gives.
    const journal = await call<AuditPage>('audit.query', { text: MARK, limit: 10_000 });
    expect(journal.records.length).toBe(sent.length);
    const before = await shownPaths();
    expect(before.size).toBe(sent.length - notice);
    const leftOut = sent.filter((p) => !before.has(p));
    expect(leftOut.length).toBe(notice);

    await page.getByTestId('audit-missed').click();
    await page.getByText('Live · newest first').waitFor();
    expect(await page.getByTestId('audit-missed').count()).toBe(0);
    // The journal a page (200) at a time, down to its oldest burst record.
    const older = page.getByRole('button', { name: 'Load older records' });
    await waitFor(async () => {
      if ((await shownCount()) >= sent.length) return true;
      if ((await older.count()) > 0 && (await older.isEnabled())) {
        const count = await shownCount();
        await older.click();
        await expect.poll(shownCount).toBeGreaterThan(count);
      }
      return false;
    }, 60_000, 'every page of the journal');
    expect(await shownCount()).toBe(sent.length);
    const after = await shownPaths();
    expect(after.size).toBe(sent.length);
    expect(leftOut.every((p) => after.has(p))).toBe(true);
    expect(await page.getByTestId('audit-missed').count()).toBe(0);
  });
});
