// Storage: the interface the app codes against and its SQLite implementation (PostgreSQL: ./postgres/).

export { type BucketPlan, MAX_POINTS, planBuckets } from './bucketPlan.js';
export {
  isNewerSchemaError,
  isStorageError,
  NewerSchemaError,
  StorageError,
  type StorageErrorCode,
  type StorageErrorOptions,
} from './errors.js';
export { MIGRATIONS, type Migration, migrate, SCHEMA_VERSION } from './migrations.js';
export {
  type CommonStorageOptions,
  DEFAULT_OPTIONS,
  DEFAULT_RETENTION,
  type DropEvent,
  type RetentionPolicy,
  type SqliteStorageOptions,
  type StorageErrorEvent,
} from './options.js';
export { SqliteStorage } from './SqliteStorage.js';
export * from './Storage.js';
