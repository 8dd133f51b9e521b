/**
 * Control of ESP-Miner firmware (AxeOS and NerdQAxe) over HTTP, release by release (ESP-Miner's
 * http_server.c, nvs_config.c and system_api_json.c per tag):
 * - settings are read from GET /api/system/info and written with PATCH /api/system, under the
 *   names the info object shows: what the info lists is what the release can set (v2.0 has no
 *   fan or hostname keys, fallbacks arrive in v2.4, `temptarget` in v2.7, `manualFanSpeed` in
 *   v2.11; NerdQAxe's auto-fan target is `pidTargetTemp`).
 * - frequency and voltage menus come from GET /api/system/asic (v2.7+), else from the per-chip
 *   table; NerdQAxe states its own limits (`absMaxFrequency`, `absMaxVoltage`).
 * - POST /api/system/identify from v2.12 (it toggles: a second call within 30 s ends it);
 *   POST /api/system/pause and /resume from v2.14 (`miningPaused` in the info says which).
 */

import { type DriverContext, httpOrigin, portOf, requestOptions } from '../drivers/DriverContext.js';
import { MinerResponseError } from '../errors.js';
import type { RequestOptions } from '../http/HttpSessionManager.js';
import type { CallOptions, MinerEndpoint } from '../MinerDriver.js';
import type { MinerKind } from '../MinerSample.js';
import { isRecord } from '../parse/FieldReader.js';
import { ASIC_MENUS, type AsicMenu } from './asicMenus.js';
import type { DeviceCommand, DriverControl, DriverReading } from './DriverControl.js';
import { espMinerPoolUrl, parsePoolUrl } from './poolUrl.js';
import type {
  Capabilities,
  DeviceSettings,
  FanSetting,
  NumericCapability,
  PoolReading,
  SettingField,
  SettingsPatch,
} from './settings.js';

/** The auto-fan target range the firmware enforces (nvs_config.c, v2.11+: temptarget 35-66). */
const TARGET_RANGE = { min: 35, max: 66 } as const;
const HOSTNAME_MAX = 32;

/** The AxeOS release as major.minor, from `axeOSVersion` (v2.11+) or `version`; null for forks. */
export function axeosMinor(info: Record<string, unknown>): number | null {
  const text = typeof info.axeOSVersion === 'string' ? info.axeOSVersion : info.version;
  if (typeof text !== 'string') return null;
  const match = /^v?2\.(\d+)/.exec(text.trim());
  return match === null ? null : Number(match[1]);
}

interface Release {
  readonly identify: boolean;
  readonly pause: boolean;
  readonly passwords: boolean;
  readonly hasAsicPage: boolean;
  /** Settings that take effect only after a reboot on this release. */
  readonly restartRequiredFor: readonly SettingField[];
}

function releaseOf(kind: MinerKind, info: Record<string, unknown>): Release {
  if (kind === 'nerdqaxe') {
    return {
      identify: false,
      pause: false,
      passwords: true,
      hasAsicPage: false,
      restartRequiredFor: ['frequencyMhz', 'coreVoltageMv', 'pools', 'hostname'],
    };
  }
  const minor = axeosMinor(info) ?? 0;
  return {
    identify: minor >= 12,
    pause: minor >= 14,
    passwords: minor >= 2,
    hasAsicPage: minor >= 7,
    // v2.14 applies a new hostname at once (wifi_apply_hostname); earlier releases on reboot.
    restartRequiredFor:
      minor >= 14
        ? ['frequencyMhz', 'coreVoltageMv', 'pools']
        : ['frequencyMhz', 'coreVoltageMv', 'pools', 'hostname'],
  };
}

const num = (value: unknown): number | null =>
  typeof value === 'number' && Number.isFinite(value)
    ? value
    : typeof value === 'boolean'
      ? value
        ? 1
        : 0
      : null;
const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);

function numbers(value: unknown): number[] {
  return Array.isArray(value)
    ? value.filter((v): v is number => typeof v === 'number' && Number.isFinite(v))
    : [];
}

function menuCapability(
  options: readonly number[],
  fallbackDefault: number | null,
  max?: number | null,
): NumericCapability | null {
  if (options.length === 0 && (max === null || max === undefined)) return null;
  const sorted = [...options].sort((a, b) => a - b);
  return {
    min: sorted[0] ?? Math.round((max ?? 0) / 2),
    max: max ?? (sorted.at(-1) as number),
    options: sorted,
    default: fallbackDefault,
    optionsOnly: false,
  };
}

function fanOf(info: Record<string, unknown>): FanSetting | null {
  const auto = num(info.autofanspeed);
  if (auto === null) return null;
  if (auto !== 0) {
    const target = num(info.temptarget) ?? num(info.pidTargetTemp);
    return target === null ? { mode: 'auto' } : { mode: 'auto', targetTempC: target };
  }
  const percent = num(info.manualFanSpeed) ?? num(info.fanspeed) ?? num(info.fanSpeed);
  return percent === null ? null : { mode: 'manual', percent: Math.round(percent) };
}

