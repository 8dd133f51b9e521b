import { type BasicAuth, basicAuthorization } from '../miners/http/basicAuth.js';
import { FaultInjector, type FaultPlan } from './faults.js';
import { ASIC_PRESETS, MinerModel, type MinerModelOptions } from './model.js';
import { hashString, type Random, seededRandom } from './random.js';
import { type SimClock, systemClock } from './types.js';

/** Options every simulated device takes. */
export interface CommonDeviceOptions
  extends Partial<Omit<MinerModelOptions, 'clock' | 'random' | 'mac' | 'hostname'>> {
  /** @default '127.0.0.1' */
  host?: string;
  /** 0 picks a free port. @default 0 */
  port?: number;
  /** @default the wall clock */
  clock?: SimClock;
  /** Seed of the device's random source. @default 1 */
  seed?: number;
  /** Random source; overrides `seed`. */
  random?: Random;
  faults?: FaultPlan | null;
  /** @default derived from the seed */
  id?: string;
  /** @default derived from the seed */
  mac?: string;
  /** @default derived from the kind and MAC */
  hostname?: string;
  /** Delay between a restart command's answer and the reboot. @default 1000 */
  restartDelayMs?: number;
  /**
   * How long the device takes to answer an HTTP request, on the wall clock: an ESP32 on Wi-Fi
   * takes tens to hundreds of ms, loopback none. @default 0
   */
  responseDelayMs?: number;
  /**
   * The HTTP Basic login the device asks for (newer AxeOS builds may): without it every request
   * is a 401 with `WWW-Authenticate: Basic`. HTTP devices only (AxeOS, NerdQAxe). @default none
   */
  auth?: BasicAuth;
}

export interface Prepared {
  readonly host: string;
  readonly port: number;
  readonly random: Random;
  readonly faults: FaultInjector;
  readonly model: MinerModel;
  readonly id: string;
  readonly restartDelayMs: number;
  readonly responseDelayMs: number;
  /** The Authorization header the device wants, or null when it asks none. */
  readonly authorization: string | null;
}

export function macFromSeed(seed: number): string {
  const r = seededRandom(hashString(`mac:${seed}`));
  const bytes = [0x24, 0x58, 0x7c, ...[0, 1, 2].map(() => Math.floor(r() * 256))];
  return bytes.map((b) => b.toString(16).padStart(2, '0').toUpperCase()).join(':');
}

/** Checks the common options and builds the pieces every device kind needs. */
export function prepare(options: CommonDeviceOptions, kind: string, hostnamePrefix: string): Prepared {
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new RangeError(`Expected \`port\` to be an integer in [0, 65535], got ${port}`);
  }
  const seed = options.seed ?? 1;
  if (!Number.isFinite(seed)) throw new RangeError(`Expected \`seed\` to be a finite number, got ${seed}`);
  const restartDelayMs = options.restartDelayMs ?? 1000;
  if (!(restartDelayMs >= 0))
    throw new RangeError(`Expected \`restartDelayMs\` to be >= 0, got ${restartDelayMs}`);
  if (options.auth !== undefined && (options.auth.username === '' || options.auth.username.includes(':'))) {
    throw new RangeError('Expected `auth.username` to be non-empty and without ":"');
  }
  const responseDelayMs = options.responseDelayMs ?? 0;
  if (!(responseDelayMs >= 0 && responseDelayMs <= 60_000))
    throw new RangeError(`Expected \`responseDelayMs\` to be in [0, 60000], got ${responseDelayMs}`);
  const random = options.random ?? seededRandom(hashString(`${kind}:${seed}`));
  const mac = options.mac ?? macFromSeed(seed);
  const hostname = options.hostname ?? `${hostnamePrefix}-${mac.replace(/:/g, '').slice(-4).toLowerCase()}`;
  const preset = ASIC_PRESETS[options.asicModel ?? 'BM1370'];
  const modelOptions: MinerModelOptions = {
    ...(preset
      ? {
          smallCoreCount: preset.smallCoreCount,
          frequencyMhz: preset.frequencyMhz,
          coreVoltageMv: preset.coreVoltageMv,
          joulesPerTh: preset.joulesPerTh,
        }
      : {}),
    ...withoutUndefined(options),
    clock: options.clock ?? systemClock,
    random,
    mac,
    hostname,
  };
  const model = new MinerModel(modelOptions);
  if (options.faults?.mining) model.setMiningFault(options.faults.mining);
  return {
    host,
    port,
    random,
    faults: new FaultInjector(seededRandom(hashString(`faults:${kind}:${seed}`)), options.faults ?? null),
    model,
    id: options.id ?? `${kind}-${seed}`,
    restartDelayMs,
    responseDelayMs,
    authorization: options.auth === undefined ? null : basicAuthorization(options.auth),
  };
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
