import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveWatchdogSettings, type WatchdogSettings } from './state/settings.js';
import { WatchdogSwitch } from './WatchdogSwitch.js';

let dir: string;
let file: string;
let applied: WatchdogSettings[];
const fromConfig = resolveWatchdogSettings({ enabled: false, maxRestartsPerHour: 3 });

const open = () => WatchdogSwitch.open({ fromConfig, file, apply: (s) => applied.push(s) });

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'solowatch-watchdog-'));
  file = join(dir, 'watchdog.json');
  applied = [];
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('WatchdogSwitch', () => {
  it('starts from the config file and applies it', async () => {
    const w = await open();
    expect(w.view()).toEqual({ settings: fromConfig, source: 'config', fromConfig });
    expect(applied).toEqual([fromConfig]);
  });

  it('applies a dashboard change at once and keeps it across a restart', async () => {
    const w = await open();
    const view = await w.update({ enabled: true });
    expect(view.source).toBe('dashboard');
    expect(view.settings).toEqual({ ...fromConfig, enabled: true });
    expect(applied.at(-1)).toEqual({ ...fromConfig, enabled: true });
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({ ...fromConfig, enabled: true });
    expect((await stat(file)).mode & 0o777).toBe(0o600);

    applied = [];
    const reopened = await open();
    expect(reopened.view().source).toBe('dashboard');
    expect(applied).toEqual([{ ...fromConfig, enabled: true }]);
  });

  it('refuses a bad value naming the option, and keeps what was in force', async () => {
    const w = await open();
    await expect(w.update({ maxRestartsPerHour: 0 })).rejects.toThrow(/watchdog\.maxRestartsPerHour/);
    expect(w.view().settings).toEqual(fromConfig);
    await expect(stat(file)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('goes back to the config file and forgets the kept choice', async () => {
    const w = await open();
    await w.update({ enabled: true });
    const view = await w.useConfig();
    expect(view).toEqual({ settings: fromConfig, source: 'config', fromConfig });
    expect(applied.at(-1)).toEqual(fromConfig);
    await expect(stat(file)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('stops the start on a kept file that is not valid, naming the file and the problem', async () => {
    await writeFile(file, '{"enabled": "yes"}');
    await expect(open()).rejects.toThrow(new RegExp(`${file}.*watchdog\\.enabled`));
    await writeFile(file, '[1]');
    await expect(open()).rejects.toThrow(/expected an object/);
    await writeFile(file, '{not json');
    await expect(open()).rejects.toThrow(/watchdog\.json.*not valid/);
  });
});
