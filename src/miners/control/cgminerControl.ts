/**
 * Control over cgminer's API (Antminer stock, Avalon, LuxOS, Braiins' cgminer face and plain
 * cgminer), from cgminer's API-README:
 * - pools are read with `pools` and changed with the privileged `addpool|URL,USR,PASS`,
 *   `poolpriority|N,...` (first = primary) and `removepool|N`; a device that does not allow this
 *   host privileged access answers code 45, which surfaces as MINER_REFUSED naming `--api-allow`.
 * - Avalon pauses and resumes with its soft off / soft on (`ascset|0,softoff,1:<epoch s>` and
 *   `ascset|0,softon,1:<epoch s>`, the form Canaan's home-miner API documents), and sets its work
 *   mode and fan with `ascset` too (avalonSettings.ts), read back from its `estats`.
 * Frequency, voltage and hostname are not offered over this API in a form common to the family,
 * so their capabilities are null and a patch naming them is refused before sending.
 */

import type { Clock } from '../../resilience/index.js';
import type { CgminerClient, CgminerEndpoint, CgminerReply } from '../cgminer/CgminerClient.js';
import { type EstatsValue, estatsNumber } from '../cgminer/estats.js';
import { avalonPaused } from '../drivers/avalonReading.js';
import { readEstats } from '../drivers/cgminerSample.js';
import { MinerResponseError } from '../errors.js';
import type { CallOptions, MinerEndpoint } from '../MinerDriver.js';
import { isRecord } from '../parse/FieldReader.js';
import {
  AVALON_FAN_AUTO,
  AVALON_FAN_CAPABILITY,
  avalonWorkMode,
  avalonWorkModes,
  isAscsetRefusal,
} from './avalonSettings.js';
import type { DeviceCommand, DriverControl, DriverReading } from './DriverControl.js';
import { samePoolUrl } from './poolUrl.js';
import type { Capabilities, DeviceSettings, PoolReading, PoolSetting, SettingsPatch } from './settings.js';

const CGMINER_PORT = 4028;

interface CgminerPool {
  readonly id: number;
  readonly url: string;
  readonly user: string;
  readonly priority: number;
  readonly status: string | null;
}

interface CgminerRaw {
  readonly avalon: boolean;
  /** The `version` MODEL (`Nano3s`, `Q`, `15-194`), which names an Avalon's work modes. */
  readonly model: string;
  readonly pools: readonly CgminerPool[];
  /** An Avalon's first MM module from `estats`; undefined elsewhere. */
  readonly module: Readonly<Record<string, EstatsValue>> | undefined;
}

/** True for Avalon builds, by the `version` item (as the restart strategy decides). */
export function isAvalonVersion(version: Record<string, unknown>): boolean {
  return /avalon|nano/i.test(`${version.PROD ?? ''} ${version.MODEL ?? ''} ${version.Type ?? ''}`);
}

function items(reply: CgminerReply, section: string): Record<string, unknown>[] {
  const list = reply.data[section];
  return Array.isArray(list) ? list.filter(isRecord) : [];
}

function poolsOf(reply: CgminerReply): CgminerPool[] {
  return items(reply, 'POOLS')
    .map((item) => ({
      id: typeof item.POOL === 'number' ? item.POOL : Number(item.POOL),
      url: typeof item.URL === 'string' ? item.URL : '',
      user: typeof item.User === 'string' ? item.User : '',
      priority: typeof item.Priority === 'number' ? item.Priority : Number(item.Priority ?? 0),
      status: typeof item.Status === 'string' ? item.Status : null,
    }))
    .filter((pool) => Number.isInteger(pool.id) && pool.url !== '')
    .sort((a, b) => a.priority - b.priority);
}

/** cgminer's parameter escaping: `\` and `,` inside a value get a backslash. */
export function escapeParameter(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/,/g, '\\,');
}

function settingsOf(raw: CgminerRaw): DeviceSettings {
  const duty = raw.module?.FanR;
  return {
    frequencyMhz: null,
    coreVoltageMv: null,
    // An Avalon says the duty in use (fanPercent), never whether its fan is automatic.
    fan: null,
    fanPercent: duty === undefined ? null : estatsNumber(duty),
    pools: raw.pools.map((pool): PoolReading => ({ url: pool.url, user: pool.user, status: pool.status })),
    hostname: null,
    workMode: avalonWorkMode(raw.module),
    paused: avalonPaused(raw.module),
  };
}

function capabilitiesOf(raw: CgminerRaw): Capabilities {
  return {
    frequencyMhz: null,
    coreVoltageMv: null,
    fan: raw.avalon && raw.module !== undefined ? AVALON_FAN_CAPABILITY : null,
    // Avalon home miners keep three pool slots; cgminer itself takes more.
    pools: { max: raw.avalon ? 3 : 8 },
    hostname: null,
    workModes: raw.avalon ? avalonWorkModes(raw.model, raw.module) : null,
    commands: { pause: raw.avalon, resume: raw.avalon, identify: false, restart: true },
    restartRequiredFor: [],
    source: raw.avalon ? 'cgminer API (Avalon)' : 'cgminer API',
  };
}

export class CgminerControl implements DriverControl {
  readonly #client: CgminerClient;
  readonly #clock: Clock;

  constructor(client: CgminerClient, clock: Clock) {
    this.#client = client;
    this.#clock = clock;
  }

