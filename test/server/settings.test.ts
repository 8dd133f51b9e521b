/** /api/settings: the watchdog changed from the dashboard, through the real WatchdogSwitch. */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveWatchdogSettings, type WatchdogSettings } from '../../src/monitor/state/settings.js';
import { WatchdogSwitch } from '../../src/monitor/WatchdogSwitch.js';
import { AUTH, type Harness, harness } from './harness.js';

let h: Harness;
let dir: string;
let applied: WatchdogSettings[];
const fromConfig = resolveWatchdogSettings({});

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'solowatch-settings-'));
  applied = [];
  const watchdog = await WatchdogSwitch.open({
    fromConfig,
    file: join(dir, 'watchdog.json'),
    apply: (s) => applied.push(s),
  });
  h = await harness({ watchdog });
});
afterEach(async () => {
  await h.app.close();
  await rm(dir, { recursive: true, force: true });
});

const patch = (payload: unknown, headers: Record<string, string> = AUTH) =>
  h.app.inject({ method: 'PATCH', url: '/api/settings/watchdog', payload: payload as object, headers });

describe('/api/settings', () => {
  it('shows the watchdog in force and where it comes from', async () => {
    const res = await h.app.inject({ url: '/api/settings' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      watchdog: {
        settings: { enabled: false, maxRestartsPerHour: 2, cooldownMs: 600_000 },
        source: 'config',
        fromConfig: { enabled: false, maxRestartsPerHour: 2, cooldownMs: 600_000 },
      },
    });
  });

  it('switches the watchdog on for the monitor and keeps the choice', async () => {
    const res = await patch({ enabled: true, cooldownMs: 300_000 });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      settings: { enabled: true, maxRestartsPerHour: 2, cooldownMs: 300_000 },
      source: 'dashboard',
    });
    expect(applied.at(-1)).toEqual({ enabled: true, maxRestartsPerHour: 2, cooldownMs: 300_000 });
    expect(JSON.parse(await readFile(join(dir, 'watchdog.json'), 'utf8'))).toMatchObject({ enabled: true });
    expect((await h.app.inject({ url: '/api/settings' })).json().watchdog.source).toBe('dashboard');
  });

  it('goes back to the config file with { useConfig: true }', async () => {
    await patch({ enabled: true });
    const res = await patch({ useConfig: true });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ settings: { enabled: false }, source: 'config' });
    expect(applied.at(-1)).toEqual(fromConfig);
  });

  it('needs the token to change anything', async () => {
    const res = await patch({ enabled: true }, {});
    expect(res.statusCode).toBe(401);
    expect(applied).toEqual([fromConfig]);
  });

  it.each([
    [{ maxRestartsPerHour: 0 }, /maxRestartsPerHour/],
    [{ enabled: 'yes' }, /enabled/],
    [{ cooldownMs: -1 }, /cooldownMs/],
    [{ restartEverything: true }, /body\.restartEverything is not a known/],
    [{ useConfig: false }, /body\.useConfig/],
    [{ useConfig: true, enabled: true }, /useConfig goes alone, not with enabled/],
  ])('refuses %j with a 400 naming the key, changing nothing', async (body, names) => {
    const res = await patch(body);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('INVALID_INPUT');
    expect(res.json().error.message).toMatch(names);
    expect(applied).toEqual([fromConfig]);
  });

  it('answers 404 on a server built without watchdog settings', async () => {
    const bare = await harness();
    try {
      expect((await bare.app.inject({ url: '/api/settings' })).statusCode).toBe(404);
    } finally {
      await bare.app.close();
    }
  });
});
