/** Schedules made over the API, through startSolowatch: checked, kept, run, and recorded. */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type SolowatchConfig } from '../../src/config/Config.js';
import { type SolowatchHandle, type StartOptions, startSolowatch } from '../../src/main.js';
import { RetryManager } from '../../src/resilience/index.js';
import { FakeClock } from '../../src/resilience/testing.js';
import { type Fleet, startFleet } from '../../src/simulator/index.js';
import { waitFor } from '../waitFor.js';

const TOKEN = 'schedules-api-token-0123456789abcdef';
const AUTH = { authorization: `Bearer ${TOKEN}`, 'x-solowatch-client': 'tester' };

let handle: SolowatchHandle | undefined;
let fleet: Fleet | undefined;
afterEach(async () => {
  await handle?.close();
  await fleet?.close();
  handle = undefined;
  fleet = undefined;
});

const fromConfig = { name: 'night', at: '22:00', action: 'pause' as const, target: { all: true } };
const morning = {
  name: 'morning',
  at: '06:30',
  days: ['mon', 'tue'],
  timeZone: 'Europe/Berlin',
  action: 'resume',
  target: { tags: ['garage'] },
};

function start(dataDir: string, overrides: Partial<SolowatchConfig> = {}, options: StartOptions = {}) {
  return startSolowatch(
    { ...DEFAULT_CONFIG, port: 0, dataDir, token: TOKEN, schedules: [fromConfig], ...overrides },
    { retryManager: new RetryManager(), webRoot: null, tuneHeap: false, ...options },
  );
}

