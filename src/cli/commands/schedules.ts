/**
 * `solowatch schedules [list]`, `schedules add <name> ...`, `schedules remove <name>`: the
 * schedules of a running solowatch. The server checks a new one as it checks the config's
 * (zone, profile, target) and names the flag's field when it refuses.
 */
import type { Command } from 'commander';
import type { ScheduleView } from '../../monitor/schedules/Scheduler.js';
import type { ScheduleInput } from '../../monitor/schedules/ScheduleStore.js';
import { CliError, EXIT_USAGE } from '../CliError.js';
import { collect } from '../flags.js';
import type { CliIo } from '../io.js';
import { addClientOptions, type ClientFlags, clientFor, printJson } from './client.js';

interface AddFlags extends ClientFlags {
  readonly at: string;
  readonly days: string[];
  readonly zone?: string;
  readonly action: string;
  readonly profile?: string;
  readonly tag: string[];
  readonly id: string[];
  readonly all?: boolean;
}

function targetText(target: ScheduleView['target']): string {
  if (target.all === true) return 'all';
  const parts = [...(target.tags ?? []).map((t) => `tag ${t}`), ...(target.ids ?? [])];
  return parts.join(', ');
}

/** One line a schedule: when, what, to whom, next run (ISO, UTC), and where it was written. */
export function schedulesTable(schedules: readonly ScheduleView[]): string {
  if (schedules.length === 0) return 'No schedules.\n';
  const rows = schedules.map((s) => [
    s.name,
    `${s.at} ${s.days === undefined || s.days.length === 0 ? 'every day' : s.days.join(',')} ${s.timeZone}`,
    s.action === 'settings' ? `settings ${s.profile ?? ''}` : s.action,
    targetText(s.target),
    s.nextRunAt === null ? '-' : new Date(s.nextRunAt).toISOString(),
    s.source,
  ]);
  const header = ['NAME', 'AT', 'ACTION', 'TARGET', 'NEXT RUN (UTC)', 'SOURCE'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return `${[header, ...rows].map(line).join('\n')}\n`;
}

export function scheduleInputOfFlags(name: string, flags: AddFlags): ScheduleInput {
  const chosen = [flags.tag.length > 0, flags.id.length > 0, flags.all === true].filter(Boolean).length;
  if (chosen !== 1) throw new CliError('give the target: --tag <tag>, --id <miner id> or --all', EXIT_USAGE);
  return {
    name,
    at: flags.at,
    ...(flags.days.length === 0 ? {} : { days: flags.days }),
    ...(flags.zone === undefined ? {} : { timeZone: flags.zone }),
    action: flags.action,
    ...(flags.profile === undefined ? {} : { profile: flags.profile }),
    target:
      flags.all === true ? { all: true } : flags.tag.length > 0 ? { tags: flags.tag } : { ids: flags.id },
  } as ScheduleInput;
}

export function registerSchedulesCommand(program: Command, io: CliIo): void {
  const schedules = program
    .command('schedules')
    .description('list the schedules of a running solowatch; add or remove those made over the API');

  addClientOptions(
    schedules.command('list', { isDefault: true }).description('list every schedule with its next run'),
  ).action(async (flags: ClientFlags) => {
    const client = await clientFor(io, flags);
    const { schedules: list } = await client.json<{ schedules: ScheduleView[] }>('GET', '/api/schedules');
    if (flags.json === true) return printJson(io, list);
    io.stdout(schedulesTable(list));
  });

  addClientOptions(
    schedules
      .command('add')
      .description('make a schedule (kept by the server in its data directory)')
      .argument('<name>', 'letters, digits, space, . _ -')
      .requiredOption('--at <HH:MM>', 'the time, 24-hour, in --zone')
      .option('--days <days>', 'weekdays, e.g. mon,tue (default every day)', collect, [])
      .option('--zone <zone>', "IANA time zone, e.g. Europe/Berlin (default the server's)")
      .option('--action <action>', 'pause, resume or settings', 'pause')
      .option('--profile <name>', 'the saved profile to apply, for --action settings')
      .option('-t, --tag <tag>', 'act on the miners with this tag (repeatable)', collect, [])
      .option('--id <id>', 'act on this miner (repeatable)', collect, [])
      .option('--all', 'act on every miner')
      .addHelpText(
        'after',
        '\nExamples:\n  solowatch schedules add cheap-power-ends --at 07:00 --days mon,tue,wed,thu,fri \\\n' +
          '    --zone Europe/Berlin --action pause --tag garage\n' +
          '  solowatch schedules add night-eco --at 22:00 --action settings --profile eco --all\n',
      ),
  ).action(async (name: string, flags: AddFlags) => {
    const input = scheduleInputOfFlags(name, flags);
    const client = await clientFor(io, flags);
    const made = await client.json<ScheduleView>('POST', '/api/schedules', input);
    if (flags.json === true) return printJson(io, made);
    io.stdout(`Made schedule ${made.name}; next run ${new Date(made.nextRunAt ?? 0).toISOString()}.\n`);
  });

  addClientOptions(
    schedules
      .command('remove')
      .description('delete a schedule made over the API (the config file’s are edited there)')
      .argument('<name>', 'the schedule'),
  ).action(async (name: string, flags: ClientFlags) => {
    const client = await clientFor(io, flags);
    await client.json<void>('DELETE', `/api/schedules/${encodeURIComponent(name)}`);
    io.stdout(`Removed schedule ${name}.\n`);
  });
}
