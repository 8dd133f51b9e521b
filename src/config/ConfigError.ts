/** Apart from the schema, so that what only reports config errors (the CLI) does not load it. */

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