function poolsOf(info: Record<string, unknown>): PoolReading[] {
  const out: PoolReading[] = [];
  const add = (prefix: 'stratum' | 'fallbackStratum') => {
    const url = text(info[`${prefix}URL`]);
    const port = num(info[`${prefix}Port`]);
    if (url === null || url.trim() === '' || port === null) return;
    const tls = (num(info[`${prefix}TLS`]) ?? 0) > 0;
    out.push({ url: espMinerPoolUrl(url, port, tls), user: text(info[`${prefix}User`]) ?? '', status: null });
  };
  add('stratum');
  add('fallbackStratum');
  return out;
}

export function readEspMinerSettings(info: Record<string, unknown>): DeviceSettings {
  const paused = info.miningPaused;
  return {
    frequencyMhz: num(info.frequency),
    coreVoltageMv: num(info.coreVoltage),
    fan: fanOf(info),
    // AxeOS's `fanspeed` is the duty in use, whichever mode set it.
    fanPercent: num(info.fanspeed),
    pools: poolsOf(info),
    hostname: text(info.hostname),
    workMode: null,
    paused: typeof paused === 'boolean' ? paused : typeof paused === 'number' ? paused !== 0 : null,
  };
}

export function espMinerCapabilities(
  kind: MinerKind,
  info: Record<string, unknown>,
  asic: Record<string, unknown> | null,
): Capabilities {
  const release = releaseOf(kind, info);
  const table: AsicMenu | undefined = ASIC_MENUS[text(info.ASICModel) ?? ''];
  let frequency: NumericCapability | null;
  let voltage: NumericCapability | null;
  let source: string;
  if (asic !== null && numbers(asic.frequencyOptions).length > 0) {
    frequency = menuCapability(numbers(asic.frequencyOptions), num(asic.defaultFrequency));
    voltage = menuCapability(numbers(asic.voltageOptions), num(asic.defaultVoltage));
    source = '/api/system/asic';
  } else if (kind === 'nerdqaxe' && num(info.absMaxFrequency) !== null) {
    frequency = menuCapability(
      table?.frequencyMhz ?? [],
      num(info.defaultFrequency),
      num(info.absMaxFrequency),
    );
    voltage = menuCapability(
      table?.coreVoltageMv ?? [],
      num(info.defaultCoreVoltage),
      num(info.absMaxVoltage),
    );
    source = '/api/system/info (absMaxFrequency, absMaxVoltage)';
  } else {
    frequency = table === undefined ? null : menuCapability(table.frequencyMhz, table.defaultFrequencyMhz);
    voltage = table === undefined ? null : menuCapability(table.coreVoltageMv, table.defaultCoreVoltageMv);
    source = `table:${text(info.ASICModel) ?? 'unknown'}`;
  }
  const hasFan = 'autofanspeed' in info;
  const targetKey = targetKeyOf(info);
  return {
    frequencyMhz: 'frequency' in info ? frequency : null,
    coreVoltageMv: 'coreVoltage' in info ? voltage : null,
    fan: hasFan
      ? {
          auto: true,
          targetTempC:
            targetKey === null ? null : { ...TARGET_RANGE, options: [], default: 60, optionsOnly: false },
          manualPercent: { min: 0, max: 100, options: [], default: null, optionsOnly: false },
        }
      : null,
    pools: 'stratumURL' in info ? { max: 'fallbackStratumURL' in info ? 2 : 1 } : null,
    hostname: 'hostname' in info ? { maxLength: HOSTNAME_MAX } : null,
    workModes: null,
    commands: { pause: release.pause, resume: release.pause, identify: release.identify, restart: true },
    restartRequiredFor: release.restartRequiredFor,
    source,
  };
}

function targetKeyOf(info: Record<string, unknown>): 'temptarget' | 'pidTargetTemp' | null {
  if ('temptarget' in info) return 'temptarget';
  if ('pidTargetTemp' in info) return 'pidTargetTemp';
  return null;
}

