/** `SqlClient` on a `pg` connection pool. */
import { finished } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFromStdin } from 'pg-copy-streams';
import { NUMBER_TYPES, type SqlClient, type SqlQueryable, type SqlResult } from './SqlClient.js';

export interface PgClientOptions {
  readonly url: string;
  /** Schema the tables live in (`search_path`); null: the server's default for the user. */
  readonly schema: string | null;
  /** Connections at most. */
  readonly maxConnections: number;
  /** How long a connection attempt may take before it counts as failed. */
  readonly connectTimeoutMs: number;
}

const numberTypes = {
  getTypeParser(oid: number, format?: string): unknown {
    if (NUMBER_TYPES.includes(oid)) return Number;
    return format === 'binary' ? pg.types.getTypeParser(oid, 'binary') : pg.types.getTypeParser(oid, 'text');
  },
} as pg.CustomTypesConfig;

export function createPgClient(options: PgClientOptions): SqlClient {
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.maxConnections,
    connectionTimeoutMillis: options.connectTimeoutMs,
    types: numberTypes,
    application_name: 'solowatch',
    ...(options.schema === null ? {} : { options: `-c search_path=${options.schema}` }),
  });
  // An idle connection the server drops (restart, failover) must not crash the process; the next
  // query fails or reconnects and the retries take it from there.
  pool.on('error', () => undefined);
  const query = async <Row>(
    on: pg.Pool | pg.PoolClient,
    text: string,
    params?: readonly unknown[],
  ): Promise<SqlResult<Row>> => {
    const answer: pg.QueryResult | pg.QueryResult[] = await on.query(text, params as unknown[] | undefined);
    // A text of several statements (a migration) answers with one result per statement.
    const result = Array.isArray(answer) ? (answer.at(-1) as pg.QueryResult) : answer;
    return { rows: result.rows as Row[], rowCount: result.rowCount ?? result.rows.length };
  };
  return {
    query: (text, params) => query(pool, text, params),
    async transaction(fn) {
      const client = await pool.connect();
      let broken: unknown;
      // A checked-out connection that drops also emits 'error' on the client (the pool listens
      // only while it is idle); unheard, that would crash the process. The call in flight fails
      // with the same error, and the connection is then not reused.
      const onDrop = (error: unknown): void => {
        broken ??= error;
      };
      client.on('error', onDrop);
      try {
        await client.query('BEGIN');
        const tx: SqlQueryable = {
          query: (text, params) => query(client, text, params),
          async copyFrom(text, data) {
            const copy = client.query(copyFromStdin(text));
            const done = finished(copy);
            copy.end(data);
            await done;
            return copy.rowCount;
          },
        };
        const result = await fn(tx);
        await client.query('COMMIT');
        return result;
      } catch (error) {
        broken = error;
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.off('error', onDrop);
        // A connection that failed mid-transaction is not trusted again.
        client.release(broken === undefined ? undefined : true);
      }
    },
    close: () => pool.end(),
  };
}
