/** Schedules and desired state from the config, through startSolowatch. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type SolowatchConfig } from '../../src/config/Config.js';
import { type SolowatchHandle, startSolowatch } from '../../src/main.js';
import { RetryManager } from '../../src/resilience/index.js';

let handle: SolowatchHandle | undefined;
afterEach(async () => {
  await handle?.close();
  handle = undefined;
});

const night = { name: 'night', at: '22:00', action: 'pause' as const, target: { tags: ['garage'] } };

function start(overrides: Partial<SolowatchConfig>) {
  return startSolowatch(
    {
      ...DEFAULT_CONFIG,
      port: 0,
      dataDir: mkdtempSync(join(tmpdir(), 'solowatch-schedules-')),
      token: 'schedules-token-0123456789abcdef',
      ...overrides,
    },
    { retryManager: new RetryManager(), webRoot: null, tuneHeap: false },
  );
}

describe('schedules in the config', () => {
  it('shows each schedule with its next run at GET /api/schedules', async () => {
    handle = await start({ schedules: [{ ...night, timezone: 'Europe/Berlin', days: ['mon', 'fri'] }] });
    const { schedules } = (await (await fetch(`${handle.url}/api/schedules`)).json()) as {
      schedules: { name: string; timeZone: string; days: string[]; nextRunAt: number; lastRun: null }[];
    };
    expect(schedules).toHaveLength(1);
    expect(schedules[0]).toMatchObject({
      name: 'night',
      timeZone: 'Europe/Berlin',
      days: ['mon', 'fri'],
      lastRun: null,
    });
    expect(schedules[0]!.nextRunAt).toBeGreaterThan(Date.now());
    const shown = new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Europe/Berlin',
      hour: '2-digit',
      minute: '2-digit',
    });
    expect(shown.format(schedules[0]!.nextRunAt)).toBe('22:00');
  });

  it.each([
    [
      [{ ...night, timezone: 'Mars/Olympus' }],
      /schedules\[0\]\.timezone.*'Mars\/Olympus' is not a time zone/,
    ],
    [[{ ...night, action: 'settings' as const }], /schedules\[0\]\.profile.*required/],
    [
      [{ ...night, action: 'settings' as const, profile: 'eco' }],
      /schedules\[0\]\.profile.*'eco' is not a saved profile/,
    ],
    [[night, night], /schedules\[1\]\.name.*used twice/],
  ])('refuses a bad schedule, naming it', async (schedules, message) => {
    await expect(start({ schedules })).rejects.toThrow(message);
  });
});
