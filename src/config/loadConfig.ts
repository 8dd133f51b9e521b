/** Reads and checks configuration from flags, environment and a JSON or YAML file. */
import { readFile } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import {
  ConfigError,
  DEFAULT_CONFIG,
  LOG_LEVELS,
  type LogLevel,
  type MinerSeed,
  type SolowatchConfig,
} from './Config.js';

/** Values given on the command line; absent means "not given". */
export interface ConfigFlags {
  readonly host?: string;
  readonly port?: string | number;
  readonly dataDir?: string;
  readonly config?: string;
  readonly logLevel?: string;
}

export interface LoadConfigOptions {
  readonly flags?: ConfigFlags;
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Relative paths resolve against it. @default process.cwd() */
  readonly cwd?: string;
}

/** Top-level keys a config file may hold; anything else is refused by name. */
export const FILE_KEYS = [
  'host',
  'port',
  'dataDir',
  'logLevel',
  'pollIntervalMs',
  'maxConcurrentPolls',
  'thresholds',
  'notifiers',
  'networkDifficulty',
  'miners',
] as const;
const MINER_KEYS = ['host', 'port', 'kind', 'name'];
const KINDS = ['axeos', 'nerdqaxe', 'cgminer', 'auto'];

type Raw = Readonly<Record<string, unknown>>;

function isRecord(value: unknown): value is Raw {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parsePort(source: string, key: string, value: unknown): number {
  const n = typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > 65535) {
    throw new ConfigError(source, key, `must be a port number 0-65535, got ${JSON.stringify(value)}`);
  }
  return n;
}

function parseString(source: string, key: string, value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new ConfigError(source, key, `must be a non-empty string, got ${JSON.stringify(value)}`);
  }
  return value.trim();
}

function parseLogLevel(source: string, key: string, value: unknown): LogLevel {
  const level = LOG_LEVELS.find((l) => l === value);
  if (level === undefined) {
    throw new ConfigError(
      source,
      key,
      `must be one of ${LOG_LEVELS.join(', ')}, got ${JSON.stringify(value)}`,
    );
  }
  return level;
}

function parsePositive(
  source: string,
  key: string,
  value: unknown,
  min: number,
  max = Number.MAX_VALUE,
): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    const range = max === Number.MAX_VALUE ? `>= ${min}` : `from ${min} to ${max}`;
    throw new ConfigError(source, key, `must be a number ${range}, got ${JSON.stringify(value)}`);
  }
  return value;
}

/** A day, as the API allows for one miner: and far below setTimeout's 2^31-1 ms, past which Node fires after 1 ms. */
const MAX_POLL_INTERVAL_MS = 86_400_000;

function parseMiner(source: string, index: number, value: unknown): MinerSeed {
  const key = `miners[${index}]`;
  if (!isRecord(value)) throw new ConfigError(source, key, 'must be an object like { host: "192.168.1.40" }');
  for (const k of Object.keys(value)) {
    if (!MINER_KEYS.includes(k)) {
      throw new ConfigError(source, `${key}.${k}`, `is not a known key (known: ${MINER_KEYS.join(', ')})`);
    }
  }
  const seed: { host: string; port?: number; kind?: NonNullable<MinerSeed['kind']>; name?: string } = {
    host: parseString(source, `${key}.host`, value.host),
  };
  if (value.port !== undefined) seed.port = parsePort(source, `${key}.port`, value.port);
  if (value.kind !== undefined) {
    const kind = KINDS.find((k) => k === value.kind) as NonNullable<MinerSeed['kind']> | undefined;
    if (kind === undefined) {
      throw new ConfigError(
        source,
        `${key}.kind`,
        `must be one of ${KINDS.join(', ')}, got ${JSON.stringify(value.kind)}`,
      );
    }
    seed.kind = kind;
  }
  if (value.name !== undefined) seed.name = parseString(source, `${key}.name`, value.name);
  return seed;
}

async function readConfigFile(path: string): Promise<Raw> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigError(
      path,
      'config file',
      code === 'ENOENT' ? 'does not exist' : `cannot be read (${code})`,
    );
  }
  let parsed: unknown;
  try {
    parsed = extname(path).toLowerCase() === '.json' ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new ConfigError(
      path,
      'config file',
      `is not valid ${extname(path) === '.json' ? 'JSON' : 'YAML'}: ${(error as Error).message}`,
    );
  }
  if (parsed === null || parsed === undefined) return {};
  if (!isRecord(parsed))
    throw new ConfigError(path, 'config file', 'must hold an object of settings at the top');
  return parsed;
}

