/** Commands that talk to a running solowatch over HTTP: add, list, restart, stats, reset-breaker, discover. */
import { resolve } from 'node:path';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { readTokenFile } from '../../config/token.js';
import type { DiscoveredMiner, DiscoverProgress, MinerView, RestartStatus } from '../../monitor/types.js';
import { ApiClient } from '../ApiClient.js';
import { CliError } from '../CliError.js';
import { collect } from '../flags.js';
import { type BreakerRow, breakersTable, minersTable, progressBar, table } from '../format.js';
import type { CliIo } from '../io.js';
import { addLoginOptions, type LoginFlags, loginOf } from './credentials.js';

export interface ClientFlags {
  readonly url?: string;
  readonly dataDir?: string;
  readonly json?: boolean;
}

export function addClientOptions(command: Command): Command {
  return command
    .option('--url <url>', 'where solowatch answers (env SOLOWATCH_URL)', undefined)
    .option('--data-dir <dir>', 'the server data directory, to read its token (env SOLOWATCH_DATA_DIR)')
    .option('--json', 'print JSON instead of a table');
}

export async function clientFor(io: CliIo, flags: ClientFlags): Promise<ApiClient> {
  const port = io.env.SOLOWATCH_PORT ?? '8080';
  const url = flags.url ?? io.env.SOLOWATCH_URL ?? `http://127.0.0.1:${port}`;
  const dataDir = resolve(io.cwd, flags.dataDir ?? io.env.SOLOWATCH_DATA_DIR ?? './data');
  const fromEnv = io.env.SOLOWATCH_TOKEN?.trim();
  const token =
    fromEnv !== undefined && fromEnv !== '' ? fromEnv : await readTokenFile(dataDir).catch(() => null);
  const tokenHint =
    `set SOLOWATCH_TOKEN, or pass --data-dir pointing at the server's data directory ` +
    `(looked for ${resolve(dataDir, 'token')})`;
  return new ApiClient({ url, token, tokenHint, fetch: io.fetch });
}

function parsePort(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 65535)
    throw new InvalidArgumentError('must be a port number 1-65535.');
  return n;
}

export function printJson(io: CliIo, value: unknown): void {
  io.stdout(`${JSON.stringify(value, null, 2)}\n`);
}

export function registerClientCommands(program: Command, io: CliIo): void {
  addClientOptions(
    addLoginOptions(program.command('add'))
      .description('add a miner to a running solowatch')
      .argument('<host>', 'the miner address, e.g. 192.168.1.40')
      .option('-p, --port <port>', 'its API port (default: the kind’s usual port)', parsePort)
      .addOption(
        new Option('-k, --kind <kind>', 'what it is (default: detect)').choices([
          'auto',
          'axeos',
          'nerdqaxe',
          'cgminer',
          'whatsminer',
        ]),
      )
      .option('-n, --name <name>', 'a name to show instead of the address')
      .option('-t, --tag <tags>', 'tags to give it (comma-separated, repeatable)', collect)
      .option('--no-verify', 'store it without reaching it first'),
  ).action(
    async (
      host: string,
      flags: ClientFlags &
        LoginFlags & { port?: number; kind?: string; name?: string; tag?: string[]; verify: boolean },
    ) => {
      const login = await loginOf(io, flags);
      const client = await clientFor(io, flags);
      const body = {
        host,
        verify: flags.verify,
        ...(flags.port === undefined ? {} : { port: flags.port }),
        ...(flags.kind === undefined ? {} : { kind: flags.kind }),
        ...(flags.name === undefined ? {} : { name: flags.name }),
        ...(flags.tag === undefined ? {} : { tags: [...new Set(flags.tag)] }),
        ...(login === undefined ? {} : { credentials: login }),
      };
      const miner = await client.json<MinerView>('POST', '/api/miners', body);
      if (flags.json === true) return printJson(io, miner);
      io.stdout(`Added ${miner.name} (${miner.kind} at ${miner.host}:${miner.port}) as ${miner.id}.\n`);
    },
  );

  addClientOptions(program.command('list').description('list the miners and their state')).action(
    async (flags: ClientFlags) => {
      const client = await clientFor(io, flags);
      const { miners } = await client.json<{ miners: MinerView[] }>('GET', '/api/miners');
      if (flags.json === true) return printJson(io, miners);
      io.stdout(minersTable(miners));
    },
  );

  addClientOptions(
    program
      .command('restart')
      .description('restart a miner (confirmed when its uptime resets)')
      .argument('<id>', 'the miner id, as `solowatch list` shows it'),
  ).action(async (id: string, flags: ClientFlags) => {
    const client = await clientFor(io, flags);
    const status = await client.json<RestartStatus>('POST', `/api/miners/${encodeURIComponent(id)}/restart`);
    if (flags.json === true) return printJson(io, status);
    io.stdout(
      `Restart of ${status.minerId} sent: ${status.detail}. Watch \`solowatch list\` for it to come back.\n`,
    );
  });

  addClientOptions(program.command('stats').description('show every circuit breaker and its counts')).action(
    async (flags: ClientFlags) => {
      const client = await clientFor(io, flags);
      const stats = await client.json<Record<string, BreakerRow>>('GET', '/api/resilience');
      if (flags.json === true) return printJson(io, stats);
      io.stdout(breakersTable(stats, Date.now()));
    },
  );

  addClientOptions(
    program
      .command('reset-breaker')
      .description('close a circuit breaker so calls go through again')
      .argument('<name>', 'the breaker name, as `solowatch stats` shows it'),
  ).action(async (name: string, flags: ClientFlags) => {
    const client = await clientFor(io, flags);
    const result = await client.json<{ name: string; stats: BreakerRow }>(
      'POST',
      `/api/resilience/breakers/${encodeURIComponent(name)}/reset`,
    );
    if (flags.json === true) return printJson(io, result);
    io.stdout(`Breaker ${result.name} reset: now ${result.stats.state}.\n`);
  });

  addClientOptions(
    program
      .command('discover')
      .description('scan an address range for miners')
      .argument('<target>', 'a range such as 192.168.1.0/24, or one address'),
  ).action(async (target: string, flags: ClientFlags) => {
    const client = await clientFor(io, flags);
    let miners: DiscoveredMiner[] | null = null;
    let drawn = false;
    for await (const line of client.lines('POST', '/api/discover', { target }, 330_000)) {
      const item = line as { type: string } & Partial<DiscoverProgress> & {
          miners?: DiscoveredMiner[];
          error?: { code: string; message: string };
        };
      if (item.type === 'progress' && io.interactive && flags.json !== true) {
        io.stderr(`\r${progressBar(item as DiscoverProgress)}`);
        drawn = true;
      } else if (item.type === 'result') {
        miners = item.miners ?? [];
      } else if (item.type === 'error') {
        if (drawn) io.stderr('\n');
        throw new CliError(`discovery failed: ${item.error?.message} (${item.error?.code})`);
      }
    }
    if (drawn) io.stderr('\n');
    if (miners === null) throw new CliError('discovery ended without a result; see the server log');
    if (flags.json === true) return printJson(io, miners);
    if (miners.length === 0) return io.stdout(`No miners found in ${target}.\n`);
    const rows = miners.map((m) => [
      `${m.host}:${m.port}`,
      m.kind,
      m.hostname ?? '-',
      m.mac ?? '-',
      m.firmware ?? '-',
      m.knownMinerId === null
        ? `new: solowatch add ${m.host} --port ${m.port}`
        : `watched as ${m.knownMinerId}`,
    ]);
    io.stdout(table(['address', 'kind', 'hostname', 'mac', 'firmware', ''], rows));
  });
}
