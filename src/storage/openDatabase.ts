/**
 * Opens the database file, sets it up (WAL, synchronous, busy timeout) and migrates it, turning
 * the failures no retry can fix into errors that name the file and say what to do.
 */
import { accessSync, constants, existsSync } from 'node:fs';
import BetterSqlite3, { type Database } from 'better-sqlite3';
import { NewerSchemaError, StorageError } from './errors.js';
import { migrate, SCHEMA_VERSION, schemaVersion } from './migrations.js';

export interface OpenOptions {
  readonly path: string;
  readonly busyTimeoutMs: number;
  readonly synchronous: 'NORMAL' | 'FULL';
  readonly cacheSizeKiB: number;
  readonly now: number;
}

export interface Opened {
  readonly db: Database;
  readonly migratedFrom: number;
  readonly version: number;
}

function sqliteCode(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : '';
}

/** Maps a SQLite failure at open time to a StorageError when retrying cannot help. */
function translate(error: unknown, path: string): unknown {
  if (error instanceof StorageError) return error;
  const code = sqliteCode(error);
  const detail = (error as Error | null)?.message ?? String(error);
  if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
    return new StorageError(
      'NOT_A_DATABASE',
      `${path} is not a solowatch database (${detail}); move it away or use another data directory`,
      { path, cause: error },
    );
  }
  if (code.startsWith('SQLITE_READONLY')) {
    return new StorageError(
      'READ_ONLY',
      `Database ${path} is read-only (${detail}); solowatch needs to write the file and its directory (for the -wal and -shm files)`,
      { path, cause: error },
    );
  }
  if (code.startsWith('SQLITE_CANTOPEN')) {
    return new StorageError(
      'CANNOT_OPEN',
      `Cannot open database ${path} (${detail}); check that its directory exists and is writable`,
      { path, cause: error },
    );
  }
  return error;
}

function checkWritable(path: string): void {
  if (!existsSync(path)) return;
  try {
    accessSync(path, constants.R_OK | constants.W_OK);
  } catch (error) {
    throw new StorageError(
      'READ_ONLY',
      `Database ${path} is read-only for this process; give it write permission (solowatch also writes ${path}-wal and ${path}-shm beside it)`,
      { path, cause: error },
    );
  }
}

export function openDatabase(options: OpenOptions): Opened {
  const { path } = options;
  checkWritable(path);
  let db: Database | undefined;
  try {
    db = new BetterSqlite3(path, { timeout: options.busyTimeoutMs });
    // Reading the header first turns "not a database" into an error here, before any write.
    const version = schemaVersion(db);
    if (version > SCHEMA_VERSION) throw new NewerSchemaError(path, version, SCHEMA_VERSION);
    const mode = db.pragma('journal_mode = WAL', { simple: true });
    if (mode !== 'wal') {
      throw new StorageError('CANNOT_OPEN', `Database ${path} cannot use WAL mode (got ${String(mode)})`, {
        path,
      });
    }
    db.pragma(`synchronous = ${options.synchronous}`);
    db.pragma('foreign_keys = ON');
    // Negative: a size in KiB, not in pages. See SqliteStorageOptions.cacheSizeKiB.
    db.pragma(`cache_size = -${options.cacheSizeKiB}`);
    // Rollup pages are rewritten by every batch; checkpointing every ~40 MiB of WAL instead of
    // every 4 MiB copies each of them back to the file once instead of many times.
    db.pragma('wal_autocheckpoint = 10000');
    const { from, to } = migrate(db);
    // A write on every open: a file SQLite silently opened read-only fails here, not at the
    // first flush minutes later.
    db.prepare(
      "INSERT INTO meta (key, value) VALUES ('last_opened_at', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    ).run(String(options.now));
    if (from === 0) {
      db.prepare("INSERT OR IGNORE INTO meta (key, value) VALUES ('created_at', ?)").run(String(options.now));
    }
    return { db, migratedFrom: from, version: to };
  } catch (error) {
    db?.close();
    throw translate(error, path);
  }
}
