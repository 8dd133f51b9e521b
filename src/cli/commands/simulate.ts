/** `solowatch simulate`: a fake fleet on this machine, for trying solowatch without miners. */
import { type Command, InvalidArgumentError, Option } from 'commander';
import { runSimulator } from '../../simulator/index.js';
import type { CliIo } from '../io.js';

function integer(min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max)
      throw new InvalidArgumentError(`must be an integer ${min}-${max}.`);
    return n;
  };
}

/** `user:pass`: a made-up login for simulated devices, so it may show in `ps`. */
function login(value: string): { username: string; password: string } {
  const at = value.indexOf(':');
  if (at <= 0) throw new InvalidArgumentError('must be user:password, with a user name before the ":".');
  return { username: value.slice(0, at), password: value.slice(at + 1) };
}

function rate(value: string): number {
  const n = Number(value);
  if (!(n >= 0 && n <= 1)) throw new InvalidArgumentError('must be a number from 0 to 1.');
  return n;
}

export function registerSimulateCommand(program: Command, io: CliIo): void {
  program
    .command('simulate')
    .description('run simulated miners (AxeOS, NerdQAxe, cgminer, Avalon, Whatsminer) until Ctrl-C')
    .option('-c, --count <n>', 'how many devices', integer(1, 1000), 10)
    .addOption(
      new Option('-k, --kind <kind>', 'which devices')
        .choices(['mixed', 'axeos', 'nerdqaxe', 'cgminer', 'avalon', 'whatsminer'])
        .default('mixed'),
    )
    .option('--firmware <release>', "AxeOS release to play, e.g. 2.12, or 'mixed'")
    .option('--fault-rate <p>', 'chance per request of a fault (refusals, resets, 5xx, garbage)', rate, 0)
    .option('--host <addresses>', 'address(es) to listen on, comma-separated', '127.0.0.1')
    .option('--base-port <port>', 'first port; 0 picks free ports', integer(0, 65535), 0)
    .option('--seed <n>', 'seed, for a repeatable fleet', integer(0, 2 ** 31), 1)
    .option('--auth <user:password>', 'AxeOS and NerdQAxe devices ask for this HTTP Basic login', login)
    .addHelpText('after', '\nThen, in another terminal: solowatch add 127.0.0.1 --port <port>')
    .action(
      async (flags: {
        count: number;
        kind: 'mixed' | 'axeos' | 'nerdqaxe' | 'cgminer' | 'avalon' | 'whatsminer';
        firmware?: string;
        faultRate: number;
        host: string;
        basePort: number;
        seed: number;
        auth?: { username: string; password: string };
      }) => {
        await runSimulator({
          count: flags.count,
          kind: flags.kind,
          faultRate: flags.faultRate,
          host: flags.host,
          basePort: flags.basePort,
          seed: flags.seed,
          write: io.stdout,
          ...(flags.firmware === undefined ? {} : { firmware: flags.firmware }),
          ...(flags.auth === undefined ? {} : { auth: flags.auth }),
          onReady: () => io.stderr('Simulated miners are up; press Ctrl-C to stop.\n'),
        });
      },
    );
}
