/**
 * The resolved configuration of a solowatch process. Sources, strongest first: command-line
 * flags, environment variables (SOLOWATCH_*), the config file (JSON or YAML), defaults. The
 * shapes, limits and defaults are the schema's (./schema/); nothing here repeats them.
 */
import { checker } from '../schema/validator.js';
import { ConfigError, isConfigError } from './ConfigError.js';
import { ConfigFileSchema, type ConfigFileSettings, LOG_LEVELS, type MinerSeed } from './schema/index.js';

export { ConfigError, isConfigError, LOG_LEVELS, type MinerSeed };
export type LogLevel = (typeof LOG_LEVELS)[number];

export type SolowatchConfig = Readonly<ConfigFileSettings> & {
  /** The file the settings came from, or null. */
  readonly configFile: string | null;
  /** From SOLOWATCH_TOKEN; null means read or generate `<dataDir>/token`. */
  readonly token: string | null;
  /** From SOLOWATCH_SECRET_KEY; null means read or generate `<dataDir>/secret.key`. */
  readonly secretKey: string | null;
};

function defaults(): ConfigFileSettings {
  const filled = checker(ConfigFileSchema, { defaults: true })({});
  if (!filled.ok) throw new Error(`the config schema's defaults do not pass it: ${filled.problem.problem}`);
  return filled.value;
}

export const DEFAULT_CONFIG: SolowatchConfig = Object.freeze({
  ...defaults(),
  configFile: null,
  token: null,
  secretKey: null,
});
