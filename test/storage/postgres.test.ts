/**
 * What only PostgreSQL has: connection URLs, logins, a server of its own that can go away, and
 * schema versions in a table. The tests that need the real server say they skipped when none
 * answers (SOLOWATCH_TEST_POSTGRES=require makes that a failure, as in CI).
 */
import { createServer, type Server, Socket } from 'node:net';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isCircuitOpenError, isDatabaseConnectionError, RetryManager } from '../../src/resilience/index.js';
import { FakeClock } from '../../src/resilience/testing.js';
import { type DropEvent, isNewerSchemaError, isStorageError } from '../../src/storage/index.js';
import {
  createPgClient,
  PG_SCHEMA_VERSION,
  PostgresStorage,
  type PostgresStorageOptions,
  type SqlClient,
  serverName,
} from '../../src/storage/postgres/index.js';
import {
  type Backend,
  dropSchema,
  type Place,
  postgresBackend,
  postgresRequired,
  serverAnswers,
  TEST_DATABASE_URL,
} from './backends.js';
import { NOW, sample } from './helpers.js';
import { SharedPglite } from './pglite.js';

const server = postgresRequired() || (await serverAnswers());
if (!server) console.info(`skipped: no PostgreSQL server answers at ${serverName(TEST_DATABASE_URL)}`);
const onServer = it.skipIf(!server);

function clocked(options: Partial<PostgresStorageOptions> & { url: string }) {
  const clock = new FakeClock(NOW);
  const manager = new RetryManager({ clock });
  const storage = new PostgresStorage({
    clock,
    manager,
    random: () => 0.5,
    retry: { jitter: 'none' },
    ...options,
  });
  return { storage, clock, manager };
}

