/** The open database and the statement holders built on it, made together at initialize(). */
import type { Database } from 'better-sqlite3';
import { MetricWriter } from './MetricWriter.js';
import type { CredentialSeal } from './minerColumns.js';
import { type OpenOptions, openDatabase } from './openDatabase.js';
import { RecordStore } from './RecordStore.js';
import { Retention } from './Retention.js';
import { SeriesReader } from './SeriesReader.js';

export interface Parts {
  readonly db: Database;
  readonly writer: MetricWriter;
  readonly records: RecordStore;
  readonly reader: SeriesReader;
  readonly retention: Retention;
}

export interface OpenedParts {
  readonly parts: Parts;
  readonly version: number;
  readonly migratedFrom: number;
}

/** Opens and migrates the file, then prepares every statement; closes the file if any step fails. */
export function openParts(options: OpenOptions, seal: CredentialSeal | null = null): OpenedParts {
  const opened = openDatabase(options);
  const db = opened.db;
  try {
    return {
      parts: {
        db,
        writer: new MetricWriter(db),
        records: new RecordStore(db, seal),
        reader: new SeriesReader(db),
        retention: new Retention(db),
      },
      version: opened.version,
      migratedFrom: opened.migratedFrom,
    };
  } catch (error) {
    db.close();
    throw error;
  }
}
