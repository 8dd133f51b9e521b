import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ActionStep } from '../../src/monitor/actions/Action.js';
import { ActionEngine } from '../../src/monitor/actions/ActionEngine.js';
import { ProfileStore } from '../../src/monitor/profiles/ProfileStore.js';
import { FakeClock } from '../../src/resilience/testing.js';
import { AUTH, type Harness, harness } from './harness.js';

let h: Harness | undefined;
let engine: ActionEngine | undefined;
afterEach(async () => {
  await h?.app.close();
  await engine?.close();
});

async function setup() {
  const profiles = new ProfileStore({
    path: join(mkdtempSync(join(tmpdir(), 'profiles-')), 'p.json'),
    now: () => 7,
  });
  const sent: ActionStep[] = [];
  let monitor: Harness['monitor'] | undefined;
  engine = new ActionEngine({
    runner: {
      apply: async (_id, step) => sent.push(step),
      verify: async () => true,
    },
    miners: () => monitor!.listMiners(),
    profileSettings: (name) => profiles.settingsOf(name),
    clock: new FakeClock(),
    newId: () => 'a1',
  });
  h = await harness({ profiles, actions: engine });
  monitor = h.monitor;
  return { h, sent, engine };
}

const body = {
  name: 'night-pool',
  settings: { pools: [{ url: 'stratum+tcp://solo.example:3333', user: 'bc1q.w', password: 'pw-secret' }] },
};

describe('/api/profiles', () => {
  it('creates, lists, reads, replaces and deletes, never showing the password', async () => {
    const { h } = await setup();
    const created = await h.app.inject({
      method: 'POST',
      url: '/api/profiles',
      headers: AUTH,
      payload: body,
    });
    expect(created.statusCode).toBe(201);
    expect(created.headers.location).toBe('/api/profiles/night-pool');
    expect(created.body).not.toContain('pw-secret');
    expect((await h.app.inject({ url: '/api/profiles' })).json().profiles).toHaveLength(1);
    const dup = await h.app.inject({ method: 'POST', url: '/api/profiles', headers: AUTH, payload: body });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.code).toBe('PROFILE_EXISTS');
    const put = await h.app.inject({
      method: 'PUT',
      url: '/api/profiles/night-pool',
      headers: AUTH,
      payload: { settings: { frequencyMhz: 400 } },
    });
    expect(put.json()).toMatchObject({ name: 'night-pool', settings: { frequencyMhz: 400 } });
    const del = await h.app.inject({ method: 'DELETE', url: '/api/profiles/night-pool', headers: AUTH });
    expect(del.statusCode).toBe(204);
    const gone = await h.app.inject({ url: '/api/profiles/night-pool' });
    expect(gone.statusCode).toBe(404);
    expect(gone.json().error.code).toBe('PROFILE_NOT_FOUND');
  });

  it.each([
    [{ name: 'Bad Name', settings: { frequencyMhz: 1 } }, /body.name/],
    [{ name: 'ok', settings: {} }, /body.settings/],
    [{ name: 'ok', settings: { fan: { mode: 'manual' } } }, /body.settings.fan/],
    [{ name: 'ok' }, /body.settings is missing/],
  ])('refuses %j with a 400 naming the field', async (payload, message) => {
    const { h } = await setup();
    const res = await h.app.inject({ method: 'POST', url: '/api/profiles', headers: AUTH, payload });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toMatch(message);
  });

  it('is applied to miners as a fleet action, password included in what is sent', async () => {
    const { h, sent, engine } = await setup();
    await h.app.inject({ method: 'POST', url: '/api/profiles', headers: AUTH, payload: body });
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/actions',
      headers: AUTH,
      payload: { action: 'settings', profile: 'night-pool', target: { all: true } },
    });
    expect(res.statusCode).toBe(202);
    await engine.settled('a1');
    expect(sent[0]?.settings).toEqual(body.settings);
    const view = await h.app.inject({ url: '/api/actions/a1' });
    expect(view.json()).toMatchObject({ profile: 'night-pool', state: 'completed' });
    expect(view.body).not.toContain('pw-secret');
    const missing = await h.app.inject({
      method: 'POST',
      url: '/api/actions',
      headers: AUTH,
      payload: { action: 'settings', profile: 'nope', target: { all: true } },
    });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.message).toContain("profile 'nope' does not exist");
  });
});
