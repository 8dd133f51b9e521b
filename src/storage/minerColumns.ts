/**
 * How a miner's tags and credentials are kept in a column, written once for both stores: the
 * migrate-storage copy moves the column text as it is, so SQLite and PostgreSQL must agree on it.
 */
import type { MinerCredentials } from './Storage.js';

/** Tags as the column holds them: a JSON list (SQLite text, PostgreSQL jsonb). */
export function tagsColumn(tags: readonly string[]): string {
  return JSON.stringify(tags);
}

/** The column's tags; a PostgreSQL driver hands jsonb back already parsed. */
export function tagsOf(value: unknown): readonly string[] {
  const tags = typeof value === 'string' ? (JSON.parse(value) as unknown) : value;
  return Array.isArray(tags) ? tags.filter((t): t is string => typeof t === 'string') : [];
}

/**
 * Credentials as the column holds them: JSON text, in clear (docs/CONTROL.md says so and why the
 * data directory's permissions are what protects them).
 */
export function credentialsColumn(credentials: MinerCredentials | null): string | null {
  return credentials === null
    ? null
    : JSON.stringify({ username: credentials.username, password: credentials.password });
}

export function credentialsOf(value: string | null): MinerCredentials | null {
  if (value === null) return null;
  const parsed = JSON.parse(value) as { username?: unknown; password?: unknown };
  return typeof parsed.username === 'string' && typeof parsed.password === 'string'
    ? { username: parsed.username, password: parsed.password }
    : null;
}
