/// <reference lib="dom" />
/**
 * The control panel in Chromium against a real `portcullis serve` (private keyring, real
 * Jupyter Notebook from its profile, real gateway): each flow a user depends on, with a
 * screenshot of every view in light and dark and an axe-core check of each.
 */
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../helpers/browser.js';
import { runCli, startServe, type Served } from '../helpers/cli.js';
import { freePort } from '../helpers/ports.js';
import { tempDir } from '../helpers/tmp.js';
import { captureView, layoutShift, openPanel, overflowAtZoom } from './support.js';

const SERVER = 'notebook';
const LAN_ADDRESS = '127.0.0.2';

// Real processes on two shared cores: Jupyter alone may take a while to start.
describe('control panel', { timeout: 120_000 }, () => {
  let served: Served;
  let page: Page;
  let errors: string[];
  let secret = '';
  let url = '';

  let home = '';

  beforeAll(async () => {
    home = tempDir();
    served = await startServe(home);
    ({ page, errors } = await openPanel(await launchChromium(), served.url));
  });

  // The settings test below sets "leave servers running" on quit, as a user may: so Jupyter is
  // stopped here, before `serve` is (the helper stops serve after the file's own hooks).
  afterAll(async () => {
    if (served) await runCli(['--home', home, 'stop', SERVER]);
  });

  const clipboard = (): Promise<string> => page.evaluate(() => navigator.clipboard.readText());
  const row = () => page.getByTestId(`server-${SERVER}`);
  const nav = (name: string) => page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name });

  it('shows the start page and keeps the session token out of the address bar', async () => {
    await page.getByRole('heading', { name: 'Add your first server' }).waitFor();
    expect(page.url()).not.toContain(served.token);
    await captureView(page, 'first-run');
  });

  it('adds a server from a profile (Jupyter) and starts it', async () => {
    const port = await freePort();
    await page.getByRole('combobox', { name: 'Profile' }).click();
    await page.getByRole('option', { name: 'Jupyter Notebook' }).click();
    await expect.poll(() => page.getByTestId('profile-facts').textContent()).toContain('--ip 127.0.0.1');
    await page.getByRole('textbox', { name: 'Name' }).fill(SERVER);
    await page.getByRole('textbox', { name: 'Port' }).fill(String(port));
    if (userInfo().uid === 0) await page.getByRole('textbox', { name: 'Extra arguments' }).fill('--allow-root');
    await page.getByRole('button', { name: 'Add server' }).click();
    // It appears on the overview, stopped; its name opens its page.
    await expect.poll(() => row().getByTestId('state').textContent()).toBe('stopped');
    await row().getByRole('link', { name: SERVER }).click();
    await page.getByRole('heading', { name: SERVER, level: 2 }).waitFor();
    await page.getByRole('button', { name: `Start ${SERVER}` }).click();
    await expect.poll(() => page.getByTestId('state').first().textContent(), { timeout: 30_000 }).toBe('running');
    await expect.poll(() => page.getByTestId('health').first().textContent(), { timeout: 60_000 }).toMatch(/^healthy/);
    // Jupyter's own start-up lines reach the live log view.
    await expect.poll(() => page.getByTestId('log-view').textContent(), { timeout: 30_000 }).toContain('Jupyter');
    await page.getByRole('textbox', { name: 'Search the log' }).fill('jupyter');
    await expect.poll(() => page.getByTestId('log-matches').textContent()).toMatch(/^0 \/ [1-9]/);
    await page.getByRole('button', { name: 'Next match' }).click();
    await expect.poll(() => page.getByTestId('log-matches').textContent()).toMatch(/^1 \//);
    await captureView(page, 'server-logs');
    await page.getByRole('tab', { name: 'Health' }).click();
    await expect.poll(() => page.getByTestId('health-summary').textContent()).toMatch(/[1-9]\d* probes/);
    await captureView(page, 'server-health');
    await page.getByRole('tab', { name: 'Process' }).click();
    await page.getByRole('table', { name: `Sockets ${SERVER} listens on` }).waitFor({ timeout: 30_000 });
    await captureView(page, 'server-process');
  });

  it('edits the restart policy while the server runs', async () => {
    const policy = page.getByRole('combobox', { name: 'When it exits' });
    expect(await policy.inputValue()).toBe('Restart when it fails');
    await policy.click();
    await page.getByRole('option', { name: 'Always restart' }).click();
    await page.getByRole('textbox', { name: 'First delay (s)' }).fill('0.5');
    await page.getByRole('button', { name: 'Save restart policy' }).click();
    await page.getByText('Restart policy saved').waitFor();
    // What the engine stored, as every face shows it: still running, policy changed.
    await expect.poll(() => page.getByRole('table', { name: `Process facts of ${SERVER}` }).textContent()).toContain('always: after 500 ms');
    expect(await page.getByTestId('state').first().textContent()).toBe('running');
    await page.reload();
    await page.getByRole('tab', { name: 'Process' }).click();
    await expect.poll(() => page.getByRole('combobox', { name: 'When it exits' }).inputValue()).toBe('Always restart');
    await captureView(page, 'server-restart-policy');
  });

  it('shows the overview without layout shifts while health and uptime tick, readable at 200% zoom', async () => {
    await nav('Servers').click();
    await row().waitFor();
    const shift = await layoutShift(page, async () => {
      // Two health probes and a few uptime ticks land while we watch.
      const before = await row().getByTestId('uptime').textContent();
      await expect.poll(() => row().getByTestId('uptime').textContent(), { timeout: 15_000 }).not.toBe(before);
    });
    expect(shift).toBeLessThan(0.01);
    await captureView(page, 'overview');
    expect(await overflowAtZoom(page, 'overview-200pct')).toBe(0);
  });

  it(`exposes on the LAN on ${LAN_ADDRESS} from the interface picker, and copies the token and URL`, async () => {
    await row().getByText('LAN', { exact: true }).click();
    const dialog = page.getByRole('dialog', { name: `Expose ${SERVER} on a network` });
    await dialog.getByRole('radio', { name: /127\.0\.0\.1/ }).waitFor();
    // The default names the address the engine would take, as `portcullis interfaces` marks it.
    const listed = JSON.parse((await runCli(['--home', home, 'interfaces', SERVER, '--json'])).stdout) as Array<{ name: string; address: string; lanDefault?: true }>;
    const lanDefault = listed.find((i) => i.lanDefault);
    const note = lanDefault ? `Now ${lanDefault.address} on ${lanDefault.name}: the address ${SERVER} used last time` : 'This machine has no LAN or VPN address';
    await dialog.getByText(note).waitFor();
    await dialog.getByRole('button', { name: lanDefault ? `Expose on ${lanDefault.address}` : 'Expose on the LAN' }).waitFor();
    await captureView(page, 'expose-lan');
    await dialog.getByRole('radio', { name: 'Another address of this machine' }).check();
    await dialog.getByRole('textbox', { name: 'Address to listen on' }).fill(LAN_ADDRESS);
    await dialog.getByRole('button', { name: `Expose on ${LAN_ADDRESS}` }).click();
    // The first exposure mints the server's first token and shows it once.
    const created = page.getByTestId('created-secret');
    await created.waitFor();
    secret = ((await created.textContent()) ?? '').trim();
    expect(secret.length).toBeGreaterThan(20);
    await captureView(page, 'token-created');
    await page.getByRole('button', { name: 'Done' }).click();
    await page.getByTestId('exposure-banner').waitFor();

    await page.getByRole('link', { name: SERVER, exact: true }).first().click();
    await page.getByRole('tab', { name: 'Exposure' }).click();
    url = ((await page.getByTestId('exposure-url').first().textContent()) ?? '').trim();
    expect(url).toMatch(new RegExp(`^http://${LAN_ADDRESS.replace(/\./g, '\\.')}:\\d+/?$`));
    await page.getByRole('button', { name: 'Copy token' }).click();
    await page.getByText('Copied — clipboard clears in 30 s').first().waitFor();
    expect(await clipboard()).toBe(secret);
    await page.getByRole('button', { name: `Copy the URL ${url}` }).click();
    await expect.poll(clipboard).toBe(url);
    // Snippets never show the secret on screen.
    expect(await page.getByTestId('snippet').textContent()).not.toContain(secret);
    await page.getByRole('button', { name: 'Show QR code' }).click();
    await page.getByRole('img', { name: /^QR code: http:\/\/127\.0\.0\.2/ }).waitFor();
    await captureView(page, 'server-exposure');
    // Public asks first, saying what becomes reachable and for how long; Cancel changes nothing.
    await page.getByTestId(`exposure-${SERVER}`).getByText('Public', { exact: true }).click();
    const confirm = page.getByRole('dialog', { name: `Expose ${SERVER} publicly?` });
    await confirm.getByRole('button', { name: 'Expose publicly for 1 hour' }).waitFor();
    await captureView(page, 'expose-public');
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    expect(await page.getByTestId('exposure-summary').textContent()).toMatch(/^LAN:/);
    // A time box set afterwards keeps the same listener (same URL), then is lifted again.
    await page.getByRole('button', { name: 'Change time box' }).click();
    await page.getByRole('menuitem', { name: '1 hour from now' }).click();
    await page.getByText('open connections were kept').first().waitFor();
    await expect.poll(() => page.getByTestId('exposure-summary').textContent()).toMatch(/returns to local in (59 min|1 h 00 min)/);
    expect(((await page.getByTestId('exposure-url').first().textContent()) ?? '').trim()).toBe(url);
    await page.getByRole('button', { name: 'Change time box' }).click();
    await page.getByRole('menuitem', { name: 'Only when I lock it down' }).click();
    await expect.poll(() => page.getByTestId('exposure-summary').textContent()).toMatch(/until locked down\.$/);
  });

  it('shows a request through the gateway live in the audit view', async () => {
    await nav('Audit').click();
    await page.getByRole('table', { name: 'Audit records' }).waitFor();
    await page.getByText('Live · newest first').waitFor();
    const before = await page.getByTestId('audit-row').count();
    const res = await fetch(new URL('api', url), { headers: { authorization: `Bearer ${secret}` } });
    expect(res.status).toBe(200);
    const denied = await fetch(new URL('api', url));
    expect(denied.status).toBe(401);
    // Both requests arrive without a reload, at the top.
    await expect.poll(() => page.getByTestId('audit-row').count(), { timeout: 15_000 }).toBeGreaterThanOrEqual(before + 2);
    const top = page.getByTestId('audit-row').filter({ hasText: '/api' });
    await expect.poll(() => top.count()).toBeGreaterThanOrEqual(2);
    expect(await page.locator('body').textContent()).not.toContain(secret);
    await page.getByRole('button', { name: 'Verify integrity' }).click();
    await expect.poll(() => page.getByTestId('verify-result').textContent(), { timeout: 15_000 }).toContain('intact');
    await captureView(page, 'audit');
    expect(await overflowAtZoom(page, 'audit-200pct')).toBe(0);
    await top.first().getByRole('button', { name: /^Details of/ }).click();
    await page.getByTestId('audit-raw').waitFor();
    await captureView(page, 'audit-detail');
    await page.keyboard.press('Escape');
  });

  it('exports the journal as CSV for a spreadsheet, with the filters applied and no secret in it', async () => {
    await page.getByRole('textbox', { name: 'Text' }).fill('/api');
    // The list (and so the export) follows the filter once typing pauses.
    await expect.poll(async () => (await page.getByTestId('audit-row').allTextContents()).every((t) => t.includes('/api'))).toBe(true);
    await page.getByRole('button', { name: 'Export' }).click();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('menuitem', { name: 'CSV, for spreadsheets' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^portcullis-audit-.*\.csv$/);
    const csv = readFileSync((await download.path()) as string, 'utf8');
    const [header, ...rows] = csv.trim().split('\n');
    expect(header).toBe('seq,ts,kind,actor,action,server,outcome,reason,params,from,to,prev');
    // The two requests above, oldest first: allowed with the token label, then denied.
    expect(rows.length).toBeGreaterThanOrEqual(2);
    expect(rows.every((r) => r.includes('/api'))).toBe(true);
    expect(rows.some((r) => r.includes('gateway.request') && r.includes(',ok,'))).toBe(true);
    expect(rows.some((r) => r.includes(',denied,'))).toBe(true);
    expect(csv).not.toContain(secret);
    await page.getByRole('textbox', { name: 'Text' }).fill('');
  });

  it('warns about repeated failed sign-ins, and holds new records back while the user reads further down', async () => {
    // Wrong tokens from one address, again and again: the browser says so.
    for (let i = 0; i < 8; i++) await fetch(new URL('api', url), { headers: { authorization: 'Bearer not-a-token' } });
    await page.getByText('Repeated failed sign-ins from 127.0.0.1').waitFor({ timeout: 15_000 });
    await expect.poll(() => page.getByTestId('audit-row').count(), { timeout: 15_000 }).toBeGreaterThanOrEqual(16);
    // Read further down: the rows in view must not move when new ones arrive.
    const region = page.getByRole('region', { name: 'Audit records' });
    await region.evaluate((el) => (el.scrollTop = el.scrollHeight));
    const shown = await page.getByTestId('audit-row').count();
    const readingTop = await region.evaluate((el) => el.scrollTop);
    const lastRow = await page.getByTestId('audit-row').last().textContent();
    await fetch(new URL('api', url));
    await page.getByTestId('audit-pending').waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('audit-row').count()).toBe(shown);
    expect(await region.evaluate((el) => el.scrollTop)).toBe(readingTop);
    expect(await page.getByTestId('audit-row').last().textContent()).toBe(lastRow);
    await page.getByTestId('audit-pending').click();
    await expect.poll(() => page.getByTestId('audit-row').count()).toBeGreaterThan(shown);
  });

  it('locks down everything from the header', async () => {
    await page.getByTestId('lockdown-all').click();
    await page.getByText(`Closed: ${SERVER}`).waitFor();
    await expect.poll(() => page.getByTestId('exposure-banner').count()).toBe(0);
    await expect(fetch(new URL('api', url), { headers: { authorization: `Bearer ${secret}` } })).rejects.toThrow();
  });

  it('rotates and revokes a token', async () => {
    await nav('Tokens').click();
    const tokenRow = page.locator('[data-testid^="token-"]').first();
    await tokenRow.waitFor();
    const label = ((await tokenRow.getAttribute('data-testid')) ?? '').slice('token-'.length);
    await captureView(page, 'tokens');
    await page.getByRole('button', { name: `Rotate token ${label}` }).first().click();
    await page.getByRole('dialog', { name: `Rotate ${label}?` }).getByRole('button', { name: `Rotate ${label}` }).click();
    const rotated = ((await page.getByTestId('created-secret').textContent()) ?? '').trim();
    expect(rotated).not.toBe(secret);
    await page.getByRole('button', { name: 'Done' }).click();
    // The old one is marked rotated; the new active one is revoked next.
    await expect.poll(() => page.getByText('rotated', { exact: true }).count()).toBeGreaterThan(0);
    await page.getByRole('button', { name: `Revoke token ${label}` }).first().click();
    await captureView(page, 'token-revoke');
    await page.getByRole('dialog', { name: `Revoke ${label}?` }).getByRole('button', { name: `Revoke ${label}` }).click();
    await page.getByText(`Revoked ${label}`).waitFor();
    await expect.poll(() => page.getByText('revoked', { exact: true }).count()).toBeGreaterThan(0);
  });

  it('changes a Portcullis-wide setting, which survives a reload', async () => {
    await nav('Settings').click();
    const leave = page.getByRole('radio', { name: 'Leave them running; the next start watches them again' });
    // The choice shows once the engine has saved it.
    await leave.click();
    await page.getByText('Saved: when Portcullis quits').waitFor();
    expect(await leave.isChecked()).toBe(true);
    const retention = page.getByRole('textbox', { name: 'Keep records for (days)' });
    await retention.fill('30');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Saved: audit journal retention and file size').waitFor();
    await captureView(page, 'settings');
    await page.reload();
    await expect.poll(() => leave.isChecked()).toBe(true);
    await expect.poll(() => retention.inputValue()).toBe('30');
  });

  it('sets the names the gateway answers to, refusing one that is not a DNS name', async () => {
    const names = page.getByLabel('Extra host names').and(page.locator('input'));
    await names.fill('http://gpu.lab.example');
    await names.press('Enter');
    const save = page.getByRole('button', { name: 'Save gateway settings' });
    await save.click();
    await expect.poll(() => page.getByRole('alert').filter({ hasText: 'without a scheme, port or path' }).count()).toBe(1);
    await names.press('Backspace');
    await names.fill('gpu.lab.example');
    await names.press('Enter');
    await page.getByLabel('Trusted proxies').and(page.locator('input')).fill('10.0.0.5');
    await page.getByLabel('Trusted proxies').and(page.locator('input')).press('Enter');
    await save.click();
    await page.getByText('Saved: gateway host names and trusted proxies').waitFor();
    const cli = JSON.parse((await runCli(['--home', home, 'gateway', '--json'])).stdout) as { hostNames: string[]; trustedProxies: string[] };
    expect(cli).toMatchObject({ hostNames: ['gpu.lab.example'], trustedProxies: ['10.0.0.5'] });
    await page.reload();
    await page.getByText('gpu.lab.example', { exact: true }).waitFor();
  });

  it("shows a server's own audit log beside the journal, labelled by its source", async () => {
    const file = join(tempDir(), 'audit.jsonl');
    writeFileSync(file, '');
    await page.getByRole('combobox', { name: 'Server' }).click();
    await page.getByRole('option', { name: SERVER }).click();
    await page.getByRole('textbox', { name: 'Its audit file (JSON Lines)' }).fill(file);
    await page.getByRole('button', { name: 'Follow' }).click();
    await page.getByText(`Following ${file} as ${SERVER}'s audit log`).waitFor();
    await nav('Audit').click();
    await page.getByText('Live · newest first').waitFor();
    appendFileSync(file, `${JSON.stringify({ ts: new Date().toISOString(), actor: 'alice', action: 'train.start', outcome: 'ok', params: { run: 7 } })}\n`);
    const own = page.getByTestId('audit-row').filter({ hasText: 'train.start' });
    await expect.poll(() => own.count(), { timeout: 15_000 }).toBe(1);
    expect(await own.textContent()).toContain(`${SERVER}'s own log`);
    expect(await overflowAtZoom(page, 'settings-200pct')).toBe(0);
  });

  it('shows the shortcuts, and the page logged no error (a CSP refusal would be one)', async () => {
    // Shortcuts work wherever focus is, except while typing in a field.
    await page.getByRole('heading', { name: 'Portcullis', level: 1 }).click();
    await page.keyboard.press('Shift+/');
    await page.getByRole('dialog', { name: 'Keyboard shortcuts' }).waitFor();
    await captureView(page, 'shortcuts');
    await page.keyboard.press('Escape');
    // The failed sign-ins (401) and the one host name refused on purpose (400) are the only ones.
    const unexpected = errors.filter((e) => !e.includes('401'));
    expect(unexpected.filter((e) => e.includes('status of 400'))).toHaveLength(1);
    expect(unexpected.filter((e) => !e.includes('status of 400'))).toEqual([]);
  });
});
