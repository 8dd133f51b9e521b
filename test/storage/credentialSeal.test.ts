/**
 * Miners' credentials at rest: sealed in the SQLite file (read past the storage), a column left
 * in clear by the build before resealed at the first listing, and no login kept without a key.
 */
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteStorage } from '../../src/storage/index.js';
import { CredentialSeal, credentialsColumn } from '../../src/storage/minerColumns.js';
import { miner, tempDir } from './helpers.js';

const LOGIN = { username: 'admin', password: 'hunter2-in-the-file?' };
const seal = new CredentialSeal(Buffer.alloc(32, 3));
const dirs: { remove(): void }[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) dir.remove();
});

function column(path: string, id: string): string | null {
  const db = new BetterSqlite3(path, { readonly: true });
  try {
    return db.prepare('SELECT credentials FROM miners WHERE id = ?').pluck().get(id) as string | null;
  } finally {
    db.close();
  }
}

async function opened(path: string): Promise<SqliteStorage> {
  const storage = new SqliteStorage({ path, retentionIntervalMs: 0, credentialSeal: seal });
  await storage.initialize();
  return storage;
}

describe('credentials at rest', () => {
  it('are sealed in the file, bound to their miner, and read back whole', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const path = dir.file('s.db');
    const storage = await opened(path);
    await storage.saveMinerConfig(miner('m1', { credentials: LOGIN }));
    await storage.close();
    const stored = column(path, 'm1') ?? '';
    expect(stored).toMatch(/^gcm1:/);
    expect(stored).not.toContain(LOGIN.password);
    expect(stored).not.toContain(LOGIN.username);
    // Sealed for m1: the same text does not open as another miner's.
    expect(seal.open('m1', stored)).toBe(JSON.stringify(LOGIN));
    expect(seal.open('m2', stored)).toBeNull();
    const again = await opened(path);
    expect((await again.getMinerConfig('m1'))?.credentials).toEqual(LOGIN);
    await again.close();
  });

  it('reseals a login the build before stored in clear when the miners are first listed', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const path = dir.file('s.db');
    const storage = await opened(path);
    await storage.saveMinerConfig(miner('m1'));
    await storage.close();
    const db = new BetterSqlite3(path);
    db.prepare('UPDATE miners SET credentials = ? WHERE id = ?').run(JSON.stringify(LOGIN), 'm1');
    db.close();
    const upgraded = await opened(path);
    expect((await upgraded.listMiners())[0]?.credentials).toEqual(LOGIN);
    await upgraded.close();
    expect(column(path, 'm1')).toMatch(/^gcm1:/);
    expect(column(path, 'm1')).not.toContain(LOGIN.password);
  });

  it('are refused, not written in clear, by a store opened without a key', () => {
    expect(() => credentialsColumn('m1', LOGIN, null)).toThrow(/without a secret key/);
  });
});
