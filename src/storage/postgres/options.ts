/** Options of `PostgresStorage`: the common storage options plus where the server is. */
import { type CommonStorageOptions, type ResolvedCommonOptions, resolveCommonOptions } from '../options.js';
import type { SqlClient } from './SqlClient.js';
import { checkDatabaseUrl, serverName } from './serverName.js';

export interface PostgresStorageOptions extends CommonStorageOptions {
  /** `postgres://user:password@host:5432/database`; the password never appears in messages. */
  readonly url: string;
  /**
   * Schema that holds the tables, created when missing; lets several installs (or test runs)
   * share one database. @default null (the user's default `search_path`, usually `public`)
   */
  readonly schema?: string | null;
  /** Connections in the pool. @default 4 */
  readonly maxConnections?: number;
  /** How long one connection attempt may take. @default 5000 */
  readonly connectTimeoutMs?: number;
  /**
   * A ready connection instead of a pool built from `url` (tests hand in an in-process PGlite);
   * `url` still names the server in messages. The storage closes it.
   */
  readonly client?: SqlClient;
}

export interface ResolvedPostgresOptions extends ResolvedCommonOptions {
  readonly url: string;
  /** The server as messages name it. */
  readonly server: string;
  readonly schema: string | null;
  readonly maxConnections: number;
  readonly connectTimeoutMs: number;
}

export const DEFAULT_POSTGRES_OPTIONS = Object.freeze({
  schema: null,
  maxConnections: 4,
  connectTimeoutMs: 5000,
});

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

function positive(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw new TypeError(`Expected \`${name}\` to be an integer >= 1, got ${String(value)}`);
  }
  return value;
}

export function resolvePostgresOptions(options: PostgresStorageOptions): ResolvedPostgresOptions {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError('Expected PostgresStorage options to be an object with a `url`');
  }
  const url = checkDatabaseUrl(options.url, 'url');
  const schema = options.schema ?? DEFAULT_POSTGRES_OPTIONS.schema;
  if (schema !== null && (typeof schema !== 'string' || !SCHEMA_NAME.test(schema))) {
    throw new TypeError(
      `Expected \`schema\` to be a lower-case SQL name (letters, digits, _), got ${JSON.stringify(schema)}`,
    );
  }
  return {
    ...resolveCommonOptions(options),
    url,
    server: `${serverName(url)}${schema === null ? '' : ` (schema ${schema})`}`,
    schema,
    maxConnections: positive(
      'maxConnections',
      options.maxConnections ?? DEFAULT_POSTGRES_OPTIONS.maxConnections,
    ),
    connectTimeoutMs: positive(
      'connectTimeoutMs',
      options.connectTimeoutMs ?? DEFAULT_POSTGRES_OPTIONS.connectTimeoutMs,
    ),
  };
}
