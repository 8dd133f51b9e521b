/**
 * Acting on miners from the dashboard, in a real browser against the real app over the
 * simulator: a miner's device settings (written, read back, refused with the field named), pause
 * and resume, fleet actions rolled out with a canary and followed live, profiles, schedules.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SettingsReading } from '../../src/miners/control/settings.js';
import { launchChromium } from './browser.js';
import { minerIdOf } from './history.js';
import { startRealTarget } from './realTarget.js';
import type { Target } from './target.js';

/** The simulated fleet's places (realTarget.ts): three AxeOS, a NerdQAxe, cgminer, Avalon. */
const ALPHA = minerIdOf(0);
const CHARLIE = minerIdOf(2);
const NERD = minerIdOf(3);
const ANTMINER = minerIdOf(4);

let target: Target;
let browser: Browser;

beforeAll(async () => {
  [target, browser] = await Promise.all([startRealTarget(), launchChromium()]);
});

afterAll(async () => {
  await browser?.close();
  await target?.close();
});

interface Session {
  readonly context: BrowserContext;
  readonly page: Page;
  readonly errors: string[];
}

async function open(hash = ''): Promise<Session> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme: 'dark' });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    // A refused request is logged by the browser itself; the page shows it, which is the point.
    if (m.type() === 'error' && !/status of (400|422)/.test(m.text())) errors.push(`console: ${m.text()}`);
  });
  await page.goto(`${target.url}${hash}`);
  await page.locator('[data-connection="live"]').waitFor({ timeout: 15_000 });
  return { context, page, errors };
}

async function get<T>(path: string): Promise<T> {
  const response = await fetch(new URL(path, target.url));
  if (!response.ok) throw new Error(`GET ${path}: ${response.status}`);
  return (await response.json()) as T;
}

async function openSettings(page: Page): Promise<void> {
  await page.locator('details.device-settings > summary').click();
  await page.locator('.device-settings-form').waitFor({ timeout: 20_000 });
}

describe('device settings panel', () => {
  it('changes the frequency and shows what the device read back', async () => {
    const before = await get<SettingsReading>(`api/miners/${ALPHA}/settings`);
    const cap = before.capabilities.frequencyMhz!;
    const choices = cap.options.length > 0 ? cap.options : [cap.min, cap.max];
    const wanted = choices.find((f) => f !== before.settings.frequencyMhz)!;
    const { context, page, errors } = await open(`#/miners/${ALPHA}`);
    try {
      await openSettings(page);
      const field = page.locator('[name="frequencyMhz"]');
      if ((await field.evaluate((e) => e.tagName)) === 'SELECT') await field.selectOption(String(wanted));
      else await field.fill(String(wanted));
      await page.locator('[data-action="apply-settings"]').click();
      await expect
        .poll(() => page.locator('[data-testid="applied"]').textContent(), { timeout: 20_000 })
        .toBe('frequencyMhz');
      expect(await page.locator('[data-testid="read-back-frequency"]').textContent()).toBe(String(wanted));
      // AxeOS applies a new frequency on reboot: the panel says so and offers the restart.
      await page.locator('[data-testid="restart-required"] [data-action="restart"]').waitFor();
      const after = await get<SettingsReading>(`api/miners/${ALPHA}/settings`);
      expect(after.settings.frequencyMhz).toBe(wanted);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('shows the server’s 400 beside the field it names when a value is out of range', async () => {
    const { context, page } = await open(`#/miners/${ALPHA}`);
    try {
      await openSettings(page);
      const field = page.locator('[name="coreVoltageMv"]');
      await field.fill('9000');
      await page.locator('[data-action="apply-settings"]').click();
      const error = page.locator('[data-field-error="coreVoltageMv"]');
      await error.waitFor({ timeout: 20_000 });
      expect(await error.textContent()).toMatch(/coreVoltageMv 9000 is outside what this device accepts/);
    } finally {
      await context.close();
    }
  });

  it('pauses and resumes a miner, and shows only the commands the device has', async () => {
    const { context, page, errors } = await open(`#/miners/${ALPHA}`);
    try {
      await openSettings(page);
      await page.locator('[data-action="pause"]').click();
      await expect
        .poll(() => page.locator('[data-testid="paused"]').textContent(), { timeout: 20_000 })
        .toBe('Paused');
      await page.locator('[data-action="resume"]').click();
      await expect
        .poll(() => page.locator('[data-testid="paused"]').textContent(), { timeout: 20_000 })
        .toBe('Hashing');
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
    // cgminer offers none of them: no button at all, and the settings it cannot set are disabled.
    const other = await open(`#/miners/${ANTMINER}`);
    try {
      await openSettings(other.page);
      expect(await other.page.locator('.device-settings [data-action="pause"]').count()).toBe(0);
      expect(await other.page.locator('.device-settings [data-action="identify"]').count()).toBe(0);
      expect(await other.page.locator('[name="frequencyMhz"]').isDisabled()).toBe(true);
      expect(await other.page.locator('.device-settings .why-not').first().textContent()).toMatch(
        /cannot set/,
      );
    } finally {
      await other.context.close();
    }
  });
});
