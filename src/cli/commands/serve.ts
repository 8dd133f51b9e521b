/** `solowatch serve` and `solowatch demo`: run the app until SIGINT/SIGTERM. */
import type { Command } from 'commander';
import type { ConfigFlags } from '../../config/loadConfig.js';
import type { SolowatchHandle } from '../../main.js';
import type { CliIo } from '../io.js';
import { runDemo } from './demo.js';
import { announce, listenError, loadMain, serveUntilSignal } from './lifecycle.js';

interface ServeFlags extends ConfigFlags {
  readonly printConfig?: boolean;
}

export function addServerOptions(command: Command): Command {
  return command
    .option('--host <address>', 'address to listen on (env SOLOWATCH_HOST)', undefined)
    .option('--port <port>', 'port to listen on, 0 for any free one (env SOLOWATCH_PORT)')
    .option('--data-dir <dir>', 'where the database and token live (env SOLOWATCH_DATA_DIR)')
    .option('--config <file>', 'a JSON or YAML config file (env SOLOWATCH_CONFIG)')
    .option('--log-level <level>', 'silent, error, warn, info or debug (env SOLOWATCH_LOG_LEVEL)');
}

export function registerServeCommands(program: Command, io: CliIo): void {
  addServerOptions(program.command('serve').description('watch your miners: API, dashboard and alerts'))
    .option('--print-config', 'print the settings in effect (token hidden) and exit')
    .addHelpText(
      'after',
      '\nFlags beat environment variables, which beat the config file. The API token comes from\n' +
        'SOLOWATCH_TOKEN, or is generated into <data-dir>/token at first start.',
    )
    .action(async (flags: ServeFlags) => {
      // Loaded when used: the schema's libraries cost every other command's start for nothing.
      const { loadConfig } = await import('../../config/loadConfig.js');
      const config = await loadConfig({ flags, env: io.env, cwd: io.cwd });
      if (flags.printConfig === true) {
        io.stdout(
          `${JSON.stringify({ ...config, token: config.token === null ? null : '(set)' }, null, 2)}\n`,
        );
        return;
      }
      const { cliLogger } = await import('../../log/logger.js');
      const logger = cliLogger(io, config.logLevel);
      let handle: SolowatchHandle;
      try {
        handle = await (await loadMain()).startSolowatch(config, { logger });
      } catch (error) {
        throw listenError(error, config.port) ?? error;
      }
      announce(io, handle);
      await serveUntilSignal(io, () => handle.close());
    });

  addServerOptions(
    program
      .command('demo')
      .description('the dashboard over a simulated fleet, faults included: see everything move'),
  )
    .option('--count <n>', 'simulated miners', '6')
    .option('--seed <n>', 'seed of the simulated fleet', '1')
    .addHelpText(
      'after',
      '\nThe data directory defaults to a fresh temporary one, removed on exit; pass --data-dir to keep it.',
    )
    .action(async (flags: ConfigFlags & { count: string; seed: string }) => {
      await runDemo(io, flags);
    });
}
