/** Where the server listens, where data lives, how much it logs. */
import Type, { type TSchemaOptions } from 'typebox';

export const LOG_LEVELS = ['silent', 'error', 'warn', 'info', 'debug'] as const;

/** A setting's text: shells and editors add stray spaces, which would make a bad path or address. */
export const settingText = (options: TSchemaOptions) =>
  Type.String({
    minLength: 1,
    pattern: '^\\S(?:.*\\S)?$',
    'x-expected': 'a non-empty string without spaces at either end',
    ...options,
  });

export const serverSettings = {
  host: settingText({
    default: '127.0.0.1',
    description:
      'Address the API and dashboard listen on. Beyond loopback, every request needs the API token.',
    'x-flag': '--host',
    'x-env': 'SOLOWATCH_HOST',
  }),
  port: Type.Integer({
    minimum: 0,
    maximum: 65_535,
    'x-expected': 'a port number from 0 to 65535',
    default: 8080,
    description: 'Port to listen on; 0 takes any free one.',
    'x-flag': '--port',
    'x-env': 'SOLOWATCH_PORT',
  }),
  dataDir: settingText({
    default: './data',
    description: 'Holds the database and the generated API token; relative to the working directory.',
    'x-flag': '--data-dir',
    'x-env': 'SOLOWATCH_DATA_DIR',
  }),
  logLevel: Type.Enum(LOG_LEVELS, {
    default: 'info',
    description:
      "How much the service logs (to stderr: a readable line on a terminal, one JSON object a line otherwise); 'silent' logs nothing.",
    'x-flag': '--log-level',
    'x-env': 'SOLOWATCH_LOG_LEVEL',
  }),
};

/** Settings that are not in the file: where the file is, and the secret. */
export const outsideSettings = {
  config: settingText({
    description:
      'A JSON or YAML file holding the settings below (.json is read as JSON, anything else as YAML).',
    'x-flag': '--config',
    'x-env': 'SOLOWATCH_CONFIG',
  }),
  token: Type.String({
    minLength: 16,
    pattern: '^\\S+$',
    'x-expected': 'at least 16 characters without spaces',
    'x-secret': true,
    description:
      'The API token. Unset: read from, or generated into, `<dataDir>/token`. Never put it in the file.',
    'x-env': 'SOLOWATCH_TOKEN',
  }),
  secretKey: Type.String({
    pattern: '^(?:[0-9A-Fa-f]{64}|[A-Za-z0-9+/_-]{43}=?)$',
    'x-expected': '32 bytes as 64 hex digits or 44 base64 characters (`openssl rand -base64 32`)',
    'x-secret': true,
    description:
      "The key miners' device logins are sealed with (AES-256-GCM). Unset: read from, or generated into, `<dataDir>/secret.key`. Set the same key on every instance sharing one PostgreSQL database. No flag: a flag shows in `ps`.",
    'x-env': 'SOLOWATCH_SECRET_KEY',
  }),
};
