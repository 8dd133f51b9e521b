/**
 * The connection indicator tells the truth: when the server goes away the page stops saying
 * "live", and when it comes back the stream reconnects and the data flows again, no reload.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './browser.js';
import { startFakeTarget } from './fakeTarget.js';
import type { Target } from './target.js';

let target: Target;
let browser: Browser;

beforeAll(async () => {
  [target, browser] = await Promise.all([startFakeTarget(), launchChromium()]);
});

afterAll(async () => {
  await browser?.close();
  await target?.close();
});

describe('connection indicator', () => {
  it('shows a lost server and reconnects when it returns', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    try {
      await page.goto(target.url);
      const indicator = page.locator('[data-connection]');
      await page.locator('[data-connection="live"]').waitFor({ timeout: 15_000 });

      const port = Number(new URL(target.url).port);
      await target.close();
      await expect
        .poll(() => indicator.getAttribute('data-connection'), { timeout: 15_000 })
        .toMatch(/^(reconnecting|offline|connecting)$/);

      target = await startFakeTarget({ port });
      await page.locator('[data-connection="live"]').waitFor({ timeout: 20_000 });
      // Samples flow again over the new stream: a sparkline grows.
      const spark = page.locator('tr[data-miner-id="m1"] svg.spark path');
      await spark.waitFor({ timeout: 10_000 });
      const before = await spark.getAttribute('d');
      await expect.poll(() => spark.getAttribute('d'), { timeout: 10_000 }).not.toBe(before);
    } finally {
      await context.close();
    }
  });
});
