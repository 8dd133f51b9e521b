// Storage on PostgreSQL.
export { migratePg, PG_MIGRATIONS, PG_SCHEMA_VERSION, type PgMigration } from './migrations.js';
export { DEFAULT_POSTGRES_OPTIONS, type PostgresStorageOptions } from './options.js';
export { PostgresStorage } from './PostgresStorage.js';
export { createPgClient, type PgClientOptions } from './pgClient.js';
export { NUMBER_TYPES, type SqlClient, type SqlQueryable, type SqlResult } from './SqlClient.js';
export { checkDatabaseUrl, serverName } from './serverName.js';
