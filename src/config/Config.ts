/**
 * The resolved configuration of a solowatch process. Sources, strongest first: command-line
 * flags, environment variables (SOLOWATCH_*), the config file (JSON or YAML), defaults.
 */
import type { MinerKind } from '../miners/MinerSample.js';

export type LogLevel = 'silent' | 'error' | 'warn' | 'info' | 'debug';
export const LOG_LEVELS: readonly LogLevel[] = ['silent', 'error', 'warn', 'info', 'debug'];

/** A miner named in the config file; added at start unless it is already watched. */
export interface MinerSeed {
  readonly host: string;
  readonly port?: number;
  readonly kind?: MinerKind | 'auto';
  readonly name?: string;
}

export interface SolowatchConfig {
  /** @default '127.0.0.1' */
  readonly host: string;
  /** @default 8080 */
  readonly port: number;
  /** Holds the database and the generated token. @default './data' */
  readonly dataDir: string;
  /** The file the settings came from, or null. */
  readonly configFile: string | null;
  /** From SOLOWATCH_TOKEN; null means read or generate `<dataDir>/token`. */
  readonly token: string | null;
  /** @default 'info' */
  readonly logLevel: LogLevel;
  /** Default poll interval for miners without their own; null keeps the monitor's default. */
  readonly pollIntervalMs: number | null;
  /** Polls in flight at most across the fleet; null keeps the monitor's default (512). */
  readonly maxConcurrentPolls: number | null;
  /** Overrides of the status thresholds (see the monitor's StatusThresholds). */
  readonly thresholds: Readonly<Record<string, number>>;
  /** Notification channels, each `{ kind: 'webhook' | 'ntfy' | 'telegram' | 'discord', ... }`. */
  readonly notifiers: readonly Readonly<Record<string, unknown>>[];
  /** Network difficulty to use for solo odds when no miner reports one. */
  readonly networkDifficulty: number | null;
  readonly miners: readonly MinerSeed[];
}

export const DEFAULT_CONFIG: SolowatchConfig = Object.freeze({
  host: '127.0.0.1',
  port: 8080,
  dataDir: './data',
  configFile: null,
  token: null,
  logLevel: 'info',
  pollIntervalMs: null,
  maxConcurrentPolls: null,
  thresholds: Object.freeze({}),
  notifiers: Object.freeze([]),
  networkDifficulty: null,
  miners: Object.freeze([]),
});

/** A setting that cannot be used; the message names the key and where it came from. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly key: string;
  readonly source: string;

  constructor(source: string, key: string, problem: string) {
    super(`${source}: ${key} ${problem}`);
    this.key = key;
    this.source = source;
  }
}

export function isConfigError(error: unknown): error is ConfigError {
  return error instanceof ConfigError;
}
