import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Schedule } from './Scheduler.js';
import { type ScheduleInput, ScheduleStore } from './ScheduleStore.js';

const night: ScheduleInput = { name: 'night', at: '22:00', action: 'pause', target: { all: true } };

function store() {
  const path = join(mkdtempSync(join(tmpdir(), 'schedules-')), 'schedules.json');
  const applied: (readonly Schedule[])[] = [];
  const schedules = new ScheduleStore({
    path,
    fromConfig: [],
    defaultZone: 'UTC',
    profileExists: () => false,
    apply: (list) => applied.push(list),
  });
  return { path, schedules, applied };
}

describe('ScheduleStore when its file cannot be written', () => {
  it('refuses the change naming the file, and the scheduler never runs what the file lacks', async () => {
    const { path, schedules, applied } = store();
    await schedules.create(night, 'api:test');
    expect(applied.at(-1)?.map((s) => s.name)).toEqual(['night']);
    // The data directory goes away: every later save fails, as on a full or read-only disk.
    rmSync(dirname(path), { recursive: true });
    const calls = applied.length;
    await expect(schedules.create({ ...night, name: 'morning', at: '06:00' }, 'api:test')).rejects.toThrow(
      `could not save ${path}`,
    );
    await expect(schedules.replace('night', { ...night, at: '23:00' }, 'api:test')).rejects.toThrow(
      `could not save ${path}`,
    );
    await expect(schedules.remove('night', 'api:test')).rejects.toThrow(`could not save ${path}`);
    expect(applied.length).toBe(calls);
    expect(schedules.all().map((s) => [s.name, s.at])).toEqual([['night', '22:00']]);
  });
});
