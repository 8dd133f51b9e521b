/** The `solowatch` command: parses arguments, runs one command, and returns its exit code. */
import { Command, CommanderError } from 'commander';
import { isConfigError } from '../config/ConfigError.js';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, isCliError } from './CliError.js';
import { registerApplyCommand } from './commands/apply.js';
import { registerClientCommands } from './commands/client.js';
import { registerControlCommands } from './commands/control.js';
import { registerCredentialsCommand } from './commands/credentials.js';
import { registerMigrateStorageCommand } from './commands/migrateStorage.js';
import { registerSchedulesCommand } from './commands/schedules.js';
import { registerServeCommands } from './commands/serve.js';
import { registerSimulateCommand } from './commands/simulate.js';
import { registerTagCommand } from './commands/tag.js';
import type { CliIo } from './io.js';
import { packageVersion } from './version.js';

export function createProgram(io: CliIo): Command {
  const program = new Command('solowatch')
    .description('Watch a fleet of Bitcoin solo miners: history, live dashboard, alerts, restarts.')
    .version(packageVersion(), '-V, --version')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .exitOverride();
  registerServeCommands(program, io);
  registerSimulateCommand(program, io);
  registerClientCommands(program, io);
  registerTagCommand(program, io);
  registerSchedulesCommand(program, io);
  registerCredentialsCommand(program, io);
  registerApplyCommand(program, io);
  registerControlCommands(program, io);
  registerMigrateStorageCommand(program, io);
  for (const command of program.commands) {
    command.exitOverride().configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
    command.showHelpAfterError(`(run \`solowatch ${command.name()} --help\` for usage)`);
  }
  program.addHelpText(
    'after',
    '\nStart with `solowatch demo` to see a simulated fleet, or `solowatch serve` to watch your own.\n' +
      'Exit codes: 0 ok, 1 failure, 2 usage or configuration error.',
  );
  return program;
}

/** Runs the CLI; never throws, always resolves with the exit code. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const program = createProgram(io);
  if (argv.length === 0) {
    io.stderr(program.helpInformation());
    return EXIT_USAGE;
  }
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return EXIT_OK;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version end with code 0; everything else commander refuses is a usage error.
      return error.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
    }
    if (isConfigError(error)) {
      io.stderr(`error: ${error.message}\n`);
      return EXIT_USAGE;
    }
    if (isCliError(error)) {
      io.stderr(`error: ${error.message}\n`);
      return error.exitCode;
    }
    io.stderr(`error: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT_FAILURE;
  }
}
