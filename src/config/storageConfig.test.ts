import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './loadConfig.js';

describe('storage settings', () => {
  it('default to the SQLite file', async () => {
    expect((await loadConfig({ env: {}, cwd: tmpdir() })).storage).toEqual({ kind: 'sqlite' });
  });

  it('take PostgreSQL from SOLOWATCH_DATABASE_URL, over the file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'solowatch-storage-config-'));
    writeFileSync(join(dir, 'c.json'), JSON.stringify({ storage: { kind: 'sqlite', schema: 'farm' } }));
    const config = await loadConfig({
      env: { SOLOWATCH_DATABASE_URL: 'postgres://solo:pw@db:5432/farm', SOLOWATCH_CONFIG: 'c.json' },
      cwd: dir,
    });
    expect(config.storage).toEqual({
      kind: 'postgres',
      url: 'postgres://solo:pw@db:5432/farm',
      schema: 'farm',
    });
  });

  it('refuse kind postgres without a URL, and a URL that is not PostgreSQL, without echoing it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'solowatch-storage-config-'));
    writeFileSync(join(dir, 'c.json'), JSON.stringify({ storage: { kind: 'postgres' } }));
    await expect(loadConfig({ env: { SOLOWATCH_CONFIG: 'c.json' }, cwd: dir })).rejects.toThrow(
      /storage\.url/,
    );
    const bad = await loadConfig({
      env: { SOLOWATCH_DATABASE_URL: 'mysql://u:hunter2@h/db' },
      cwd: dir,
    }).catch((e: unknown) => e as Error);
    expect((bad as Error).message).toContain('SOLOWATCH_DATABASE_URL');
    expect((bad as Error).message).not.toContain('hunter2');
  });
});
