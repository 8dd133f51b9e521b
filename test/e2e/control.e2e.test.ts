/**
 * Acting on miners from the dashboard, in a real browser against the real app over the
 * simulator: a miner's device settings (written, read back, refused with the field named), pause
 * and resume, fleet actions rolled out with a canary and followed live, profiles, schedules.
 */
import { tmpdir } from 'node:os';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { SettingsReading } from '../../src/miners/control/settings.js';
import { dashboardSuite, type PageSession } from './dashboardSuite.js';
import { minerIdOf } from './history.js';
import { NIGHT_SCHEDULE, startRealTarget, TOKEN } from './realTarget.js';

/** The simulated fleet's places (realTarget.ts): three AxeOS, a NerdQAxe, cgminer, Avalon. */
const ALPHA = minerIdOf(0);
const HOSTILE_ID = minerIdOf(1);
const CHARLIE = minerIdOf(2);
const NERD = minerIdOf(3);
const ANTMINER = minerIdOf(4);

const e2e = dashboardSuite(() => startRealTarget({ schedules: [NIGHT_SCHEDULE] }));

/**
 * A page once it is live. A refused request is logged by the browser itself; the page shows it,
 * which is the point, so 400/422 in the console is no error.
 */
function open(hash = ''): Promise<PageSession> {
  return e2e.open({ hash, live: true, ignoreConsole: /status of (400|422)/ });
}

