import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ProfileError, ProfileStore } from './ProfileStore.js';

const pool = { url: 'stratum+tcp://solo.example:3333', user: 'bc1q.garage', password: 'hunter2' };

function store(path = join(mkdtempSync(join(tmpdir(), 'profiles-')), 'profiles.json')) {
  let now = 100;
  return { path, profiles: new ProfileStore({ path, now: () => now++ }) };
}

describe('ProfileStore', () => {
  it('saves profiles to a 0600 file that a new store reads back, passwords never shown', async () => {
    const { path, profiles } = store();
    await profiles.load();
    const created = await profiles.create({ name: 'night', settings: { pools: [pool] } });
    expect(created).toEqual({
      name: 'night',
      settings: { pools: [{ url: pool.url, user: pool.user }] },
      createdAt: 100,
      updatedAt: 100,
    });
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const again = new ProfileStore({ path, now: () => 0 });
    await again.load();
    expect(again.list()).toEqual([created]);
    expect(JSON.stringify(again.get('night'))).not.toContain('hunter2');
    expect(again.settingsOf('night')?.pools?.[0]?.password).toBe('hunter2');
  });

  it('keeps a stored password when a replace leaves it out, and refuses duplicates and unknown names', async () => {
    const { profiles } = store();
    await profiles.create({ name: 'night', settings: { pools: [pool] } });
    await expect(profiles.create({ name: 'night', settings: { frequencyMhz: 400 } })).rejects.toThrow(
      ProfileError,
    );
    const replaced = await profiles.replace('night', {
      description: 'cheap power',
      settings: { pools: [{ url: pool.url, user: pool.user }], frequencyMhz: 400 },
    });
    expect(replaced).toMatchObject({ description: 'cheap power', createdAt: 100, updatedAt: 101 });
    expect(profiles.settingsOf('night')).toEqual({ pools: [pool], frequencyMhz: 400 });
    await expect(profiles.replace('day', { settings: { frequencyMhz: 1 } })).rejects.toMatchObject({
      code: 'PROFILE_NOT_FOUND',
    });
    await profiles.remove('night');
    expect(profiles.list()).toEqual([]);
    await expect(profiles.remove('night')).rejects.toMatchObject({ code: 'PROFILE_NOT_FOUND' });
  });

  it('names the file and the entry when the file is broken', async () => {
    const { path, profiles } = store();
    writeFileSync(path, '{');
    await expect(profiles.load()).rejects.toThrow(/profiles.json is not valid JSON/);
    writeFileSync(
      path,
      JSON.stringify([{ name: 'Bad Name', settings: { frequencyMhz: 1 }, createdAt: 1, updatedAt: 1 }]),
    );
    await expect(profiles.load()).rejects.toThrow(/profile \[0\] is invalid: name/);
    expect(readFileSync(path, 'utf8')).toContain('Bad Name');
  });
});

describe('ProfileStore when its file cannot be written', () => {
  it('rejects naming the file and keeps in memory only what the file holds', async () => {
    // A directory that does not exist: every save fails, as on a full or read-only disk.
    const path = join(mkdtempSync(join(tmpdir(), 'profiles-')), 'gone', 'profiles.json');
    const profiles = new ProfileStore({ path, now: () => 1 });
    await profiles.load();
    await expect(profiles.create({ name: 'night', settings: { frequencyMhz: 400 } })).rejects.toThrow(
      `could not save ${path}`,
    );
    expect(profiles.list()).toEqual([]);
    expect(profiles.settingsOf('night')).toBeNull();
  });

  it('puts back the profile a failed replace or remove would have changed', async () => {
    const { path, profiles } = store();
    await profiles.create({ name: 'night', settings: { frequencyMhz: 400 } });
    // The data directory goes away after the first save: every later save fails.
    rmSync(dirname(path), { recursive: true });
    await expect(profiles.replace('night', { settings: { frequencyMhz: 500 } })).rejects.toThrow(
      `could not save ${path}`,
    );
    expect(profiles.settingsOf('night')).toEqual({ frequencyMhz: 400 });
    await expect(profiles.remove('night')).rejects.toThrow(`could not save ${path}`);
    expect(profiles.get('night')?.settings).toEqual({ frequencyMhz: 400 });
  });
});
