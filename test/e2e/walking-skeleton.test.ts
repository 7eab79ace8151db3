import { describe, expect, it } from 'vitest';
import { launchChromium, screenshotPath } from '../helpers/browser.js';
import { startServe } from '../helpers/cli.js';
import { fixture } from '../helpers/paths.js';
import { freePort } from '../helpers/ports.js';
import { tempDir } from '../helpers/tmp.js';

describe('the browser UI of portcullis serve', async () => {
  const home = tempDir();
  const served = await startServe(home);
  const browser = await launchChromium();

  it('adds a server, starts it, sees it healthy, and stops it', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(err.message));
    await page.goto(served.url);

    const port = await freePort();
    await page.getByLabel('Name').fill('fixture');
    await page.getByLabel('Port').fill(String(port));
    await page.getByLabel('Health path').fill('/healthz');
    await page.getByLabel('Command').fill(`${process.execPath} ${fixture('http-server.mjs')} --port ${port}`);
    await page.getByRole('button', { name: 'Add server' }).click();

    const row = page.getByTestId('server-fixture');
    await expect.poll(() => row.getByTestId('state').textContent()).toBe('stopped');
    await row.getByRole('button', { name: 'Start fixture' }).click();
    await expect.poll(() => row.getByTestId('state').textContent(), { timeout: 15_000 }).toBe('running');
    await expect.poll(() => row.getByTestId('health').textContent(), { timeout: 15_000 }).toMatch(/^healthy/);
    await page.screenshot({ path: screenshotPath('walking-skeleton-running'), fullPage: true });

    await row.getByRole('button', { name: 'Stop fixture' }).click();
    await expect.poll(() => row.getByTestId('state').textContent(), { timeout: 15_000 }).toBe('stopped');
    expect(errors).toEqual([]);
  });

  it('shows an invalid definition\'s error beside its field and stores nothing', async () => {
    const page = await browser.newPage();
    await page.goto(served.url);
    await page.getByLabel('Name').fill('bad');
    await page.getByLabel('Port').fill('70000');
    await page.getByLabel('Command').fill('node');
    await page.getByRole('button', { name: 'Add server' }).click();
    await expect.poll(() => page.getByText('port must be between 1 and 65535').count()).toBe(1);
    await expect.poll(() => page.getByTestId('server-bad').count()).toBe(0);
  });

  it('refuses to work without the session token', async () => {
    const page = await browser.newPage();
    await page.goto(served.url.replace(/#.*$/, ''));
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/#token=/);
  });
});
