/** Reads configuration from flags, environment and a JSON or YAML file, checked by the schema. */
import { readFile } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import type { TSchema } from 'typebox';
import { parse as parseYaml } from 'yaml';
import { type Checked, checker } from '../schema/validator.js';
import { ConfigError, type SolowatchConfig } from './Config.js';
import { ConfigFileSchema, OutsideSchema } from './schema/index.js';

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
export const FILE_KEYS = Object.keys(ConfigFileSchema.properties);

// Every failure is looked at, to tell the clearest: the file is the operator's, not an attacker's.
const checkFile = checker(ConfigFileSchema, { defaults: true, allErrors: true });

interface OutsideSetting {
  readonly key: string;
  readonly flag: string | undefined;
  readonly env: string | undefined;
  readonly check: (value: unknown) => Checked<unknown>;
}

/** Every setting a flag or an environment variable can give, as the schema marks them. */
const OUTSIDE: readonly OutsideSetting[] = Object.entries({
  ...ConfigFileSchema.properties,
  ...OutsideSchema.properties,
} as Record<string, TSchema & { 'x-flag'?: string; 'x-env'?: string }>)
  .filter(([, schema]) => schema['x-flag'] !== undefined || schema['x-env'] !== undefined)
  .map(([key, schema]) => ({
    key,
    flag: schema['x-flag'],
    env: schema['x-env'],
    check: checker(schema, { coerce: true }),
  }));

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

async function readConfigFile(path: string): Promise<Record<string, unknown>> {
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
  const json = extname(path).toLowerCase() === '.json';
  let parsed: unknown;
  try {
    parsed = json ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new ConfigError(
      path,
      'config file',
      `is not valid ${json ? 'JSON' : 'YAML'}: ${(error as Error).message}`,
    );
  }
  if (parsed === null || parsed === undefined) return {};
  if (!isRecord(parsed))
    throw new ConfigError(path, 'config file', 'must hold an object of settings at the top');
  return parsed;
}

type Env = Readonly<Record<string, string | undefined>>;

/** The strongest of flag and environment for one setting, checked and named as given. */
function fromOutside(setting: OutsideSetting, flags: ConfigFlags, env: Env): { value: unknown } | undefined {
  const flag = (flags as Record<string, unknown>)[setting.key];
  const envText = setting.env === undefined ? undefined : env[setting.env]?.trim();
  const given =
    flag !== undefined && setting.flag !== undefined
      ? { source: 'command line', key: setting.flag, value: flag }
      : envText !== undefined && envText !== '' && setting.env !== undefined
        ? { source: 'environment', key: setting.env, value: envText }
        : undefined;
  if (given === undefined) return undefined;
  const value = typeof given.value === 'string' ? given.value.trim() : given.value;
  const checked = setting.check(value);
  if (!checked.ok) throw new ConfigError(given.source, given.key, checked.problem.problem);
  return { value: checked.value };
}

/** Resolves the configuration: flags beat the environment, which beats the file. */
export async function loadConfig(options: LoadConfigOptions = {}): Promise<SolowatchConfig> {
  const flags = options.flags ?? {};
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const outside = new Map<string, unknown>();
  for (const setting of OUTSIDE) {
    const given = fromOutside(setting, flags, env);
    if (given !== undefined) outside.set(setting.key, given.value);
  }

  const configPath = outside.get('config') as string | undefined;
  const configFile = configPath === undefined ? null : resolve(cwd, configPath);
  // Defaults are written into what is checked: a copy, so the parsed file stays as it was read.
  const raw = configFile === null ? {} : structuredClone(await readConfigFile(configFile));
  const file = checkFile(raw);
  if (!file.ok) {
    throw new ConfigError(configFile ?? 'defaults', file.problem.path || 'config file', file.problem.problem);
  }
  const settings: Record<string, unknown> = { ...file.value };
  for (const key of Object.keys(ConfigFileSchema.properties)) {
    if (outside.has(key)) settings[key] = outside.get(key);
  }
  const resolved = settings as SolowatchConfig;
  const token = outside.get('token') as string | undefined;
  const secretKey = outside.get('secretKey') as string | undefined;
  const databaseUrl = outside.get('databaseUrl') as string | undefined;
  if (
    databaseUrl === undefined &&
    resolved.storage.kind === 'postgres' &&
    resolved.storage.url === undefined
  ) {
    throw new ConfigError(
      configFile ?? 'defaults',
      'storage.url',
      'is required for kind postgres (or set SOLOWATCH_DATABASE_URL)',
    );
  }
  return {
    ...resolved,
    ...(databaseUrl === undefined
      ? {}
      : { storage: { ...resolved.storage, kind: 'postgres', url: databaseUrl } }),
    dataDir: resolve(cwd, resolved.dataDir),
    configFile,
    token: token ?? null,
    secretKey: secretKey ?? null,
  };
}