async function call(method: string, path: string, body?: unknown) {
  const response = await fetch(`${handle!.url}${path}`, {
    method,
    headers: body === undefined ? AUTH : { ...AUTH, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text === '' ? null : JSON.parse(text) };
}

interface Listed {
  name: string;
  source: string;
  at: string;
  nextRunAt: number;
}
async function listed(): Promise<Listed[]> {
  return (await call('GET', '/api/schedules')).body.schedules;
}

describe('/api/schedules', () => {
  it('creates, replaces and deletes a schedule, keeps it across a restart, and records who did it', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'solowatch-schedules-api-'));
    handle = await start(dataDir);

    const created = await call('POST', '/api/schedules', morning);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'morning', source: 'api', timeZone: 'Europe/Berlin' });
    const shown = new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Europe/Berlin',
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
    });
    expect(shown.format(created.body.nextRunAt)).toMatch(/^(Mon|Tue) 06:30$/);
    expect((await listed()).map((s) => [s.name, s.source])).toEqual([
      ['night', 'config'],
      ['morning', 'api'],
    ]);

    const replaced = await call('PUT', '/api/schedules/morning', { ...morning, at: '07:15' });
    expect(replaced.status).toBe(200);
    expect(shown.format(replaced.body.nextRunAt)).toMatch(/^(Mon|Tue) 07:15$/);

    // Kept in the data directory, and back after a restart.
    expect(JSON.parse(readFileSync(join(dataDir, 'schedules.json'), 'utf8'))).toMatchObject([
      { name: 'morning', at: '07:15' },
    ]);
    await handle.close();
    handle = await start(dataDir);
    expect((await listed()).find((s) => s.name === 'morning')).toMatchObject({ at: '07:15', source: 'api' });

    expect((await call('DELETE', '/api/schedules/morning')).status).toBe(204);
    expect((await call('DELETE', '/api/schedules/morning')).status).toBe(404);
    expect((await listed()).map((s) => s.name)).toEqual(['night']);

    // The first start's events are in the same database as the second's.
    const events = await handle.monitor.listEvents({ limit: 20 });
    expect(
      events
        .filter((e) => e.type.startsWith('schedule_'))
        .map((e) => [e.type, e.data.actor])
        .reverse(),
    ).toEqual([
      ['schedule_created', 'api:tester'],
      ['schedule_replaced', 'api:tester'],
      ['schedule_deleted', 'api:tester'],
    ]);
  });

  it.each([
    [{ ...morning, at: '25:00' }, /body\.at must be a time HH:MM/],
    [{ ...morning, timeZone: 'Mars/Olympus' }, /body\.timeZone 'Mars\/Olympus' is not a time zone/],
    [{ ...morning, days: ['someday'] }, /body\.days\[0\]/],
    [{ ...morning, target: {} }, /body\.target must name `ids`, `tags` or `all: true`/],
    [{ ...morning, action: 'settings', profile: 'eco' }, /body\.profile 'eco' is not a saved profile/],
    [{ ...morning, action: 'settings' }, /body\.profile is required for action 'settings'/],
  ])('refuses %j with 400 naming the field', async (body, message) => {
    handle = await start(mkdtempSync(join(tmpdir(), 'solowatch-schedules-api-')));
    const answer = await call('POST', '/api/schedules', body);
    expect(answer.status).toBe(400);
    expect(answer.body.error.code).toBe('INVALID_INPUT');
    expect(answer.body.error.message).toMatch(message);
    expect((await listed()).map((s) => s.name)).toEqual(['night']);
  });

  it('refuses a duplicate name, and leaves the config file’s schedules to the config file', async () => {
    handle = await start(mkdtempSync(join(tmpdir(), 'solowatch-schedules-api-')));
    expect((await call('POST', '/api/schedules', morning)).status).toBe(201);
    const again = await call('POST', '/api/schedules', morning);
    expect([again.status, again.body.error.code]).toEqual([409, 'SCHEDULE_EXISTS']);
    const shadow = await call('POST', '/api/schedules', { ...morning, name: 'night' });
    expect([shadow.status, shadow.body.error.code]).toEqual([409, 'SCHEDULE_EXISTS']);
    for (const [method, body] of [
      ['PUT', { ...fromConfig, at: '23:00' }],
      ['DELETE', undefined],
    ] as const) {
      const answer = await call(method, '/api/schedules/night', body);
      expect([answer.status, answer.body.error.code]).toEqual([409, 'SCHEDULE_READ_ONLY']);
      expect(answer.body.error.message).toMatch(/edit the config file/);
    }
    expect((await call('PUT', '/api/schedules/nothing', morning)).status).toBe(404);
    // Without the token nothing changes.
    const anonymous = await fetch(`${handle.url}/api/schedules/morning`, { method: 'DELETE' });
    expect(anonymous.status).toBe(401);
    expect((await listed()).map((s) => s.name)).toEqual(['night', 'morning']);
  });

  it('runs a schedule made over the API at its time on the fake clock: the targeted simulated miners pause', async () => {
    fleet = await startFleet({ count: 3, kind: 'axeos', seed: 11 });
    // Sunday 2026-12-06 21:00 UTC.
    const clock = new FakeClock(Date.UTC(2026, 11, 6, 21));
    handle = await start(
      mkdtempSync(join(tmpdir(), 'solowatch-schedules-api-')),
      {
        schedules: [],
        pollIntervalMs: 1000,
        miners: fleet.devices.map((d) => ({ host: d.host, port: d.port, kind: 'axeos' as const })),
      },
      { scheduleClock: clock },
    );
    const ids = handle.monitor.listMiners().map((m) => m.id);
    const portOf = new Map(handle.monitor.listMiners().map((m) => [m.id, m.port]));
    const target = ids.slice(0, 2);
    const created = await call('POST', '/api/schedules', {
      name: 'cheap-power-ends',
      at: '22:00',
      timeZone: 'UTC',
      action: 'pause',
      target: { ids: target },
      rollout: { canary: 0, batchSize: 5 },
    });
    expect(created.status).toBe(201);
    expect(created.body.nextRunAt).toBe(Date.UTC(2026, 11, 6, 22));

    await clock.advance(3_600_000 - 1);
    expect(fleet.devices.some((d) => d.model.paused)).toBe(false);
    await clock.advance(1);
    await waitFor('the schedule to pause its two miners', async () =>
      fleet!.devices.filter((d) => d.model.paused).length >= 2 ? true : null,
    );
    const pausedPorts = fleet.devices.filter((d) => d.model.paused).map((d) => d.port);
    expect(pausedPorts.sort()).toEqual(target.map((id) => portOf.get(id)).sort());
    const [view] = await listed();
    expect(view).toMatchObject({
      name: 'cheap-power-ends',
      lastRun: { at: Date.UTC(2026, 11, 6, 22), error: null },
    });
    expect(view!.nextRunAt).toBe(Date.UTC(2026, 11, 7, 22));
  });
});