/** Checks the file's settings; every error names the key and the file. */
function fromFile(source: string, raw: Raw): Partial<Record<keyof SolowatchConfig, unknown>> {
  for (const key of Object.keys(raw)) {
    if (!(FILE_KEYS as readonly string[]).includes(key)) {
      throw new ConfigError(source, key, `is not a known key (known: ${FILE_KEYS.join(', ')})`);
    }
  }
  const out: Partial<Record<keyof SolowatchConfig, unknown>> = {};
  if (raw.host !== undefined) out.host = parseString(source, 'host', raw.host);
  if (raw.port !== undefined) out.port = parsePort(source, 'port', raw.port);
  if (raw.dataDir !== undefined) out.dataDir = parseString(source, 'dataDir', raw.dataDir);
  if (raw.logLevel !== undefined) out.logLevel = parseLogLevel(source, 'logLevel', raw.logLevel);
  if (raw.pollIntervalMs !== undefined) {
    out.pollIntervalMs = parsePositive(
      source,
      'pollIntervalMs',
      raw.pollIntervalMs,
      1000,
      MAX_POLL_INTERVAL_MS,
    );
  }
  if (raw.maxConcurrentPolls !== undefined) {
    const n = parsePositive(source, 'maxConcurrentPolls', raw.maxConcurrentPolls, 1, 100_000);
    if (!Number.isInteger(n)) {
      throw new ConfigError(source, 'maxConcurrentPolls', `must be a whole number, got ${n}`);
    }
    out.maxConcurrentPolls = n;
  }
  if (raw.networkDifficulty !== undefined) {
    out.networkDifficulty = parsePositive(source, 'networkDifficulty', raw.networkDifficulty, 1);
  }
  if (raw.thresholds !== undefined) {
    if (!isRecord(raw.thresholds))
      throw new ConfigError(source, 'thresholds', 'must be an object of numbers');
    for (const [k, v] of Object.entries(raw.thresholds)) {
      if (typeof v !== 'number' || !Number.isFinite(v)) {
        throw new ConfigError(source, `thresholds.${k}`, `must be a number, got ${JSON.stringify(v)}`);
      }
    }
    out.thresholds = raw.thresholds;
  }
  if (raw.notifiers !== undefined) {
    if (!Array.isArray(raw.notifiers)) throw new ConfigError(source, 'notifiers', 'must be a list');
    raw.notifiers.forEach((n: unknown, i) => {
      if (!isRecord(n) || typeof n.kind !== 'string') {
        throw new ConfigError(
          source,
          `notifiers[${i}]`,
          'must be an object with a `kind` (webhook, ntfy, telegram, discord)',
        );
      }
    });
    out.notifiers = raw.notifiers;
  }
  if (raw.miners !== undefined) {
    if (!Array.isArray(raw.miners)) throw new ConfigError(source, 'miners', 'must be a list');
    out.miners = raw.miners.map((m: unknown, i) => parseMiner(source, i, m));
  }
  return out;
}

/** Resolves the configuration: flags beat the environment, which beats the file. */
export async function loadConfig(options: LoadConfigOptions = {}): Promise<SolowatchConfig> {
  const flags = options.flags ?? {};
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const envValue = (name: string) => {
    const v = env[name];
    return v === undefined || v.trim() === '' ? undefined : v;
  };

  const configPath = flags.config ?? envValue('SOLOWATCH_CONFIG');
  const configFile = configPath === undefined ? null : resolve(cwd, configPath);
  const file = configFile === null ? {} : fromFile(configFile, await readConfigFile(configFile));

  const pick = <T>(
    key: string,
    flag: unknown,
    envName: string,
    parse: (source: string, key: string, v: unknown) => T,
    fileValue: unknown,
    fallback: T,
  ): T => {
    if (flag !== undefined) return parse('command line', key, flag);
    const e = envValue(envName);
    if (e !== undefined) return parse('environment', envName, e);
    return fileValue === undefined ? fallback : (fileValue as T);
  };

  const dataDir = pick(
    '--data-dir',
    flags.dataDir,
    'SOLOWATCH_DATA_DIR',
    parseString,
    file.dataDir,
    DEFAULT_CONFIG.dataDir,
  );
  const token = envValue('SOLOWATCH_TOKEN');
  if (token !== undefined && token.trim().length < 16) {
    throw new ConfigError('environment', 'SOLOWATCH_TOKEN', 'must be at least 16 characters long');
  }
  return {
    host: pick('--host', flags.host, 'SOLOWATCH_HOST', parseString, file.host, DEFAULT_CONFIG.host),
    port: pick('--port', flags.port, 'SOLOWATCH_PORT', parsePort, file.port, DEFAULT_CONFIG.port),
    dataDir: resolve(cwd, dataDir),
    configFile,
    token: token === undefined ? null : token.trim(),
    logLevel: pick(
      '--log-level',
      flags.logLevel,
      'SOLOWATCH_LOG_LEVEL',
      parseLogLevel,
      file.logLevel,
      DEFAULT_CONFIG.logLevel,
    ),
    pollIntervalMs: (file.pollIntervalMs as number | undefined) ?? DEFAULT_CONFIG.pollIntervalMs,
    maxConcurrentPolls: (file.maxConcurrentPolls as number | undefined) ?? DEFAULT_CONFIG.maxConcurrentPolls,
    thresholds: (file.thresholds as SolowatchConfig['thresholds'] | undefined) ?? DEFAULT_CONFIG.thresholds,
    notifiers: (file.notifiers as SolowatchConfig['notifiers'] | undefined) ?? DEFAULT_CONFIG.notifiers,
    networkDifficulty: (file.networkDifficulty as number | undefined) ?? DEFAULT_CONFIG.networkDifficulty,
    miners: (file.miners as SolowatchConfig['miners'] | undefined) ?? DEFAULT_CONFIG.miners,
  };
}
