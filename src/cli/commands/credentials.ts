/**
 * `solowatch credentials <id> --user U --password-file F | --clear`: sets or removes a miner's
 * device login through a running solowatch. The password comes from a file or the
 * SOLOWATCH_MINER_PASSWORD environment variable, never from a flag: a command line shows in `ps`.
 * `add --user U --password-file F` reads the login the same way.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { MinerView } from '../../monitor/types.js';
import { CliError, EXIT_USAGE } from '../CliError.js';
import type { CliIo } from '../io.js';
import { addClientOptions, type ClientFlags, clientFor, printJson } from './client.js';

export const PASSWORD_ENV = 'SOLOWATCH_MINER_PASSWORD';

export interface LoginFlags {
  readonly user?: string;
  readonly passwordFile?: string;
}

/** The two flags, for `add` and `credentials` alike. */
export function addLoginOptions(command: Command): Command {
  return command
    .option('--user <name>', "the device's own login name (HTTP Basic, for AxeOS builds that ask)")
    .option(
      '--password-file <file>',
      `a file whose first line is the device's password (or set ${PASSWORD_ENV}; no flag takes the password itself: it would show in ps)`,
    );
}

/** The login the flags give, or undefined without --user. */
export async function loginOf(
  io: CliIo,
  flags: LoginFlags,
): Promise<{ username: string; password: string } | undefined> {
  if (flags.user === undefined) {
    if (flags.passwordFile !== undefined) throw new CliError('--password-file needs --user', EXIT_USAGE);
    return undefined;
  }
  if (flags.passwordFile !== undefined) {
    let text: string;
    try {
      text = await readFile(resolve(io.cwd, flags.passwordFile), 'utf8');
    } catch (error) {
      throw new CliError(
        `cannot read the password file ${flags.passwordFile}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
        EXIT_USAGE,
      );
    }
    return { username: flags.user, password: text.split(/\r?\n/)[0] ?? '' };
  }
  const fromEnv = io.env[PASSWORD_ENV];
  if (fromEnv === undefined)
    throw new CliError(`--user needs the password: --password-file FILE or ${PASSWORD_ENV}`, EXIT_USAGE);
  return { username: flags.user, password: fromEnv };
}

export function registerCredentialsCommand(program: Command, io: CliIo): void {
  addClientOptions(
    addLoginOptions(
      program
        .command('credentials')
        .description("set or remove a miner's device login (write-only: it is never shown back)")
        .argument('<id>', 'the miner id, as `solowatch list` shows it'),
    )
      .option('--clear', 'remove the login')
      .addHelpText(
        'after',
        '\nExamples:\n  solowatch credentials 3f2a --user admin --password-file ./bitaxe.pass\n' +
          `  ${PASSWORD_ENV}=... solowatch credentials 3f2a --user admin\n` +
          '  solowatch credentials 3f2a --clear\n',
      ),
  ).action(async (id: string, flags: ClientFlags & LoginFlags & { clear?: boolean }) => {
    const login = await loginOf(io, flags);
    if (flags.clear === true && login !== undefined)
      throw new CliError('--clear removes the login: give it no --user', EXIT_USAGE);
    if (flags.clear !== true && login === undefined)
      throw new CliError('give --user (with --password-file or the environment), or --clear', EXIT_USAGE);
    const client = await clientFor(io, flags);
    const miner = await client.json<MinerView>('PATCH', `/api/miners/${encodeURIComponent(id)}`, {
      credentials: login ?? null,
    });
    if (flags.json === true) return printJson(io, miner);
    io.stdout(
      `${miner.name} (${miner.id}) has ${miner.hasCredentials ? 'a device login' : 'no device login'}.\n`,
    );
  });
}
