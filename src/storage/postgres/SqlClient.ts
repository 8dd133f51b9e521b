/**
 * The little that PostgresStorage needs from a PostgreSQL connection: parameterised queries and
 * transactions on one connection. `pg`'s pool implements it for a server (pgClient.ts); the
 * tests hand in an in-process PGlite behind the same interface when no server answers.
 */

export interface SqlResult<Row> {
  readonly rows: Row[];
  /** Rows a write touched (or a read returned). */
  readonly rowCount: number;
}

export interface SqlQueryable {
  query<Row = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<SqlResult<Row>>;
  /**
   * Runs a `COPY ... FROM STDIN` with `data` as its whole input; resolves with the rows copied.
   * Only a server connection has it (PGlite does not): callers fall back to statements.
   */
  copyFrom?(text: string, data: Buffer): Promise<number>;
}

export interface SqlClient extends SqlQueryable {
  /** Runs `fn` in one transaction on one connection: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: SqlQueryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** int8 (count(*), bigint columns) and numeric as JS numbers: epoch ms and counts are safe integers. */
export const NUMBER_TYPES: readonly number[] = [20, 1700];
