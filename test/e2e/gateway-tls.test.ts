/// <reference lib="dom" />
/**
 * The gateway's HTTPS certificate in Chromium against a real `portcullis serve`: a self-signed
 * certificate made by openssl at test time is set through Settings, refused with the file
 * named when the key is wrong, warned about when missing, and served by a real LAN listener
 * on 127.0.0.2 that a TLS client verifies against that certificate.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, renameSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../helpers/browser.js';
import { runCli, startServe, type Served } from '../helpers/cli.js';
import { fixture } from '../helpers/paths.js';
import { freePort } from '../helpers/ports.js';
import { tempDir } from '../helpers/tmp.js';
import { captureView, openPanel } from './support.js';

const SERVER = 'web';
const LAN_ADDRESS = '127.0.0.2';
/** On this machine, but not in the test certificate. */
const UNNAMED_ADDRESS = '127.0.0.3';
const PLAIN_WARNING = 'Traffic to this server, the token included, will cross the network unencrypted.';

/** One HTTPS request that trusts only `ca`: it succeeds only if the listener serves that certificate. */
function httpsGet(url: string, ca: Buffer, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { ca, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

interface GatewayJson {
  tls: { certFile: string; keyFile: string; names: string[]; validTo: string | null; problem: string | null } | null;
}

// Real processes on two shared cores.
describe('gateway HTTPS certificate', { timeout: 120_000 }, () => {
  let served: Served;
  let page: Page;
  let home = '';
  let certFile = '';
  let keyFile = '';
  let notAfter = '';

  const nav = (name: string) => page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name });
  const gateway = async (): Promise<GatewayJson> => JSON.parse((await runCli(['--home', home, 'gateway', '--json'])).stdout) as GatewayJson;
  const openServer = async (): Promise<void> => {
    await page.evaluate((name) => (location.hash = `#/servers/${name}/exposure`), SERVER);
    await page.getByTestId('exposure-summary').waitFor();
  };

  beforeAll(async () => {
    home = tempDir();
    const dir = tempDir();
    certFile = join(dir, 'cert.pem');
    keyFile = join(dir, 'key.pem');
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyFile, '-out', certFile, '-days', '2',
      '-subj', '/CN=localhost', '-addext', `subjectAltName=DNS:localhost,IP:127.0.0.1,IP:${LAN_ADDRESS}`,
    ], { stdio: 'ignore' });
    notAfter = new Date(execFileSync('openssl', ['x509', '-enddate', '-noout', '-in', certFile], { encoding: 'utf8' }).trim().replace(/^notAfter=/, '')).toISOString();

    served = await startServe(home);
    const port = await freePort();
    const res = await fetch(`http://127.0.0.1:${served.port}/api/call/servers.add`, {
      method: 'POST',
      headers: { authorization: `Bearer ${served.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: SERVER, command: process.execPath, args: [fixture('http-server.mjs'), '--port', String(port)], port, health: { path: '/healthz' } }),
    });
    expect(res.status).toBe(200);
    ({ page } = await openPanel(await launchChromium(), served.url));
  });

  it('warns before a public exposure while the gateway has no certificate', async () => {
    await openServer();
    await page.getByTestId(`exposure-${SERVER}`).getByText('Public', { exact: true }).click();
    const dialog = page.getByRole('dialog', { name: `Expose ${SERVER} publicly?` });
    await dialog.getByTestId('plain-http-warning').filter({ hasText: PLAIN_WARNING }).waitFor();
    expect(await dialog.getByRole('link', { name: 'Settings → Gateway' }).getAttribute('href')).toBe('#/settings');
    await captureView(page, 'expose-public-plain-http');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
    expect(await page.getByTestId('exposure-summary').textContent()).toMatch(/^Local:/);
  });

  it('refuses a key file that does not exist, naming it beside the key field, and saves nothing', async () => {
    await nav('Settings').click();
    await page.getByTestId('tls-state').filter({ hasText: 'Plain HTTP' }).waitFor();
    const missing = join(tempDir(), 'privkey.pem');
    await page.getByRole('textbox', { name: 'Certificate file' }).fill(certFile);
    await page.getByRole('textbox', { name: 'Key file' }).fill(missing);
    await page.getByRole('button', { name: 'Save certificate' }).click();
    const key = page.getByRole('textbox', { name: 'Key file' });
    await expect.poll(() => key.getAttribute('aria-invalid')).toBe('true');
    // Mantine ties the error to its input: the key field's description names the missing file.
    const describedBy = (await key.getAttribute('aria-describedby')) ?? '';
    const described = await Promise.all(describedBy.split(' ').filter(Boolean).map((id) => page.locator(`[id="${id}"]`).textContent()));
    expect(described.join(' ')).toContain(missing);
    expect(await page.getByRole('textbox', { name: 'Certificate file' }).getAttribute('aria-invalid')).not.toBe('true');
    expect((await gateway()).tls).toBeNull();
    await page.getByTestId('tls-state').filter({ hasText: 'Plain HTTP' }).waitFor();
    await captureView(page, 'settings-https-refused');
  });

  it('sets the certificate from Settings, showing the names it covers and its expiry', async () => {
    await page.getByRole('textbox', { name: 'Key file' }).fill(keyFile);
    await page.getByRole('button', { name: 'Save certificate' }).click();
    await page.getByText('Saved: HTTPS certificate').first().waitFor();
    const names = page.getByTestId('tls-names');
    await expect.poll(() => names.textContent()).toBe(`Valid for: localhost, 127.0.0.1, ${LAN_ADDRESS}`);
    // The expiry openssl wrote, as this browser prints dates.
    const expiry = await page.evaluate((iso) => new Date(iso).toLocaleString(), notAfter);
    expect(await page.getByTestId('tls-valid-to').textContent()).toContain(expiry);
    expect(await page.getByRole('textbox', { name: 'Key file' }).getAttribute('aria-invalid')).not.toBe('true');
    expect((await gateway()).tls).toMatchObject({ certFile, keyFile, validTo: notAfter, problem: null });
    await captureView(page, 'settings-https');
    await page.reload();
    await expect.poll(() => page.getByTestId('tls-names').textContent()).toContain(LAN_ADDRESS);
    expect(await page.getByRole('textbox', { name: 'Certificate file' }).inputValue()).toBe(certFile);
  });

  it(`exposes on ${LAN_ADDRESS} over HTTPS: https URL, an "HTTPS" badge, and a listener serving that certificate`, async () => {
    await openServer();
    await page.getByRole('button', { name: `Start ${SERVER}` }).click();
    await expect.poll(() => page.getByTestId('state').first().textContent(), { timeout: 30_000 }).toBe('running');
    await page.getByTestId(`exposure-${SERVER}`).getByText('LAN', { exact: true }).click();
    const dialog = page.getByRole('dialog', { name: `Expose ${SERVER} on a network` });
    await dialog.getByTestId('https-note').filter({ hasText: LAN_ADDRESS }).waitFor();
    expect(await dialog.getByTestId('plain-http-warning').count()).toBe(0);
    await dialog.getByRole('radio', { name: 'Another address of this machine' }).check();
    await dialog.getByRole('textbox', { name: 'Address to listen on' }).fill(LAN_ADDRESS);
    await dialog.getByRole('button', { name: `Expose on ${LAN_ADDRESS}` }).click();
    const created = page.getByTestId('created-secret');
    await created.waitFor();
    const secret = ((await created.textContent()) ?? '').trim();
    await page.getByRole('button', { name: 'Done' }).click();

    const url = ((await page.getByTestId('exposure-url').first().textContent()) ?? '').trim();
    expect(url).toMatch(new RegExp(`^https://${LAN_ADDRESS.replace(/\./g, '\\.')}:\\d+/$`));
    expect(await page.getByTestId('exposure-encryption').textContent()).toBe('HTTPS');
    expect(await page.getByTestId('exposure-banner').textContent()).toContain('HTTPS');
    await captureView(page, 'server-exposure-https');

    // Verified against the test's own certificate only: any other would fail the handshake.
    const ca = readFileSync(certFile);
    expect((await httpsGet(new URL('api', url).href, ca)).status).toBe(401);
    const ok = await httpsGet(new URL('api', url).href, ca, { authorization: `Bearer ${secret}` });
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body)).toMatchObject({ path: '/api' });

    await page.getByTestId('lockdown-all').click();
    await expect.poll(() => page.getByTestId('exposure-banner').count()).toBe(0);
  });

  it('warns after exposing on an address the certificate does not name, and keeps the warning until dismissed', async () => {
    await page.getByTestId(`exposure-${SERVER}`).getByText('LAN', { exact: true }).click();
    const dialog = page.getByRole('dialog', { name: `Expose ${SERVER} on a network` });
    await dialog.getByTestId('https-note').waitFor();
    await dialog.getByRole('radio', { name: 'Another address of this machine' }).check();
    await dialog.getByRole('textbox', { name: 'Address to listen on' }).fill(UNNAMED_ADDRESS);
    await dialog.getByRole('button', { name: `Expose on ${UNNAMED_ADDRESS}` }).click();
    const warning = page.getByTestId('expose-warnings');
    await warning.filter({ hasText: `Before you share ${SERVER}` }).waitFor();
    expect(await warning.textContent()).toContain('clients will refuse it');
    expect(await page.getByTestId('exposure-encryption').textContent()).toBe('HTTPS');
    await captureView(page, 'expose-warnings');
    await warning.getByRole('button', { name: 'Dismiss notification' }).click();
    await warning.waitFor({ state: 'detached' });
    await page.getByTestId('lockdown-all').click();
    await expect.poll(() => page.getByTestId('exposure-banner').count()).toBe(0);
  });

  it('says why a certificate whose key has moved cannot be used, and exposing is refused rather than falling back to plain HTTP', async () => {
    const moved = `${keyFile}.moved`;
    renameSync(keyFile, moved);
    try {
      await nav('Settings').click();
      const problem = page.getByRole('alert').filter({ hasText: 'This certificate cannot be used now' });
      await problem.waitFor();
      expect(await problem.textContent()).toContain(keyFile);
      await openServer();
      await page.getByTestId(`exposure-${SERVER}`).getByText('LAN', { exact: true }).click();
      const dialog = page.getByRole('dialog', { name: `Expose ${SERVER} on a network` });
      await dialog.getByTestId('tls-problem').filter({ hasText: keyFile }).waitFor();
      await captureView(page, 'expose-lan-tls-problem');
      await dialog.getByRole('radio', { name: 'Another address of this machine' }).check();
      await dialog.getByRole('textbox', { name: 'Address to listen on' }).fill(LAN_ADDRESS);
      await dialog.getByRole('button', { name: `Expose on ${LAN_ADDRESS}` }).click();
      await dialog.getByRole('alert').filter({ hasText: 'Not exposed' }).filter({ hasText: keyFile }).waitFor();
      await dialog.getByRole('button', { name: 'Cancel' }).click();
      await dialog.waitFor({ state: 'hidden' });
      expect(await page.getByTestId('exposure-summary').textContent()).toMatch(/^Local:/);
    } finally {
      renameSync(moved, keyFile);
    }
  });

  it('goes back to plain HTTP: the LAN dialog says so, and the exposure is marked not encrypted', async () => {
    await nav('Settings').click();
    await page.getByRole('button', { name: 'Use plain HTTP' }).click();
    await page.getByText('Saved: plain HTTP, no certificate').first().waitFor();
    await page.getByTestId('tls-state').filter({ hasText: 'Plain HTTP' }).waitFor();
    expect((await gateway()).tls).toBeNull();
    await openServer();
    await page.getByTestId(`exposure-${SERVER}`).getByText('LAN', { exact: true }).click();
    const dialog = page.getByRole('dialog', { name: `Expose ${SERVER} on a network` });
    await dialog.getByTestId('plain-http-warning').filter({ hasText: 'Plain HTTP' }).waitFor();
    expect(await dialog.getByTestId('https-note').count()).toBe(0);
    await dialog.getByRole('radio', { name: 'Another address of this machine' }).check();
    await dialog.getByRole('textbox', { name: 'Address to listen on' }).fill(LAN_ADDRESS);
    await dialog.getByRole('button', { name: `Expose on ${LAN_ADDRESS}` }).click();
    await dialog.waitFor({ state: 'hidden' });
    await expect.poll(() => page.getByTestId('exposure-url').first().textContent()).toMatch(new RegExp(`^http://${LAN_ADDRESS.replace(/\./g, '\\.')}:\\d+/$`));
    expect(await page.getByTestId('exposure-encryption').textContent()).toBe('Not encrypted');
    expect(await page.getByTestId('exposure-banner').textContent()).toContain('not encrypted');
    await captureView(page, 'server-exposure-plain-http');
    await page.getByTestId('lockdown-all').click();
    await expect.poll(() => page.getByTestId('exposure-banner').count()).toBe(0);
    await page.getByRole('button', { name: `Stop ${SERVER}` }).click();
    await expect.poll(() => page.getByTestId('state').first().textContent(), { timeout: 30_000 }).toBe('stopped');
  });
});
