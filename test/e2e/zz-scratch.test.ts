/// <reference lib="dom" />
import { test } from 'vitest';
import { launchChromium } from '../helpers/browser.js';
import { startServe } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';
import { openPanel } from './support.js';

test('look', async () => {
  const served = await startServe(tempDir());
  const { page, errors } = await openPanel(await launchChromium(), served.url);
  await page.getByRole('heading', { name: 'Add your first server' }).waitFor();
  console.log(await page.locator('form').ariaSnapshot(), errors);
}, 60000);
