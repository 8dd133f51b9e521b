/** Where the history lives: the embedded SQLite file, or a PostgreSQL server a farm shares. */
import Type from 'typebox';

export const STORAGE_KINDS = ['sqlite', 'postgres'] as const;

export const storageSettings = {
  storage: Type.Object(
    {
      kind: Type.Enum(STORAGE_KINDS, {
        default: 'sqlite',
        description:
          '`sqlite`: `<dataDir>/solowatch.db`. `postgres`: the server at `url`, which several instances may share (docs/OPERATIONS.md, Farms).',
      }),
      url: Type.Optional(
        Type.String({
          pattern: '^postgres(ql)?://\\S+$',
          'x-expected': 'a URL like postgres://user:password@host:5432/database',
          'x-secret': true,
          description:
            'The PostgreSQL server (kind `postgres`); SOLOWATCH_DATABASE_URL sets it and the kind. Messages name it without its password.',
        }),
      ),
      schema: Type.Optional(
        Type.String({
          pattern: '^[a-z_][a-z0-9_]{0,62}$',
          'x-expected': 'a lower-case SQL name (letters, digits, _)',
          description:
            "Schema for solowatch's tables in PostgreSQL, created when missing; unset: the user's default.",
        }),
      ),
    },
    {
      additionalProperties: false,
      default: { kind: 'sqlite' },
      description: 'Where the history is stored.',
    },
  ),
};

/** Only the environment gives it: a URL with a password has no place on a command line or in a file. */
export const databaseUrlSetting = {
  databaseUrl: Type.String({
    pattern: '^postgres(ql)?://\\S+$',
    'x-expected': 'a URL like postgres://user:password@host:5432/database',
    'x-secret': true,
    'x-env': 'SOLOWATCH_DATABASE_URL',
    description: 'Stores the history in this PostgreSQL server (storage kind `postgres` with this `url`).',
  }),
};
