export {
  ConfigError,
  DEFAULT_CONFIG,
  isConfigError,
  LOG_LEVELS,
  type LogLevel,
  type MinerSeed,
  type SolowatchConfig,
} from './Config.js';
export { type ConfigFlags, FILE_KEYS, type LoadConfigOptions, loadConfig } from './loadConfig.js';
export { ConfigFileSchema, type ConfigFileSettings, OutsideSchema } from './schema/index.js';
export { generateToken, type ResolvedToken, readTokenFile, resolveToken, TOKEN_FILE } from './token.js';
