/** `solowatch apply`: one fleet action over many miners (POST /api/actions), optionally followed to its end. */
import { Argument, type Command, InvalidArgumentError, Option } from 'commander';
import { ACTION_KINDS, type ActionView } from '../../monitor/actions/Action.js';
import { CliError, EXIT_FAILURE, EXIT_USAGE } from '../CliError.js';
import { collect } from '../flags.js';
import { table } from '../format.js';
import type { CliIo } from '../io.js';
import { addClientOptions, type ClientFlags, clientFor, printJson } from './client.js';

interface ApplyFlags extends ClientFlags {
  readonly id?: string[];
  readonly tag?: string[];
  readonly all?: boolean;
  readonly settings?: Record<string, unknown>;
  readonly profile?: string;
  readonly canary?: number;
  readonly batchSize?: number;
  readonly halt: boolean;
  readonly wait: boolean;
}

function wholeNumber(min: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min) throw new InvalidArgumentError(`must be a whole number >= ${min}.`);
    return n;
  };
}

function jsonObject(value: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch (error) {
    throw new InvalidArgumentError(`is not JSON: ${(error as Error).message}.`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new InvalidArgumentError('must be a JSON object, e.g. \'{"frequencyMhz":525}\'.');
  }
  return parsed as Record<string, unknown>;
}

/** How often --wait asks for progress. */
const WAIT_POLL_MS = 1000;

export function registerApplyCommand(program: Command, io: CliIo): void {
  addClientOptions(
    program
      .command('apply')
      .description('run one action over many miners: a canary first, then batches, each read back')
      .addArgument(new Argument('<action>', 'what to do').choices(ACTION_KINDS))
      .option('--id <ids>', 'miner ids (comma-separated, repeatable)', collect)
      .option('--tag <tags>', 'miners carrying any of these tags (comma-separated, repeatable)', collect)
      .option('--all', 'every miner')
      .option(
        '--settings <json>',
        'for `settings`: e.g. \'{"frequencyMhz":525,"fan":{"mode":"auto"}}\'',
        jsonObject,
      )
      .option('--profile <id>', 'for `settings`: a saved profile instead of --settings')
      .option('--canary <n>', 'miners tried alone first (default 1; 0 for none)', wholeNumber(0))
      .option('--batch-size <n>', 'miners at a time after the canary (default 5)', wholeNumber(1))
      .option('--no-halt', 'go on after a failure instead of stopping the action')
      .addOption(new Option('--no-wait', 'print the action id and return at once'))
      .addHelpText(
        'after',
        '\nExamples:\n' +
          '  solowatch apply restart --tag garage\n' +
          '  solowatch apply settings --all --settings \'{"fan":{"mode":"auto","targetTempC":60}}\' --batch-size 10\n' +
          '  solowatch apply pause --id 3f2a...,9c1b... --no-wait\n' +
          'Exits 1 when the action halted or a miner failed.',
      ),
  ).action(async (action: string, flags: ApplyFlags) => {
    if (flags.id === undefined && flags.tag === undefined && flags.all !== true) {
      throw new CliError('say which miners: --id, --tag or --all', EXIT_USAGE);
    }
    const client = await clientFor(io, flags);
    const body = {
      action,
      target: {
        ...(flags.id === undefined ? {} : { ids: flags.id }),
        ...(flags.tag === undefined ? {} : { tags: flags.tag }),
        ...(flags.all === true ? { all: true } : {}),
      },
      ...(flags.settings === undefined ? {} : { settings: flags.settings }),
      ...(flags.profile === undefined ? {} : { profile: flags.profile }),
      rollout: {
        haltOnFailure: flags.halt,
        ...(flags.canary === undefined ? {} : { canary: flags.canary }),
        ...(flags.batchSize === undefined ? {} : { batchSize: flags.batchSize }),
      },
    };
    const { id } = await client.json<{ id: string }>('POST', '/api/actions', body);
    if (!flags.wait) {
      if (flags.json === true) return printJson(io, { id });
      io.stdout(`Action ${id} started. Follow it with GET /api/actions/${id}.\n`);
      return;
    }
    let view = await client.json<ActionView>('GET', `/api/actions/${encodeURIComponent(id)}`);
    let shown = '';
    while (view.state === 'running') {
      const line = `${view.counts.verified + view.counts.applied}/${view.miners.length} done, ${view.counts.failed} failed`;
      if (io.interactive && flags.json !== true && line !== shown) io.stderr(`\r${line}`);
      shown = line;
      await new Promise((resolve) => setTimeout(resolve, WAIT_POLL_MS));
      view = await client.json<ActionView>('GET', `/api/actions/${encodeURIComponent(id)}`);
    }
    if (shown !== '' && io.interactive && flags.json !== true) io.stderr('\n');
    if (flags.json === true) printJson(io, view);
    else {
      const rows = view.miners.map((m) => [
        m.minerId,
        m.batch === 0 && view.rollout.canary > 0 ? 'canary' : String(m.batch),
        m.state,
        m.error ?? '',
      ]);
      io.stdout(table(['miner', 'batch', 'state', 'error'], rows));
      const { verified, applied, failed, skipped } = view.counts;
      io.stdout(
        `Action ${view.id} ${view.state}${view.haltReason === null ? '' : `: ${view.haltReason}`}. ` +
          `${verified} verified, ${applied} applied (not read back), ${failed} failed, ${skipped} skipped.\n`,
      );
    }
    if (view.state !== 'completed' || view.counts.failed > 0) {
      throw new CliError(`action ${view.id} ${view.state} with ${view.counts.failed} failed`, EXIT_FAILURE);
    }
  });
}
