/// <reference lib="dom" />
/**
 * The log view in Chromium against a real `portcullis serve` and a real child that prints
 * 50 lines a second: following, pausing without losing the line being read, the stream
 * filter, search, and download.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../helpers/browser.js';
import { startServe, type Served } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';
import { openPanel } from './support.js';

const ticker = fileURLToPath(new URL('./fixtures/ticker.mjs', import.meta.url));
const flood = fileURLToPath(new URL('../../bench/fixtures/log-flood.mjs', import.meta.url));

describe('log view', { timeout: 60_000 }, () => {
  let served: Served;
  let page: Page;

  const count = async (): Promise<number> => Number(((await page.getByTestId('log-count').textContent()) ?? '0').split(' ')[0]?.replace(/,/g, ''));
  const rows = () => page.getByTestId('log-view').locator('.log-row');
  const distanceFromEnd = (): Promise<number> =>
    page.getByTestId('log-view').evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight);

  const add = async (name: string, args: string[]): Promise<void> => {
    const res = await fetch(`http://127.0.0.1:${served.port}/api/call/servers.add`, {
      method: 'POST',
      headers: { authorization: `Bearer ${served.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name, command: process.execPath, args }),
    });
    expect(res.status).toBe(200);
  };

  beforeAll(async () => {
    served = await startServe(tempDir());
    await add('ticker', [ticker]);
    // 60,000 lines at 10,000 a second: more than the view keeps (50,000).
    await add('flood', [flood, '10000', '6', '0']);
    ({ page } = await openPanel(await launchChromium(), served.url));
    await page.evaluate(() => (location.hash = '#/servers/ticker/logs'));
    await page.getByRole('button', { name: 'Start ticker' }).click();
  });

  it('follows the end, and pausing keeps the line being read in place while lines arrive', async () => {
    await expect.poll(count, { timeout: 20_000 }).toBeGreaterThan(100);
    await expect.poll(distanceFromEnd).toBeLessThan(40);
    // Scrolling up pauses following.
    await page.getByTestId('log-view').evaluate((el) => (el.scrollTop = 200));
    await expect.poll(() => page.getByTestId('log-follow').textContent()).toBe('Paused — follow');
    const reading = await rows().first().textContent();
    const before = await count();
    await expect.poll(count, { timeout: 20_000 }).toBeGreaterThan(before + 50);
    expect(await rows().first().textContent()).toBe(reading);
    expect(await page.getByTestId('log-view').evaluate((el) => el.scrollTop)).toBe(200);
    // Following again jumps to the end and stays there.
    await page.getByTestId('log-follow').click();
    await expect.poll(() => page.getByTestId('log-follow').textContent()).toBe('Following');
    await expect.poll(distanceFromEnd).toBeLessThan(40);
  });

  it('filters by stream, searches with highlights, and downloads what is shown', async () => {
    await page.getByText('stderr', { exact: true }).click();
    await expect.poll(async () => new Set(await rows().evaluateAll((els) => els.map((e) => e.getAttribute('data-stream'))))).toEqual(new Set(['stderr']));
    await page.getByRole('textbox', { name: 'Search the log' }).fill('warn 1');
    await expect.poll(() => page.getByTestId('log-matches').textContent()).toMatch(/^0 \/ [1-9]/);
    await page.getByRole('switch', { name: 'Matches only' }).check();
    await expect.poll(async () => (await rows().evaluateAll((els) => els.every((e) => e.querySelector('mark')?.textContent?.toLowerCase() === 'warn 1')))).toBe(true);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download' }).click()]);
    expect(download.suggestedFilename()).toBe('ticker.log');
    const lines = (await readFile((await download.path()) as string, 'utf8')).trim().split('\n');
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line).toMatch(/ stderr warn 1\d*$/);
  });

  it('keeps memory bounded under a flood, and a paused view keeps its line while old ones are dropped', async () => {
    await page.evaluate(() => (location.hash = '#/servers/flood/logs'));
    await page.getByRole('button', { name: 'Start flood' }).click();
    await expect.poll(count, { timeout: 30_000, interval: 50 }).toBeGreaterThan(25_000);
    await page.getByTestId('log-follow').click();
    await expect.poll(() => page.getByTestId('log-follow').textContent()).toBe('Paused — follow');
    const reading = await rows().first().textContent();
    expect(reading).toMatch(/line \d{7}/);
    // The rest arrives; the oldest 10,000 fall off the front of the view…
    await expect.poll(() => page.getByTestId('log-count').textContent(), { timeout: 60_000 }).toMatch(/^50,000 lines shown · older lines dropped/);
    await expect.poll(() => page.getByTestId('log-view').evaluate((el) => el.textContent?.includes('line 0059999')), { timeout: 30_000 }).toBe(false);
    // …and the line being read has not moved.
    expect(await rows().first().textContent()).toBe(reading);
  });
});