async function get<T>(path: string): Promise<T> {
  const response = await fetch(new URL(path, e2e.target.url));
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

async function select(page: Page, ids: readonly string[]): Promise<void> {
  for (const id of ids) await page.locator(`tr[data-miner-id="${id}"] td.select input`).check();
  await expect
    .poll(() => page.locator('[data-selected]').getAttribute('data-selected'))
    .toBe(String(ids.length));
}

async function rollout(page: Page, canary: number, batchSize: number): Promise<void> {
  const panel = page.locator('section.fleet-actions');
  await panel.locator('[name="canary"]').fill(String(canary));
  await panel.locator('[name="batchSize"]').fill(String(batchSize));
}

async function confirmRun(page: Page): Promise<string> {
  await page.locator('[data-action="plan-action"]').click();
  const plan = await page.locator('[data-testid="action-plan"]').textContent();
  await page.locator('[data-action="confirm-action"]').click();
  await page.locator('section.fleet-actions .action-progress').waitFor({ timeout: 20_000 });
  return plan ?? '';
}

async function post(path: string): Promise<void> {
  const response = await fetch(new URL(path, e2e.target.url), {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}` },
  });
  if (!response.ok) throw new Error(`POST ${path}: ${response.status}`);
}

describe('fleet actions panel', () => {
  it('rolls a settings change out with a canary and follows it live to verified', async () => {
    const { context, page, errors } = await open();
    try {
      await page.locator('table.miners tbody tr').first().waitFor();
      await select(page, [ALPHA, HOSTILE_ID, CHARLIE]);
      const panel = page.locator('section.fleet-actions');
      await panel.locator('[name="action"]').selectOption('settings');
      await panel.locator('[name="action-fan"]').selectOption('manual');
      await panel.locator('[name="action-fanPercent"]').fill('85');
      await rollout(page, 1, 1);
      const plan = await confirmRun(page);
      expect(plan).toMatch(/fan 85% on 3 selected miners: 1 canary miner first, then 1 at a time, halting/);
      const progress = panel.locator('.action-progress');
      await expect.poll(() => progress.getAttribute('data-state'), { timeout: 45_000 }).toBe('completed');
      expect(await panel.locator('[data-count="verified"]').textContent()).toBe('3 verified');
      expect(await panel.locator('.progress-list li[data-state="verified"]').count()).toBe(3);
      expect(await panel.locator('.progress-list').textContent()).toContain('(canary)');
      // The recent list has it too, newest first.
      await expect
        .poll(() => panel.locator('.recent-actions tbody tr').first().textContent())
        .toMatch(/settings/);
      const after = await get<SettingsReading>(`api/miners/${CHARLIE}/settings`);
      expect(after.settings.fan).toEqual({ mode: 'manual', percent: 85 });
      await page.screenshot({ path: `${tmpdir()}/solowatch-fleet-action.png`, fullPage: false });
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('halts at the first failure and skips the miners not yet started', async () => {
    const { context, page } = await open();
    try {
      await page.locator('table.miners tbody tr').first().waitFor();
      // NerdQAxe and cgminer have no pause: whichever comes first after the canary fails the batch.
      await select(page, [ALPHA, NERD, ANTMINER]);
      const panel = page.locator('section.fleet-actions');
      await panel.locator('[name="action"]').selectOption('pause');
      await rollout(page, 1, 1);
      await confirmRun(page);
      const progress = panel.locator('.action-progress');
      await expect.poll(() => progress.getAttribute('data-state'), { timeout: 45_000 }).toBe('halted');
      expect(await panel.locator('[data-testid="halted"]').textContent()).toMatch(/Halted: /);
      expect(await panel.locator('.progress-list li').first().getAttribute('data-state')).toBe('failed');
      const skipped = Number((await panel.locator('[data-count="skipped"]').textContent())?.split(' ')[0]);
      expect(skipped).toBeGreaterThanOrEqual(1);
      expect(await panel.locator('.progress-list li[data-state="skipped"]').count()).toBe(skipped);
    } finally {
      await context.close();
      await post(`api/miners/${ALPHA}/resume`).catch(() => undefined);
    }
  });
});

describe('profiles and schedules panels', () => {
  it('creates a profile, applies it to a selection as a fleet action, and deletes it', async () => {
    const { context, page, errors } = await open();
    try {
      await page.locator('table.miners tbody tr').first().waitFor();
      const profiles = page.locator('section.profiles');
      await profiles.locator('details.new-profile > summary').click();
      await profiles.locator('[name="profile-name"]').fill('quiet-fan');
      await profiles.locator('[name="profile-fan"]').selectOption('manual');
      await profiles.locator('[name="profile-fanPercent"]').fill('40');
      await profiles.locator('[name="profile-pool-0-url"]').fill('stratum+tcp://solo.example:3333');
      await profiles.locator('[name="profile-pool-0-user"]').fill('bc1qexample.e2e');
      await profiles.locator('[name="profile-pool-0-password"]').fill('secret-pass');
      await profiles.locator('[data-action="save-profile"]').click();
      const item = profiles.locator('li[data-profile="quiet-fan"]');
      await item.waitFor({ timeout: 15_000 });
      expect(await item.textContent()).toContain('fan 40%');
      expect(await item.textContent()).not.toContain('secret-pass');

      await select(page, [ALPHA]);
      await item.locator('[data-action="apply-profile"]').click();
      const panel = page.locator('section.fleet-actions');
      await expect.poll(() => panel.locator('[name="action"]').inputValue()).toBe('profile');
      await expect.poll(() => panel.locator('[name="profile"]').inputValue()).toBe('quiet-fan');
      const plan = await confirmRun(page);
      expect(plan).toMatch(/Apply profile quiet-fan to 1 selected miner/);
      await expect
        .poll(() => panel.locator('.action-progress').getAttribute('data-state'), { timeout: 45_000 })
        .toBe('completed');
      expect(await panel.locator('[data-count="verified"]').textContent()).toBe('1 verified');
      const after = await get<SettingsReading>(`api/miners/${ALPHA}/settings`);
      expect(after.settings.fan).toEqual({ mode: 'manual', percent: 40 });
      expect(after.settings.pools[0]?.url).toBe('stratum+tcp://solo.example:3333');

      await item.locator('[data-action="delete-profile"]').click();
      await page.locator('[data-action="confirm-delete-profile"]').click();
      await expect.poll(() => item.count(), { timeout: 15_000 }).toBe(0);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('lists the config’s schedules with their next run and what they do', async () => {
    const { context, page } = await open();
    try {
      const row = page.locator('section.schedules tr[data-schedule="night"]');
      await row.waitFor({ timeout: 15_000 });
      const text = await row.textContent();
      expect(text).toContain('22:00');
      expect(text).toContain('Europe/Berlin');
      expect(text).toContain('pause');
      expect(text).toContain('all miners');
      expect(await row.locator('[data-testid="next-run"]').textContent()).toMatch(/\d/);
    } finally {
      await context.close();
    }
  });
});
