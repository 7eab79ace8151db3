/// <reference lib="dom" />
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { expect } from 'vitest';
import { screenshotPath } from '../helpers/browser.js';

export type Scheme = 'light' | 'dark';

/** A fresh page on the panel, its console errors collected (a CSP refusal shows up there). */
export async function openPanel(browser: Browser, url: string): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(url).origin });
  const page = await context.newPage();
  // No transitions: a toast fading in or out is not a contrast failure, nor a screenshot's.
  await page.emulateMedia({ reducedMotion: 'reduce' });
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(url);
  return { page, errors };
}

/** Serious and critical axe-core findings, as one readable line each. */
export async function axeProblems(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.map((n) => `${n.html.slice(0, 160)} (${n.any[0]?.message ?? ''})`).slice(0, 3).join(' | ')}`);
}

/**
 * The view as it is now, in light and in dark: a screenshot of each under
 * test-results/screenshots/ and an axe-core run in each (no serious or critical violation).
 */
export async function captureView(page: Page, name: string): Promise<void> {
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    await page.waitForFunction((s) => document.documentElement.getAttribute('data-mantine-color-scheme') === s, colorScheme);
    await page.waitForFunction(() => document.getAnimations().every((a) => !(a instanceof CSSTransition) || a.playState !== 'running'));
    await page.screenshot({ path: screenshotPath(`${name}-${colorScheme}`), fullPage: true });
    expect(await axeProblems(page), `${name} in ${colorScheme}`).toEqual([]);
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

/**
 * 200% zoom lays the page out in half the CSS width (1280 → 640 px), which is what the
 * browser's zoom does to media queries and wrapping. Returns how far the page must then
 * scroll sideways (0: everything reflows, WCAG 1.4.10), after saving a screenshot; restores
 * the normal size.
 */
export async function overflowAtZoom(page: Page, name: string): Promise<number> {
  const size = page.viewportSize() ?? { width: 1280, height: 860 };
  await page.setViewportSize({ width: size.width / 2, height: size.height / 2 });
  await page.waitForFunction((w) => window.innerWidth === w, size.width / 2);
  await page.screenshot({ path: screenshotPath(name), fullPage: true });
  const overflow = await page.evaluate(() => {
    const root = document.documentElement;
    // Content wider than the page, whether the page scrolls or clips it. A wide table inside
    // its own horizontal scroller is allowed (WCAG 1.4.10 exempts data tables).
    const inScroller = (el: Element): boolean => {
      for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
        if (['auto', 'scroll'].includes(getComputedStyle(p).overflowX)) return true;
      }
      return false;
    };
    const visible = Array.from(document.querySelectorAll('header *, nav *, main *')).filter((e) => e.getClientRects().length > 0 && !inScroller(e));
    const widest = Math.max(0, ...visible.map((e) => e.getBoundingClientRect().right));
    return Math.max(root.scrollWidth - root.clientWidth, Math.ceil(widest - root.clientWidth));
  });
  await page.setViewportSize(size);
  return overflow;
}

/** The cumulative layout shift (Chromium's layout-shift entries) while `during` runs. */
export async function layoutShift(page: Page, during: () => Promise<void>): Promise<number> {
  await page.evaluate(() => {
    const w = window as unknown as { __shift: number };
    w.__shift = 0;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries() as unknown as { value: number; hadRecentInput: boolean }[]) if (!e.hadRecentInput) w.__shift += e.value;
    }).observe({ type: 'layout-shift' });
  });
  await during();
  return page.evaluate(() => (window as unknown as { __shift: number }).__shift);
}
