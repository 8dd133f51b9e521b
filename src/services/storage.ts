/**
 * The store the config names, opened with the key that seals miners' device logins, and what an
 * operator is told about logins this instance cannot read.
 */
import { join } from 'node:path';
import type { SolowatchConfig } from '../config/Config.js';
import type { LogFn } from '../log/logger.js';
import type { RetryManager } from '../resilience/index.js';
import type { CredentialSeal } from '../storage/minerColumns.js';
import type { DropEvent, StorageErrorEvent } from '../storage/options.js';
import { PostgresStorage } from '../storage/postgres/PostgresStorage.js';
import { SqliteStorage } from '../storage/SqliteStorage.js';
import type { Storage } from '../storage/Storage.js';

/** The SQLite file, in the data directory. */
export const DATABASE_FILE = 'solowatch.db';

/** The store the config names: the SQLite file in the data directory, or a PostgreSQL server. */
export function openStorage(
  config: SolowatchConfig,
  manager: RetryManager,
  credentialSeal: CredentialSeal,
  log: LogFn,
): Storage {
  const common = {
    manager,
    credentialSeal,
    onDrop: (event: DropEvent) =>
      log('error', `${event.dropped} samples lost (${event.reason}); ${event.totalDropped} since start`),
    onError: (event: StorageErrorEvent) =>
      log(
        'warn',
        `database ${event.operation} failed, will retry: ${(event.error as Error)?.message ?? String(event.error)}`,
      ),
  };
  const { kind, url, schema } = config.storage;
  if (kind === 'postgres') {
    // loadConfig refuses kind postgres without a URL.
    return new PostgresStorage({ url: url as string, schema: schema ?? null, ...common });
  }
  return new SqliteStorage({ path: join(config.dataDir, DATABASE_FILE), ...common });
}

/** Says by name which miners' logins another instance sealed with another key (they poll without). */
export async function warnUnreadableCredentials(storage: Storage, log: LogFn): Promise<void> {
  const unreadable = (await storage.listMiners()).filter(
    (miner) => miner.credentials !== null && 'sealed' in miner.credentials,
  );
  for (const miner of unreadable) {
    log(
      'warn',
      `miner ${miner.name}: credentials cannot be read with this instance's key; set SOLOWATCH_SECRET_KEY to the key of the instance that saved them`,
    );
  }
}
