/**
 * An in-process PostgreSQL (PGlite) behind the SqlClient interface, for when no server answers.
 * One PGlite serves every storage of a test file, each in its own schema: PGlite has one
 * connection, so each call takes a lock and sets its schema's search_path first.
 */
import { PGlite } from '@electric-sql/pglite';
import {
  NUMBER_TYPES,
  type SqlClient,
  type SqlQueryable,
  type SqlResult,
} from '../../src/storage/postgres/index.js';

export class SharedPglite {
  readonly db: PGlite;
  #tail: Promise<unknown> = Promise.resolve();

  constructor() {
    this.db = new PGlite({ parsers: Object.fromEntries(NUMBER_TYPES.map((oid) => [oid, Number])) });
  }

  /** Runs `fn` alone on the connection. */
  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#tail.then(fn, fn);
    this.#tail = run.catch(() => undefined);
    return run;
  }

  /** A client whose every call runs in `schema` (created when missing). Closing it leaves PGlite open. */
  client(schema: string): SqlClient {
    const db = this.db;
    const enter = async (): Promise<void> => {
      await db.exec(`CREATE SCHEMA IF NOT EXISTS ${schema}; SET search_path TO ${schema}`);
    };
    const query = async <Row>(
      on: Pick<PGlite, 'query' | 'exec'>,
      text: string,
      params?: readonly unknown[],
    ) => {
      if (params === undefined) {
        // Migrations are several statements in one text; only exec takes those.
        const results = await on.exec(text);
        const last = results.at(-1);
        return { rows: (last?.rows ?? []) as Row[], rowCount: last?.affectedRows ?? last?.rows.length ?? 0 };
      }
      const result = await on.query<Row>(text, params as unknown[]);
      return { rows: result.rows, rowCount: result.affectedRows ?? result.rows.length } as SqlResult<Row>;
    };
    let closed = false;
    const check = (): void => {
      if (closed) throw Object.assign(new Error('Connection terminated'), { code: '57P01' });
    };
    return {
      query: (text, params) =>
        this.exclusive(async () => {
          check();
          await enter();
          return query(db, text, params);
        }),
      transaction: (fn) =>
        this.exclusive(async () => {
          check();
          await enter();
          return db.transaction(async (tx) => {
            const scoped: SqlQueryable = {
              query: (text, params) => query(tx as unknown as PGlite, text, params),
            };
            return fn(scoped);
          });
        }),
      close: async () => {
        closed = true;
      },
    };
  }

  close(): Promise<void> {
    return this.db.close();
  }
}