/** The PATCH /api/system body for a checked patch, in the names this release reads. */
export function espMinerPatchBody(
  kind: MinerKind,
  patch: SettingsPatch,
  info: Record<string, unknown>,
): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  if (patch.frequencyMhz !== undefined) body.frequency = patch.frequencyMhz;
  if (patch.coreVoltageMv !== undefined) body.coreVoltage = patch.coreVoltageMv;
  if (patch.hostname !== undefined) body.hostname = patch.hostname;
  const fan = patch.fan;
  if (fan !== undefined) {
    if (fan.mode === 'auto') {
      body.autofanspeed = 1;
      const key = targetKeyOf(info);
      if (fan.targetTempC !== undefined && key !== null) body[key] = fan.targetTempC;
    } else {
      body.autofanspeed = 0;
      body['manualFanSpeed' in info ? 'manualFanSpeed' : 'fanspeed'] = fan.percent;
    }
  }
  if (patch.pools !== undefined) {
    const slots: ('stratum' | 'fallbackStratum')[] = ['stratum', 'fallbackStratum'];
    const passwords = releaseOf(kind, info).passwords;
    slots.forEach((prefix, i) => {
      if (prefix === 'fallbackStratum' && !('fallbackStratumURL' in info)) return;
      const pool = patch.pools?.[i];
      if (pool === undefined) {
        // A list shorter than the device's slots clears the rest: the list replaces the device's.
        body[`${prefix}URL`] = '';
        body[`${prefix}User`] = '';
        return;
      }
      const address = parsePoolUrl(pool.url);
      if (address === null) return;
      body[`${prefix}URL`] = address.host;
      body[`${prefix}Port`] = address.port;
      body[`${prefix}User`] = pool.user;
      if (pool.password !== undefined && passwords) body[`${prefix}Password`] = pool.password;
      if (`${prefix}TLS` in info) body[`${prefix}TLS`] = address.scheme === 'stratum+ssl' ? 1 : 0;
    });
  }
  return body;
}

const COMMAND_PATHS: Readonly<Record<DeviceCommand, string>> = {
  pause: '/api/system/pause',
  resume: '/api/system/resume',
  identify: '/api/system/identify',
};

export class EspMinerControl implements DriverControl {
  readonly #context: DriverContext;
  readonly #kind: MinerKind;

  constructor(kind: MinerKind, context: DriverContext) {
    this.#kind = kind;
    this.#context = context;
  }

  #origin(endpoint: MinerEndpoint): string {
    return httpOrigin(endpoint.host, portOf(endpoint, 80));
  }

  /** The call's options, with the miner's Basic credentials when it has them. */
  #options(
    endpoint: MinerEndpoint,
    options: CallOptions | undefined,
    extra: RequestOptions = {},
  ): RequestOptions {
    const base = requestOptions(options, endpoint);
    return { ...base, ...extra, headers: { ...base.headers, ...extra.headers } };
  }

  async #info(endpoint: MinerEndpoint, options: CallOptions | undefined): Promise<Record<string, unknown>> {
    const url = `${this.#origin(endpoint)}/api/system/info`;
    const info = await this.#context.http.getJson(url, this.#options(endpoint, options));
    if (!isRecord(info)) {
      throw new MinerResponseError(`GET ${url}: expected a JSON object`, { target: url, status: 'shape' });
    }
    return info;
  }

  async #asic(
    endpoint: MinerEndpoint,
    options: CallOptions | undefined,
  ): Promise<Record<string, unknown> | null> {
    try {
      const asic = await this.#context.http.getJson(
        `${this.#origin(endpoint)}/api/system/asic`,
        this.#options(endpoint, options, { maxAttempts: 1 }),
      );
      return isRecord(asic) ? asic : null;
    } catch (error) {
      if (options?.signal?.aborted) throw error;
      // A release without the page (or a fork) falls back to the per-chip table.
      return null;
    }
  }

  async read(endpoint: MinerEndpoint, options?: CallOptions): Promise<DriverReading> {
    const info = await this.#info(endpoint, options);
    const asic = releaseOf(this.#kind, info).hasAsicPage ? await this.#asic(endpoint, options) : null;
    return {
      settings: readEspMinerSettings(info),
      capabilities: espMinerCapabilities(this.#kind, info, asic),
      raw: info,
    };
  }

  async write(
    endpoint: MinerEndpoint,
    patch: SettingsPatch,
    current: DriverReading,
    options?: CallOptions,
  ): Promise<string> {
    // The body's names depend on the release: the info read just before says which it is.
    const info = isRecord(current.raw) ? current.raw : {};
    const body = espMinerPatchBody(this.#kind, patch, info);
    const response = await this.#context.http.request(
      'PATCH',
      `${this.#origin(endpoint)}/api/system`,
      this.#options(endpoint, options, {
        maxAttempts: 1,
        body: JSON.stringify(body),
        headers: { 'content-type': 'application/json' },
      }),
    );
    return `PATCH /api/system: ${response.status}`;
  }

  async command(endpoint: MinerEndpoint, command: DeviceCommand, options?: CallOptions): Promise<string> {
    const response = await this.#context.http.request(
      'POST',
      `${this.#origin(endpoint)}${COMMAND_PATHS[command]}`,
      this.#options(endpoint, options, { maxAttempts: 1 }),
    );
    const body = response.text().trim();
    try {
      const parsed: unknown = JSON.parse(body);
      if (isRecord(parsed) && typeof parsed.message === 'string') return parsed.message;
    } catch {
      // Plain text answers are shown as they are.
    }
    return body === '' ? `${command} accepted` : body.slice(0, 200);
  }
}