/** Settles `promise`, moving the fake clock through the retry waits while the real I/O happens. */
async function failure(promise: Promise<unknown>, clock: FakeClock): Promise<unknown> {
  let settled = false;
  const caught = promise.then(
    () => null,
    (e: unknown) => e,
  );
  void caught.finally(() => {
    settled = true;
  });
  for (let i = 0; i < 2000 && !settled; i += 1) {
    await clock.advance(1000);
    // Yields to the sockets: the attempts between the waits are real.
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return caught;
}

/** A port where nothing listens. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

describe('connection settings', () => {
  it('refuses a URL that is not a PostgreSQL URL, saying what is wrong', () => {
    const refusal = (url: string): string => {
      try {
        new PostgresStorage({ url });
      } catch (error) {
        return (error as Error).message;
      }
      throw new Error(`accepted ${url}`);
    };
    expect(refusal('mysql://u:secret@h/db')).toMatch(/postgres:\/\//);
    expect(refusal('mysql://u:secret@h/db')).not.toContain('secret');
    expect(refusal('postgres://u:secret@[::1/db')).toMatch(/does not parse/);
    expect(refusal('postgres://u:secret@[::1/db')).not.toContain('secret');
    expect(() => new PostgresStorage({ url: 'not a url' })).toThrow(/does not parse/);
    expect(() => new PostgresStorage({ url: '' })).toThrow(/`url`/);
    expect(() => new PostgresStorage({ url: 'postgres://h/db', schema: 'Bad-Name' })).toThrow(/`schema`/);
  });

  it('names the server without its password', () => {
    expect(serverName('postgres://solo:hunter2@db.lan:6543/farm')).toBe('postgres://solo@db.lan:6543/farm');
    expect(serverName('postgresql://db.lan/farm')).toBe('postgres://db.lan:5432/farm');
    const storage = new PostgresStorage({ url: 'postgres://solo:hunter2@db.lan/farm', schema: 'sw' });
    expect(storage.server).toBe('postgres://solo@db.lan:5432/farm (schema sw)');
    return storage.close();
  });

  it('gives up on a server that refuses connections with an error naming it, never the password', async () => {
    const port = await closedPort();
    const { storage, clock } = clocked({ url: `postgres://solo:hunter2@127.0.0.1:${port}/farm` });
    const error = await failure(storage.initialize(), clock);
    expect(isDatabaseConnectionError(error)).toBe(true);
    expect((error as Error).message).toContain(`postgres://solo@127.0.0.1:${port}/farm`);
    expect((error as Error).message).toMatch(/refuses connections/);
    expect((error as Error).message).not.toContain('hunter2');
    await storage.close();
  });
});

describe('on the server', () => {
  const schemas: string[] = [];
  const schema = (): string => {
    const name = `t_${process.pid}_${schemas.length}_${Date.now() % 1e6}`;
    schemas.push(name);
    return name;
  };
  afterAll(async () => {
    if (server) for (const name of schemas) await dropSchema(TEST_DATABASE_URL, name);
  });

  onServer(
    'says a refused login is refused, naming the server, not the password, and does not retry it',
    async () => {
      const url = new URL(TEST_DATABASE_URL);
      url.username = 'no_such_solowatch_user';
      url.password = 'hunter2';
      const { storage, clock, manager } = clocked({ url: url.href });
      const error = await failure(storage.initialize(), clock);
      expect(isStorageError(error) && error.code).toBe('LOGIN_REFUSED');
      expect((error as Error).message).toContain('no_such_solowatch_user@');
      expect((error as Error).message).not.toContain('hunter2');
      expect(manager.getStats().database?.failures ?? 0).toBe(0);
      await storage.close();
    },
  );

  onServer('refuses a wrong password, when the server asks for one', async (ctx) => {
    const role = `solowatch_pw_${process.pid}`;
    const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await admin.connect();
    try {
      await admin.query(`DROP ROLE IF EXISTS ${role}`);
      await admin.query(`CREATE ROLE ${role} LOGIN PASSWORD 'the-right-one'`);
      const url = new URL(TEST_DATABASE_URL);
      url.username = role;
      url.password = 'hunter2';
      if (await serverAnswers(url.href)) {
        // pg_hba `trust` (a developer's server) lets any password in: the unknown role above is
        // then the only refusal such a server can give.
        console.info(`skipped: ${serverName(url.href)} accepts any password (pg_hba trust)`);
        ctx.skip();
      }
      const { storage, clock, manager } = clocked({ url: url.href });
      const error = await failure(storage.initialize(), clock);
      expect(isStorageError(error) && error.code).toBe('LOGIN_REFUSED');
      expect((error as Error).message).toContain(`${role}@${url.hostname}`);
      expect((error as Error).message).not.toContain('hunter2');
      expect(manager.getStats().database?.failures ?? 0).toBe(0);
      await storage.close();
    } finally {
      await admin.query(`DROP ROLE IF EXISTS ${role}`);
      await admin.end();
    }
  });

  onServer('says a missing database is missing', async () => {
    const url = new URL(TEST_DATABASE_URL);
    url.pathname = '/no_such_solowatch_db';
    url.password = 'hunter2';
    const { storage, clock, manager } = clocked({ url: url.href });
    const error = await failure(storage.initialize(), clock);
    expect(isStorageError(error) && error.code).toBe('CANNOT_OPEN');
    expect((error as Error).message).toContain(`${url.hostname}:${url.port || 5432}/no_such_solowatch_db`);
    expect((error as Error).message).not.toContain('hunter2');
    expect(manager.getStats().database?.failures ?? 0).toBe(0);
    await storage.close();
  });

  onServer('migrates once when several instances start together', async () => {
    const name = schema();
    const storages = Array.from(
      { length: 3 },
      () => clocked({ url: TEST_DATABASE_URL, schema: name }).storage,
    );
    await Promise.all(storages.map((s) => s.initialize()));
    expect(storages.map((s) => s.migratedFrom).sort()).toEqual([0, PG_SCHEMA_VERSION, PG_SCHEMA_VERSION]);
    await Promise.all(storages.map((s) => s.close()));
  });

  describe('when the server goes away mid-run', () => {
    let proxy: TcpProxy;
    beforeAll(async () => {
      if (server) proxy = await TcpProxy.start(new URL(TEST_DATABASE_URL));
    });
    afterEach(() => proxy?.up());
    afterAll(() => proxy?.close());

    onServer(
      'keeps accepted samples, counts what does not fit, and writes them when it is back',
      async () => {
        const drops: DropEvent[] = [];
        const url = new URL(TEST_DATABASE_URL);
        url.host = `127.0.0.1:${proxy.port}`;
        url.password = 'hunter2';
        const { storage, clock } = clocked({
          url: url.href,
          schema: schema(),
          batchSize: 10,
          maxQueued: 50,
          connectTimeoutMs: 1000,
          retry: {
            maxAttempts: 2,
            jitter: 'none',
            failureThreshold: 2,
            recoveryTimeoutMs: 10_000,
            successThreshold: 1,
          },
          onDrop: (event) => drops.push(event),
        });
        await storage.initialize();
        await storage.saveMetrics([sample('m1', NOW)]);
        await storage.flush();

        await proxy.down();
        await storage.saveMetrics(Array.from({ length: 20 }, (_, i) => sample('m1', NOW + 1000 * (i + 1))));
        const error = await failure(storage.flush(), clock);
        expect(isDatabaseConnectionError(error)).toBe(true);
        expect((error as Error).message).toContain(`127.0.0.1:${proxy.port}`);
        expect((error as Error).message).not.toContain('hunter2');
        const refused = await storage.flush().catch((e: unknown) => e);
        expect(isCircuitOpenError(refused)).toBe(true);
        expect((refused as Error).message).toContain(
          `PostgreSQL postgres://${url.username}@127.0.0.1:${proxy.port}/`,
        );
        expect((refused as Error).message).not.toContain('hunter2');
        const health = await storage.health();
        expect(health.ok).toBe(false);
        expect(health.detail).not.toContain('hunter2');

        const result = await storage.saveMetrics(
          Array.from({ length: 40 }, (_, i) => sample('m1', NOW + 1000 * (i + 21))),
        );
        expect(result).toEqual({ accepted: 30, dropped: 10 });
        expect(drops).toEqual([expect.objectContaining({ dropped: 10, reason: 'queue_full' })]);
        // Where SQLite's count shows too: health, which /api/health and /metrics read.
        const down = await storage.health();
        expect(down.stats).toMatchObject({ queued: 50, dropped: 10, available: false });
        expect(down.detail).toContain(`127.0.0.1:${proxy.port}`);
        expect(down.detail).toContain('50 queued, 10 dropped');
        expect(down.detail).not.toContain('hunter2');

        proxy.up();
        await clock.advance(10_000);
        await storage.flush();
        expect(storage.stats()).toMatchObject({ queued: 0, written: 51, dropped: 10, available: true });
        const series = await storage.querySeries('m1', { from: NOW, to: NOW + 3_600_000, points: 1 });
        expect(series.points[0]?.count).toBe(51);
        const { rows } = await storage.client.query<{ n: number }>('SELECT count(*) AS n FROM metrics');
        expect(rows[0]?.n).toBe(51);
        expect((await storage.health()).ok).toBe(true);
        await storage.close();
      },
    );
  });
});

describe('a batch that fails in part', () => {
  // On the server, or PGlite when none answers. The first statement of the batch fails once:
  // `lost` commits and then throws as a dropped connection does (the writer cannot know it
  // committed), `refused` throws before running. Either way the batch is retried whole.
  const pglite = server ? null : new SharedPglite();
  const schemas: string[] = [];
  afterAll(async () => {
    if (server) for (const name of schemas) await dropSchema(TEST_DATABASE_URL, name);
    await pglite?.close();
  });

  it.each([
    { mode: 'lost', written: 150 },
    { mode: 'refused', written: 300 },
  ])('($mode) is written again whole, no sample stored or counted twice', async ({ mode, written }) => {
    const name = `t_part_${process.pid}_${mode}_${Date.now() % 1e6}`;
    schemas.push(name);
    const inner: SqlClient = pglite
      ? pglite.client(name)
      : createPgClient({ url: TEST_DATABASE_URL, schema: name, maxConnections: 4, connectTimeoutMs: 2000 });
    let failed = 0;
    let copies = 0;
    /** The first write into `metrics`, a statement or a COPY, fails once as `mode` says. */
    const failFirst = async <T>(write: () => Promise<T>): Promise<T> => {
      const first = failed === 0;
      if (first) failed += 1;
      if (first && mode === 'refused')
        throw Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
      const result = await write();
      if (first) throw new Error('Connection terminated unexpectedly');
      return result;
    };
    const client: SqlClient = {
      query: (text, params) =>
        text.includes('INSERT INTO metrics ')
          ? failFirst(() => inner.query(text, params))
          : inner.query(text, params),
      // A COPY's transaction fails as a whole: `lost` after its COMMIT, `refused` before the COPY.
      transaction: async (fn) => {
        let copying = false;
        const result = await inner.transaction((tx) => {
          const copy = tx.copyFrom;
          if (copy === undefined) return fn(tx);
          return fn({
            query: (text, params) => tx.query(text, params),
            copyFrom: (text, data) => {
              if (!text.startsWith('COPY metrics ')) return copy(text, data);
              copies += 1;
              copying = failed === 0;
              return copying && mode === 'refused' ? failFirst(() => copy(text, data)) : copy(text, data);
            },
          });
        });
        return copying && mode === 'lost' ? failFirst(async () => result) : result;
      },
      close: () => inner.close(),
    };
    const { storage, clock, manager } = clocked({
      url: 'postgres://solo:hunter2@127.0.0.1/test',
      schema: name,
      client,
      batchSize: 1000,
      maxConnections: 4,
    });
    expect(await failure(storage.initialize(), clock)).toBeNull();
    // 10 miners x 30 ticks: the batch goes out as two statements, one per half of the miners.
    const batch = Array.from({ length: 300 }, (_, i) =>
      sample(`m${i % 10}`, NOW + 10_000 * Math.floor(i / 10)),
    );
    await storage.saveMetrics(batch);
    expect(await failure(storage.flush(), clock)).toBeNull();

    expect(failed).toBe(1);
    // On a server each part's samples go as a COPY first, twice (before and on the retry); PGlite has none.
    expect(copies).toBe(pglite ? 0 : 4);
    expect(manager.getStats().database?.retries).toBe(1);
    // `written` counts the rows whose insert was confirmed: a lost answer's rows are stored
    // but were never reported.
    expect(storage.stats()).toMatchObject({ accepted: 300, written, queued: 0 });
    const { rows } = await inner.query(
      `SELECT (SELECT count(*) FROM metrics) AS raw,
        (SELECT sum(samples) FROM metrics_minute) AS minute,
        (SELECT sum(samples) FROM metrics_hour) AS hour,
        (SELECT sum(hashrate_ghs_n) FROM metrics_hour) AS hashrate`,
    );
    expect(rows[0]).toEqual({ raw: 300, minute: 300, hour: 300, hashrate: 300 });
    await storage.close();
  });
});

