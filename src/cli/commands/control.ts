/** Commands that act on one miner through a running solowatch: settings, pause, resume, identify. */
import { type Command, InvalidArgumentError } from 'commander';
import type {
  ApplyResult,
  CommandResult,
  DeviceSettings,
  FanSetting,
  PoolSetting,
  SettingsPatch,
  SettingsReading,
} from '../../monitor/control/MinerControl.js';
import { CliError } from '../CliError.js';
import type { CliIo } from '../io.js';
import { addClientOptions, type ClientFlags, clientFor, printJson } from './client.js';

interface SettingsFlags extends ClientFlags {
  readonly frequency?: number;
  readonly voltage?: number;
  readonly fan?: FanSetting;
  readonly targetTemp?: number;
  readonly pool?: PoolSetting[];
  readonly hostname?: string;
}

function positiveNumber(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('must be a positive number.');
  return n;
}

/** `auto`, or a fixed duty 0-100 (`70` or `70%`). */
export function parseFan(value: string): FanSetting {
  if (value.trim().toLowerCase() === 'auto') return { mode: 'auto' };
  const n = Number(value.trim().replace(/%$/, ''));
  if (!Number.isInteger(n) || n < 0 || n > 100) {
    throw new InvalidArgumentError('must be `auto` or a fan speed 0-100 (percent).');
  }
  return { mode: 'manual', percent: n };
}

/** `url,user[,password]`; repeated, primary first. */
export function parsePool(value: string, previous: PoolSetting[] | undefined): PoolSetting[] {
  const [url = '', user, ...rest] = value.split(',');
  if (url.trim() === '' || user === undefined || user.trim() === '') {
    throw new InvalidArgumentError(
      'must be url,user or url,user,password (e.g. stratum+tcp://pool:3333,bc1q...)',
    );
  }
  const password = rest.length > 0 ? rest.join(',') : undefined;
  const pool: PoolSetting = {
    url: url.trim(),
    user: user.trim(),
    ...(password === undefined ? {} : { password }),
  };
  return [...(previous ?? []), pool];
}

function patchOf(flags: SettingsFlags): SettingsPatch {
  let fan = flags.fan;
  if (flags.targetTemp !== undefined) {
    if (fan !== undefined && fan.mode === 'manual') {
      throw new InvalidArgumentError('--target-temp goes with --fan auto, not a fixed speed.');
    }
    fan = { mode: 'auto', targetTempC: flags.targetTemp };
  }
  return {
    ...(flags.frequency === undefined ? {} : { frequencyMhz: flags.frequency }),
    ...(flags.voltage === undefined ? {} : { coreVoltageMv: flags.voltage }),
    ...(fan === undefined ? {} : { fan }),
    ...(flags.pool === undefined ? {} : { pools: flags.pool }),
    ...(flags.hostname === undefined ? {} : { hostname: flags.hostname }),
  };
}

function describeFan(fan: FanSetting | null): string {
  if (fan === null) return '-';
  if (fan.mode === 'manual') return `${fan.percent}%`;
  return fan.targetTempC === undefined ? 'auto' : `auto, target ${fan.targetTempC} °C`;
}

export function formatSettings(settings: DeviceSettings): string {
  const lines = [
    `frequency  ${settings.frequencyMhz ?? '-'} MHz`,
    `voltage    ${settings.coreVoltageMv ?? '-'} mV`,
    `fan        ${describeFan(settings.fan)}`,
    `hostname   ${settings.hostname ?? '-'}`,
    `paused     ${settings.paused === null ? '-' : settings.paused ? 'yes' : 'no'}`,
    ...settings.pools.map((pool, i) => `${i === 0 ? 'pool      ' : 'fallback  '} ${pool.url} ${pool.user}`),
  ];
  return `${lines.join('\n')}\n`;
}

export function registerControlCommands(program: Command, io: CliIo): void {
  addClientOptions(
    program
      .command('settings')
      .description("show a miner's settings, or change some (written, read back and compared)")
      .argument('<id>', 'the miner id, as `solowatch list` shows it')
      .option('--frequency <mhz>', 'ASIC frequency in MHz', positiveNumber)
      .option('--voltage <mv>', 'ASIC core voltage in mV', positiveNumber)
      .option('--fan <auto|percent>', 'fan: `auto`, or a fixed speed 0-100', parseFan)
      .option(
        '--target-temp <celsius>',
        'the temperature auto fan aims at (implies --fan auto)',
        positiveNumber,
      )
      .option('--pool <url,user[,password]>', 'a pool, primary first; repeat for fallbacks', parsePool)
      .option('--hostname <name>', "the device's hostname"),
  ).action(async (id: string, flags: SettingsFlags) => {
    const client = await clientFor(io, flags);
    const path = `/api/miners/${encodeURIComponent(id)}/settings`;
    const patch = patchOf(flags);
    if (Object.keys(patch).length === 0) {
      const reading = await client.json<SettingsReading>('GET', path);
      if (flags.json === true) return printJson(io, reading);
      io.stdout(formatSettings(reading.settings));
      return;
    }
    const result = await client.json<ApplyResult>('PATCH', path, patch);
    if (flags.json === true) return printJson(io, result);
    const lines = [`Applied: ${result.applied.length === 0 ? 'nothing' : result.applied.join(', ')}.`];
    for (const m of result.mismatches) {
      lines.push(
        `Did not take: ${m.field} (asked ${JSON.stringify(m.wanted)}, device has ${JSON.stringify(m.got)}).`,
      );
    }
    if (result.restartRequired) lines.push(`Takes effect after a restart: \`solowatch restart ${id}\`.`);
    io.stdout(`${lines.join('\n')}\n${formatSettings(result.readBack)}`);
    if (result.mismatches.length > 0) {
      throw new CliError(`${result.mismatches.length} setting(s) did not read back as written`, 1);
    }
  });

  const commands = [
    ['pause', 'stop hashing (AxeOS v2.14+, Avalon soft off)'],
    ['resume', 'start hashing again after a pause'],
    ['identify', 'make the device say "Hi!" (AxeOS v2.12+; a second call within 30 s stops it)'],
  ] as const;
  for (const [name, description] of commands) {
    addClientOptions(
      program
        .command(name)
        .description(description)
        .argument('<id>', 'the miner id, as `solowatch list` shows it'),
    ).action(async (id: string, flags: ClientFlags) => {
      const client = await clientFor(io, flags);
      const result = await client.json<CommandResult>(
        'POST',
        `/api/miners/${encodeURIComponent(id)}/${name}`,
      );
      if (flags.json === true) return printJson(io, result);
      io.stdout(`${name} sent to ${id}: ${result.detail}\n`);
    });
  }
}
