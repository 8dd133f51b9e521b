/** `solowatch schedules` against the real routes, scheduler and store (over a fake monitor). */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Scheduler } from '../../src/monitor/schedules/Scheduler.js';
import { ScheduleStore } from '../../src/monitor/schedules/ScheduleStore.js';
import { FakeClock } from '../../src/resilience/testing.js';
import { type Harness, harness, TOKEN } from '../server/harness.js';
import { cli } from './harness.js';

let h: Harness;
let url: string;
let scheduler: Scheduler;
const env = { SOLOWATCH_TOKEN: TOKEN };

beforeAll(async () => {
  // Sunday 2026-12-06 12:00 UTC.
  scheduler = new Scheduler({
    schedules: [],
    clock: new FakeClock(Date.UTC(2026, 11, 6, 12)),
    startAction: () => ({ id: 'a' }),
  });
  const store = new ScheduleStore({
    path: join(mkdtempSync(join(tmpdir(), 'cli-schedules-')), 'schedules.json'),
    fromConfig: [
      {
        name: 'night',
        at: '22:00',
        timeZone: 'UTC',
        action: 'pause',
        target: { all: true },
        source: 'config',
      },
    ],
    defaultZone: 'UTC',
    profileExists: (name) => name === 'eco',
    apply: (list) => scheduler.set(list),
  });
  await store.load();
  scheduler.start();
  h = await harness({ schedules: { list: () => scheduler.list(), store } });
  url = await h.app.listen({ host: '127.0.0.1', port: 0 });
});
afterAll(async () => {
  await h.app.close();
  await scheduler.close();
});

describe('solowatch schedules', () => {
  it('adds a schedule, lists it beside the config’s with its next run, and removes it', async () => {
    const added = await cli(
      [
        'schedules',
        'add',
        'weekday-off',
        '--at',
        '07:00',
        '--days',
        'mon,fri',
        '--zone',
        'Asia/Kolkata',
        '-t',
        'garage',
        '--url',
        url,
      ],
      { env },
    );
    expect(added.stderr).toBe('');
    expect(added.code).toBe(0);
    // Monday 07:00 in Kolkata is 01:30 UTC.
    expect(added.stdout).toBe('Made schedule weekday-off; next run 2026-12-07T01:30:00.000Z.\n');

    const listed = await cli(['schedules', '--url', url], { env });
    expect(listed.code).toBe(0);
    const lines = listed.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^NAME\s+AT\s+ACTION\s+TARGET\s+NEXT RUN \(UTC\)\s+SOURCE$/);
    expect(lines[1]).toMatch(
      /^night\s+22:00 every day UTC\s+pause\s+all\s+2026-12-06T22:00:00.000Z\s+config$/,
    );
    expect(lines[2]).toMatch(
      /^weekday-off\s+07:00 mon,fri Asia\/Kolkata\s+pause\s+tag garage\s+2026-12-07T01:30:00.000Z\s+api$/,
    );
    const json = await cli(['schedules', 'list', '--json', '--url', url], { env });
    expect(JSON.parse(json.stdout).map((s: { name: string }) => s.name)).toEqual(['night', 'weekday-off']);

    const removed = await cli(['schedules', 'remove', 'weekday-off', '--url', url], { env });
    expect([removed.code, removed.stdout]).toEqual([0, 'Removed schedule weekday-off.\n']);
    expect(scheduler.list().map((s) => s.name)).toEqual(['night']);
  });

  it('passes on what the server refuses, naming the field, and exits 2 without a target', async () => {
    const zone = await cli(
      ['schedules', 'add', 'x', '--at', '07:00', '--zone', 'Mars/Olympus', '--all', '--url', url],
      { env },
    );
    expect(zone.code).toBe(1);
    expect(zone.stderr).toMatch(/body\.timeZone 'Mars\/Olympus' is not a time zone/);
    const config = await cli(['schedules', 'remove', 'night', '--url', url], { env });
    expect(config.code).toBe(1);
    expect(config.stderr).toMatch(/edit the config file.*SCHEDULE_READ_ONLY/);
    const untargeted = await cli(['schedules', 'add', 'x', '--at', '07:00', '--url', url], { env });
    expect(untargeted.code).toBe(2);
    expect(untargeted.stderr).toContain('give the target');
  });
});