describe('a database that a newer solowatch migrated', () => {
  let backend: Backend;
  let place: Place;
  beforeAll(async () => {
    backend = await postgresBackend();
    console.info(`newer schema on ${backend.description}`);
    place = await backend.fresh();
  });
  afterAll(async () => {
    await place?.remove();
    await backend?.close();
  });

  it('is refused with both versions and the server named, and left as it was', async () => {
    const first = place.open().storage as PostgresStorage;
    await first.initialize();
    expect(first.schemaVersion).toBe(PG_SCHEMA_VERSION);
    await first.client.query("INSERT INTO solowatch_schema VALUES ($1, 'from the future', 0)", [
      PG_SCHEMA_VERSION + 3,
    ]);
    const state = async (): Promise<unknown> => [
      (await first.client.query('SELECT * FROM solowatch_schema ORDER BY version')).rows,
      (await first.client.query('SELECT * FROM meta ORDER BY key')).rows,
      (
        await first.client.query(
          'SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY 1',
        )
      ).rows,
    ];
    const before = await state();

    const { storage, clock } = place.open();
    const error = await failure(storage.initialize(), clock);
    expect(isNewerSchemaError(error)).toBe(true);
    expect((error as Error).message).toContain(`version ${PG_SCHEMA_VERSION + 3}`);
    expect((error as Error).message).toContain(`version ${PG_SCHEMA_VERSION}`);
    expect((error as Error).message).toContain(first.server);
    expect((error as Error).message).toMatch(/upgrade solowatch or use another database/);
    expect(await state()).toEqual(before);
    await storage.close();
    await first.close();
  });
});

/** A TCP proxy in front of the server that can be cut (every connection dropped, new ones refused) and restored. */
class TcpProxy {
  readonly #target: { host: string; port: number };
  readonly #sockets = new Set<Socket>();
  #server: Server;
  #down = false;

  private constructor(server: Server, target: { host: string; port: number }) {
    this.#server = server;
    this.#target = target;
  }

  static async start(url: URL): Promise<TcpProxy> {
    const target = { host: url.hostname, port: Number(url.port || 5432) };
    const proxy: TcpProxy = new TcpProxy(
      createServer((client) => proxy.#pipe(client)),
      target,
    );
    await new Promise<void>((resolve) => proxy.#server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  get port(): number {
    return (this.#server.address() as { port: number }).port;
  }

  #pipe(client: Socket): void {
    if (this.#down) {
      client.destroy();
      return;
    }
    const upstream = new Socket();
    upstream.connect(this.#target.port, this.#target.host);
    for (const socket of [client, upstream]) {
      this.#sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => {
        this.#sockets.delete(socket);
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream).pipe(client);
  }

  async down(): Promise<void> {
    this.#down = true;
    for (const socket of this.#sockets) socket.destroy();
  }

  up(): void {
    this.#down = false;
  }

  close(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }
}
