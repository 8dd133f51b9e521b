/**
 * Schedules edited on the dashboard, in a real browser against the real app over the simulator:
 * made, listed with the next run, edited, refused with the field named, deleted; the config's
 * shown read-only. And a profile with a primary and two fallback pools.
 */
import { describe, expect, it } from 'vitest';
import type { Profile } from '../../src/monitor/profiles/Profile.js';
import type { ScheduleView } from '../../src/monitor/schedules/Scheduler.js';
import { dashboardSuite, type PageSession } from './dashboardSuite.js';
import { NIGHT_SCHEDULE, startRealTarget } from './realTarget.js';

/** The browser's zone, unlike the server's, so the form's default is seen to be the browser's. */
const BROWSER_ZONE = 'America/New_York';

const e2e = dashboardSuite(() => startRealTarget({ schedules: [NIGHT_SCHEDULE] }));

/** A live page in BROWSER_ZONE; a refused request (400) in the console is the behaviour under test. */
function open(): Promise<PageSession> {
  return e2e.open({ live: true, timezoneId: BROWSER_ZONE, ignoreConsole: /status of 400/ });
}

async function get<T>(path: string): Promise<T> {
  const response = await fetch(new URL(path, e2e.target.url));
  if (!response.ok) throw new Error(`GET ${path}: ${response.status}`);
  return (await response.json()) as T;
}

async function schedule(name: string): Promise<ScheduleView | undefined> {
  const { schedules } = await get<{ schedules: ScheduleView[] }>('api/schedules');
  return schedules.find((s) => s.name === name);
}

describe('schedules panel', () => {
  it('makes a schedule, lists it with its next run, edits it, shows a 400 beside its field, and deletes it', async () => {
    const { context, page, errors } = await open();
    try {
      const panel = page.locator('section.schedules');
      // The config's schedule is there, and says why it cannot be edited here.
      const night = panel.locator('tr[data-schedule="night"]');
      await night.waitFor({ timeout: 15_000 });
      expect(await night.locator('[data-testid="read-only"]').textContent()).toMatch(/config file/);
      expect(await night.locator('[data-action="edit-schedule"]').count()).toBe(0);

      await panel.locator('[data-action="new-schedule"]').click();
      expect(await panel.locator('[name="schedule-timeZone"]').inputValue()).toBe(BROWSER_ZONE);
      await panel.locator('[name="schedule-name"]').fill('weekday-off');
      await panel.locator('[name="schedule-at"]').fill('07:00');
      await panel.locator('[name="schedule-day-sat"]').uncheck();
      await panel.locator('[name="schedule-day-sun"]').uncheck();
      await panel.locator('[name="schedule-target"]').selectOption('all');
      await panel.locator('[data-action="save-schedule"]').click();

      const row = panel.locator('tr[data-schedule="weekday-off"]');
      await row.waitFor({ timeout: 15_000 });
      expect(await row.getAttribute('data-source')).toBe('api');
      const text = await row.textContent();
      expect(text).toContain('07:00 mon, tue, wed, thu, fri');
      expect(text).toContain(BROWSER_ZONE);
      // The next run in the schedule's zone, which here is the browser's too.
      expect(await row.locator('[data-testid="next-run"]').textContent()).toMatch(/7:00\s?AM.*here/);
      const made = await schedule('weekday-off');
      expect(made).toMatchObject({
        source: 'api',
        at: '07:00',
        days: ['mon', 'tue', 'wed', 'thu', 'fri'],
        timeZone: BROWSER_ZONE,
        action: 'pause',
        target: { all: true },
      });
      const shown = new Intl.DateTimeFormat('en-GB', {
        timeZone: BROWSER_ZONE,
        weekday: 'short',
        hour: '2-digit',
        minute: '2-digit',
      }).format(made!.nextRunAt!);
      expect(shown).toMatch(/^(Mon|Tue|Wed|Thu|Fri) 07:00$/);

      // Edit: a new time is kept; an unknown zone is refused beside the zone field.
      await row.locator('[data-action="edit-schedule"]').click();
      expect(await panel.locator('[name="schedule-name"]').inputValue()).toBe('weekday-off');
      await panel.locator('[name="schedule-at"]').fill('08:15');
      await panel.locator('[name="schedule-timeZone"]').fill('Mars/Olympus');
      await panel.locator('[data-action="save-schedule"]').click();
      const zoneError = panel.locator('[data-field-error="timeZone"]');
      await zoneError.waitFor({ timeout: 15_000 });
      expect(await zoneError.textContent()).toMatch(/'Mars\/Olympus' is not a time zone/);
      expect((await schedule('weekday-off'))!.at).toBe('07:00');

      await panel.locator('[name="schedule-timeZone"]').fill('Europe/Berlin');
      await panel.locator('[data-action="save-schedule"]').click();
      await expect.poll(async () => (await schedule('weekday-off'))?.at, { timeout: 15_000 }).toBe('08:15');
      expect((await schedule('weekday-off'))!.timeZone).toBe('Europe/Berlin');
      await expect.poll(() => row.textContent(), { timeout: 15_000 }).toContain('08:15');

      // Delete asks first.
      await row.locator('[data-action="delete-schedule"]').click();
      await page.locator('[data-action="confirm-delete-schedule"]').click();
      await expect.poll(() => row.count(), { timeout: 15_000 }).toBe(0);
      expect(await schedule('weekday-off')).toBeUndefined();
      expect(await night.count()).toBe(1);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('saves a profile with a primary and two fallback pools', async () => {
    const { context, page, errors } = await open();
    try {
      const profiles = page.locator('section.profiles');
      await profiles.locator('details.new-profile > summary').click();
      await profiles.locator('[name="profile-name"]').fill('three-pools');
      for (const i of [0, 1, 2]) {
        await profiles.locator(`[name="profile-pool-${i}-url"]`).fill(`stratum+tcp://pool${i}.example:3333`);
        await profiles.locator(`[name="profile-pool-${i}-user"]`).fill(`bc1qexample.w${i}`);
      }
      await profiles.locator('[name="profile-pool-2-password"]').fill('third-secret');
      await profiles.locator('[data-action="save-profile"]').click();
      const item = profiles.locator('li[data-profile="three-pools"]');
      await item.waitFor({ timeout: 15_000 });
      expect(await item.textContent()).toContain(
        'pool stratum+tcp://pool0.example:3333, then stratum+tcp://pool1.example:3333, then stratum+tcp://pool2.example:3333',
      );
      const saved = await get<Profile>('api/profiles/three-pools');
      expect(saved.settings.pools).toEqual(
        [0, 1, 2].map((i) => ({ url: `stratum+tcp://pool${i}.example:3333`, user: `bc1qexample.w${i}` })),
      );
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
