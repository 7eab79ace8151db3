import { mkdirSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { cleanup } from './cleanup.js';

/** Debian's Chromium, headless, with the flags this closed network needs. */
export async function launchChromium(): Promise<Browser> {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  cleanup(() => browser.close());
  return browser;
}

export function screenshotPath(name: string): string {
  mkdirSync('test-results/screenshots', { recursive: true });
  return `test-results/screenshots/${name}.png`;
}
