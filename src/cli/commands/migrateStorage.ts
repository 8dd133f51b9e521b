/**
 * `solowatch migrate-storage --from sqlite:PATH --to postgres:URL`: copies a home install's
 * history into PostgreSQL, with progress on stderr, resumable (run it again after a stop), and a
 * table of row counts at the end that must match.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { TableCount } from '../../storage/postgres/copyFromSqlite.js';
import { checkDatabaseUrl } from '../../storage/postgres/serverName.js';
import { CliError, EXIT_USAGE } from '../CliError.js';
import type { CliIo } from '../io.js';

interface MigrateFlags {
  readonly from: string;
  readonly to: string;
  readonly schema?: string;
  readonly chunk: string;
}

function sqlitePath(from: string, cwd: string): string {
  if (!from.startsWith('sqlite:')) {
    throw new CliError(
      `--from must be sqlite:PATH (the solowatch.db file), got ${JSON.stringify(from)}`,
      EXIT_USAGE,
    );
  }
  const path = resolve(cwd, from.slice('sqlite:'.length));
  if (!existsSync(path)) throw new CliError(`--from: no database file at ${path}`, EXIT_USAGE);
  return path;
}

function postgresUrl(to: string): string {
  const url = to.startsWith('postgres:postgres') ? to.slice('postgres:'.length) : to;
  try {
    return checkDatabaseUrl(url, '--to');
  } catch (error) {
    throw new CliError(
      `${(error as Error).message} (write it as postgres:postgres://user@host:5432/db)`,
      EXIT_USAGE,
    );
  }
}

function countTable(counts: readonly TableCount[]): string {
  const width = Math.max(...counts.map((c) => c.table.length));
  const lines = counts.map(
    (c) =>
      `  ${c.table.padEnd(width)}  ${String(c.source).padStart(10)}  ${String(c.target).padStart(10)}  ${c.source === c.target ? 'ok' : 'DIFFERENT'}`,
  );
  return `  ${'table'.padEnd(width)}  ${'sqlite'.padStart(10)}  ${'postgres'.padStart(10)}\n${lines.join('\n')}\n`;
}

export function registerMigrateStorageCommand(program: Command, io: CliIo): void {
  program
    .command('migrate-storage')
    .description("copy a SQLite install's history into PostgreSQL (resumable)")
    .requiredOption('--from <sqlite:PATH>', 'the SQLite database, e.g. sqlite:data/solowatch.db')
    .requiredOption(
      '--to <postgres:URL>',
      'the PostgreSQL database, e.g. postgres:postgres://solo@db:5432/farm',
    )
    .option('--schema <name>', "schema for the tables in PostgreSQL (default: the user's search_path)")
    .option('--chunk <rows>', 'rows per transaction', '20000')
    .addHelpText(
      'after',
      '\nStop solowatch first (or let it keep writing SQLite and run this again to copy the rest).\n' +
        'A copy that stops resumes where it stopped; the counts at the end must match.',
    )
    .action(async (flags: MigrateFlags) => {
      const path = sqlitePath(flags.from, io.cwd);
      const url = postgresUrl(flags.to);
      const chunk = Number(flags.chunk);
      if (!Number.isSafeInteger(chunk) || chunk < 1) {
        throw new CliError(`--chunk must be a whole number >= 1, got ${flags.chunk}`, EXIT_USAGE);
      }
      // Loaded here: the other commands never need the PostgreSQL client.
      const { openDatabase } = await import('../../storage/openDatabase.js');
      const { copyFromSqlite } = await import('../../storage/postgres/copyFromSqlite.js');
      const { PostgresStorage } = await import('../../storage/postgres/PostgresStorage.js');
      const source = openDatabase({
        path,
        busyTimeoutMs: 1000,
        synchronous: 'NORMAL',
        cacheSizeKiB: 16_384,
        now: Date.now(),
      }).db;
      const target = new PostgresStorage({ url, schema: flags.schema ?? null, retentionIntervalMs: 0 });
      try {
        await target.initialize();
        io.stderr(`copying ${path} into ${target.server}\n`);
        let shown = '';
        const counts = await copyFromSqlite(source, target.client, {
          chunk,
          onProgress: ({ table, copied, total }) => {
            const line = `${table}: ${copied} / ${total}${total === 0 ? '' : ` (${Math.floor((copied / total) * 100)} %)`}`;
            if (line === shown) return;
            shown = line;
            io.stderr(io.interactive ? `\r\x1b[K${line}` : `${line}\n`);
          },
        });
        if (io.interactive) io.stderr('\n');
        io.stdout(countTable(counts));
        const different = counts.filter((c) => c.source !== c.target);
        if (different.length > 0) {
          throw new CliError(
            `row counts differ in ${different.map((c) => c.table).join(', ')}: the target held rows before the copy, or solowatch wrote to it meanwhile`,
          );
        }
        io.stdout('all counts match.\n');
      } finally {
        source.close();
        await target.close();
      }
    });
}