  #target(endpoint: MinerEndpoint): CgminerEndpoint {
    return { host: endpoint.host, port: endpoint.port > 0 ? endpoint.port : CGMINER_PORT };
  }

  async #raw(endpoint: MinerEndpoint, options: CallOptions | undefined): Promise<CgminerRaw> {
    const target = this.#target(endpoint);
    const version = await this.#client.command(target, 'version', undefined, options ?? {});
    const pools = await this.#client.command(target, 'pools', undefined, options ?? {});
    const item = items(version, 'VERSION')[0] ?? {};
    const avalon = isAvalonVersion(item);
    const module = avalon
      ? readEstats(await this.#client.command(target, 'estats', undefined, options ?? {}))[0]
      : undefined;
    const model = typeof item.MODEL === 'string' ? item.MODEL : '';
    return { avalon, model, pools: poolsOf(pools), module };
  }

  /** Sends one `ascset` once; a refusal the firmware words as info or a warning is an error too. */
  async #ascset(
    target: CgminerEndpoint,
    parameter: string,
    options: CallOptions | undefined,
  ): Promise<string> {
    const reply = await this.#client.command(target, 'ascset', parameter, { ...options, maxAttempts: 1 });
    if (isAscsetRefusal(reply.status.message)) {
      throw new MinerResponseError(`ascset ${parameter}: the miner answered "${reply.status.message}"`, {
        status: reply.status.status,
      });
    }
    return `ascset ${parameter}: ${reply.status.message}`;
  }

  async read(endpoint: MinerEndpoint, options?: CallOptions): Promise<DriverReading> {
    const raw = await this.#raw(endpoint, options);
    return { settings: settingsOf(raw), capabilities: capabilitiesOf(raw), raw };
  }

  /**
   * Adds the pools the device lacks, orders them with `poolpriority`, then removes the rest.
   * Each command is sent once; a failure part way leaves what the read-back shows.
   */
  async write(
    endpoint: MinerEndpoint,
    patch: SettingsPatch,
    current: DriverReading,
    options?: CallOptions,
  ): Promise<string> {
    const target = this.#target(endpoint);
    const done: string[] = [];
    if (patch.workMode !== undefined) {
      done.push(await this.#ascset(target, `0,workmode,set,${patch.workMode}`, options));
    }
    if (patch.fan !== undefined) {
      const duty = patch.fan.mode === 'auto' ? AVALON_FAN_AUTO : patch.fan.percent;
      done.push(await this.#ascset(target, `0,fan-spd,${duty}`, options));
    }
    if (patch.pools !== undefined) done.push(await this.#writePools(target, patch.pools, current, options));
    return done.length === 0 ? 'nothing to change' : done.join('; ');
  }

  async #writePools(
    target: CgminerEndpoint,
    wanted: readonly PoolSetting[],
    current: DriverReading,
    options: CallOptions | undefined,
  ): Promise<string> {
    const once = { ...options, maxAttempts: 1 };
    const before = (current.raw as CgminerRaw).pools;
    const done: string[] = [];
    const find = (pools: readonly CgminerPool[], url: string, user: string) =>
      pools.find((pool) => samePoolUrl(pool.url, url) && pool.user === user);
    for (const pool of wanted) {
      // A pool already there is kept, unless a new password must reach it.
      if (pool.password === undefined && find(before, pool.url, pool.user) !== undefined) continue;
      const parameter = [pool.url, pool.user, pool.password ?? 'x'].map(escapeParameter).join(',');
      await this.#client.command(target, 'addpool', parameter, once);
      done.push(`addpool ${pool.url}`);
    }
    const now = poolsOf(await this.#client.command(target, 'pools', undefined, options ?? {}));
    // The newest pool with that address and user (an added one comes last).
    const ids = wanted.map((pool) => {
      const matches = now.filter((p) => samePoolUrl(p.url, pool.url) && p.user === pool.user);
      const id = matches.map((p) => p.id).sort((a, b) => b - a)[0];
      if (id === undefined)
        throw new MinerResponseError(`addpool did not add ${pool.url}`, { status: 'addpool' });
      return id;
    });
    await this.#client.command(target, 'poolpriority', ids.join(','), once);
    done.push(`poolpriority ${ids.join(',')}`);
    // Highest id first, so the ids still to remove do not shift.
    for (const pool of [...now].filter((p) => !ids.includes(p.id)).sort((a, b) => b.id - a.id)) {
      try {
        await this.#client.command(target, 'removepool', String(pool.id), once);
        done.push(`removepool ${pool.id}`);
      } catch (error) {
        // cgminer refuses to remove the pool it is mining on until the switch has happened; the
        // read-back shows it as left over.
        if (!(error instanceof MinerResponseError)) throw error;
        done.push(`removepool ${pool.id} refused: ${error.message}`);
      }
    }
    return done.join('; ');
  }

  async command(endpoint: MinerEndpoint, command: DeviceCommand, options?: CallOptions): Promise<string> {
    if (command === 'identify') throw new MinerResponseError('identify is not offered over the cgminer API');
    const when = Math.floor(this.#clock.now() / 1000);
    const option = command === 'pause' ? 'softoff' : 'softon';
    return this.#ascset(this.#target(endpoint), `0,${option},1:${when}`, options);
  }
}
