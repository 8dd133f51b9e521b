/**
 * Control over cgminer's API (Antminer stock, Avalon, LuxOS, Braiins' cgminer face and plain
 * cgminer), from cgminer's API-README:
 * - pools are read with `pools` and changed with the privileged `addpool|URL,USR,PASS`,
 *   `poolpriority|N,...` (first = primary) and `removepool|N`; a device that does not allow this
 *   host privileged access answers code 45, which surfaces as MINER_REFUSED naming `--api-allow`.
 * - Avalon pauses and resumes with its soft off / soft on (`ascset|0,softoff,1:<epoch s>` and
 *   `ascset|0,softon,1:<epoch s>`, the form Canaan's home-miner API documents).
 * Frequency, voltage, fan and hostname are not offered over this API in a form common to the
 * family, so their capabilities are null and a patch naming them is refused before sending.
 */

import type { Clock } from '../../resilience/index.js';
import type { CgminerClient, CgminerEndpoint, CgminerReply } from '../cgminer/CgminerClient.js';
import { MinerResponseError } from '../errors.js';
import type { CallOptions, MinerEndpoint } from '../MinerDriver.js';
import { isRecord } from '../parse/FieldReader.js';
import type { DeviceCommand, DriverControl, DriverReading } from './DriverControl.js';
import { samePoolUrl } from './poolUrl.js';
import type { Capabilities, DeviceSettings, PoolReading, SettingsPatch } from './settings.js';

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
  readonly pools: readonly CgminerPool[];
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
  return {
    frequencyMhz: null,
    coreVoltageMv: null,
    fan: null,
    pools: raw.pools.map((pool): PoolReading => ({ url: pool.url, user: pool.user, status: pool.status })),
    hostname: null,
    paused: null,
  };
}

function capabilitiesOf(raw: CgminerRaw): Capabilities {
  return {
    frequencyMhz: null,
    coreVoltageMv: null,
    fan: null,
    // Avalon home miners keep three pool slots; cgminer itself takes more.
    pools: { max: raw.avalon ? 3 : 8 },
    hostname: null,
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
    return { avalon: isAvalonVersion(item), pools: poolsOf(pools) };
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
    const wanted = patch.pools;
    if (wanted === undefined) return 'nothing to change';
    const target = this.#target(endpoint);
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
    const reply = await this.#client.command(this.#target(endpoint), 'ascset', `0,${option},1:${when}`, {
      ...options,
      maxAttempts: 1,
    });
    return `ascset ${option}: ${reply.status.message}`;
  }
}
