/**
 * The databases the Storage contract suite runs against. SQLite: a temp file. PostgreSQL: the
 * real server at 127.0.0.1:5432 (database `test`, or SOLOWATCH_TEST_DATABASE_URL) when one
 * answers, else an in-process PGlite; SOLOWATCH_TEST_POSTGRES=require (set by .ci/run) makes
 * a missing server a failure instead, and SOLOWATCH_TEST_POSTGRES=pglite uses PGlite even when a
 * server answers. Each test gets a fresh file or a fresh schema, so parallel
 * runs never share tables.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { RetryManager } from '../../src/resilience/index.js';
import { FakeClock } from '../../src/resilience/testing.js';
import { type CommonStorageOptions, SqliteStorage, type Storage } from '../../src/storage/index.js';
import { CredentialSeal } from '../../src/storage/minerColumns.js';
import { PostgresStorage, serverName } from '../../src/storage/postgres/index.js';
import { NOW, tempDir } from './helpers.js';
import { SharedPglite } from './pglite.js';

export const TEST_DATABASE_URL =
  process.env.SOLOWATCH_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A storage under test with its own clock and breaker registry. */
export interface ContractHarness {
  readonly storage: Storage & { readonly schemaVersion: number; readonly migratedFrom: number };
  readonly clock: FakeClock;
  readonly manager: RetryManager;
}

/** One empty database: storages opened on it see each other's data. */
export interface Place {
  /** Where it is, for messages (a file path or a server name). */
  readonly where: string;
  open(options?: Partial<CommonStorageOptions>): ContractHarness;
  /** Rows of `table`, optionally only those with `column < below`, read past the storage. */
  count(table: string, column?: string, below?: number): Promise<number>;
  remove(): Promise<void>;
}

export interface Backend {
  readonly kind: 'sqlite' | 'postgres';
  /** Which database answered, for the test output. */
  readonly description: string;
  fresh(): Promise<Place>;
  close(): Promise<void>;
}

/** One key for every storage of the suite, so a reopened place reads what it sealed. */
export const TEST_SEAL = new CredentialSeal(Buffer.alloc(32, 7));

function clocked(options: Partial<CommonStorageOptions>) {
  const clock = new FakeClock(NOW);
  const manager = new RetryManager({ clock });
  return {
    clock,
    manager,
    options: { clock, manager, random: () => 0.5, credentialSeal: TEST_SEAL, ...options },
  };
}

export function sqliteBackend(): Backend {
  return {
    kind: 'sqlite',
    description: 'SQLite (temp file)',
    async fresh() {
      const tmp = tempDir();
      const path = tmp.file('contract.db');
      const BetterSqlite3 = (await import('better-sqlite3')).default;
      return {
        where: path,
        open(options = {}) {
          const { clock, manager, options: all } = clocked(options);
          return { storage: new SqliteStorage({ path, busyTimeoutMs: 10, ...all }), clock, manager };
        },
        async count(table, column, below) {
          const db = new BetterSqlite3(path, { readonly: true });
          try {
            const where = column === undefined ? '' : ` WHERE ${column} < ?`;
            const statement = db.prepare(`SELECT count(*) FROM ${table}${where}`).pluck();
            return (column === undefined ? statement.get() : statement.get(below)) as number;
          } finally {
            db.close();
          }
        },
        async remove() {
          tmp.remove();
        },
      };
    },
    async close() {},
  };
}

function schemaName(): string {
  return `t_${process.pid}_${randomBytes(4).toString('hex')}`;
}

/** Whether a PostgreSQL server answers at `url` within a second. */
export async function serverAnswers(url = TEST_DATABASE_URL): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

export function postgresRequired(): boolean {
  return process.env.SOLOWATCH_TEST_POSTGRES === 'require';
}

/** Counts rows through a connection of its own, in `schema`. */
async function countOnServer(url: string, schema: string, table: string, column?: string, below?: number) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const where = column === undefined ? '' : ` WHERE ${column} < $1`;
    const result = await client.query(
      `SELECT count(*)::int AS n FROM ${schema}.${table}${where}`,
      column === undefined ? [] : [below],
    );
    return result.rows[0].n as number;
  } finally {
    await client.end();
  }
}

export async function dropSchema(url: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await client.end();
  }
}

/** The real server when it answers (or is required), else PGlite. */
export async function postgresBackend(): Promise<Backend> {
  const forcePglite = process.env.SOLOWATCH_TEST_POSTGRES === 'pglite';
  if (postgresRequired() || (!forcePglite && (await serverAnswers()))) {
    const url = TEST_DATABASE_URL;
    return {
      kind: 'postgres',
      description: `PostgreSQL server ${serverName(url)}`,
      async fresh() {
        const schema = schemaName();
        return {
          where: `${serverName(url)} (schema ${schema})`,
          open(options = {}) {
            const { clock, manager, options: all } = clocked(options);
            return {
              storage: new PostgresStorage({ url, schema, maxConnections: 2, ...all }),
              clock,
              manager,
            };
          },
          count: (table, column, below) => countOnServer(url, schema, table, column, below),
          remove: () => dropSchema(url, schema),
        };
      },
      async close() {},
    };
  }
  const shared = new SharedPglite();
  await shared.db.waitReady;
  const url = 'postgres://pglite@in-process/test';
  return {
    kind: 'postgres',
    description: forcePglite
      ? 'PGlite (in-process PostgreSQL, as SOLOWATCH_TEST_POSTGRES=pglite asks)'
      : `PGlite (in-process PostgreSQL; no server answered at ${serverName(TEST_DATABASE_URL)})`,
    async fresh() {
      const schema = schemaName();
      return {
        where: `PGlite (schema ${schema})`,
        open(options = {}) {
          const { clock, manager, options: all } = clocked(options);
          return {
            storage: new PostgresStorage({ url, client: shared.client(schema), ...all }),
            clock,
            manager,
          };
        },
        async count(table, column, below) {
          const where = column === undefined ? '' : ` WHERE ${column} < $1`;
          return shared.exclusive(async () => {
            const result = await shared.db.query<{ n: number }>(
              `SELECT count(*)::int AS n FROM ${schema}.${table}${where}`,
              column === undefined ? [] : [below],
            );
            return result.rows[0]?.n ?? 0;
          });
        },
        async remove() {
          await shared.exclusive(() => shared.db.exec(`DROP SCHEMA IF EXISTS ${schema} CASCADE`));
        },
      };
    },
    close: () => shared.close(),
  };
}
