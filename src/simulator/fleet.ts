import type { BasicAuth } from '../miners/http/basicAuth.js';
import { startAxeosDevice } from './axeosDevice.js';
import { AXEOS_RELEASES } from './axeosReleases.js';
import { startCgminerDevice } from './cgminerDevice.js';
import type { CgminerVariant } from './cgminerReplies.js';
import type { FaultPlan } from './faults.js';
import { startNerdQaxeDevice } from './nerdqaxeDevice.js';
import { hashString, seededRandom } from './random.js';
import type { DeviceKind, SimClock, SimulatedDevice } from './types.js';

export type FleetKind = DeviceKind | 'mixed';

export interface FleetOptions {
  count: number;
  /** @default 'axeos' */
  kind?: FleetKind;
  /** AxeOS release for every AxeOS device; 'mixed' spreads them over all releases. @default '2.15' */
  firmware?: string;
  /** Fault plan given to every device (each keeps its own request count and random). */
  faults?: FaultPlan | null;
  /** One address, or several (for example 127.0.0.1 ... 127.0.0.50) used in turn. @default '127.0.0.1' */
  host?: string | readonly string[];
  /** First port, or 0 for free ports. With several hosts, each host's devices count up from it. @default 0 */
  basePort?: number;
  /** Seed of the whole fleet; each device derives its own. @default 1 */
  seed?: number;
  clock?: SimClock;
  /** Hostnames, by index; the rest are derived. */
  names?: readonly string[];
  /** Passed to every device. @default 1000 */
  restartDelayMs?: number;
  /** How long every HTTP device takes to answer, in ms (see CommonDeviceOptions). @default 0 */
  responseDelayMs?: number;
  /** The Basic login every AxeOS and NerdQAxe device asks for (see CommonDeviceOptions). */
  auth?: BasicAuth;
}

export interface Fleet {
  readonly devices: readonly SimulatedDevice[];
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

const MIXED: readonly DeviceKind[] = [
  'axeos',
  'axeos',
  'axeos',
  'nerdqaxe',
  'cgminer',
  'avalon',
  'whatsminer',
];

/**
 * In a mixed fleet, the cgminer and Avalon places go round the firmwares of the real replies
 * (test/fixtures/devices), the plain ones first: the n-th cgminer device plays the n-th entry.
 */
const MIXED_VARIANTS: Readonly<Record<'cgminer' | 'avalon', readonly CgminerVariant[]>> = {
  cgminer: ['cgminer', 'antminer', 'luxos', 'braiins'],
  avalon: ['avalon', 'avalon-nano3s', 'avalon-q', 'avalon-a1246', 'avalon-a15'],
};

function variantOf(kind: DeviceKind, index: number, mixed: boolean): CgminerVariant {
  if (kind === 'whatsminer') return 'whatsminer';
  const family = kind === 'avalon' ? 'avalon' : 'cgminer';
  if (!mixed) return family;
  const variants = MIXED_VARIANTS[family];
  return variants[Math.floor(index / MIXED.length) % variants.length] ?? family;
}

/** Starts `count` devices; on any failure, the ones already started are closed again. */
export async function startFleet(options: FleetOptions): Promise<Fleet> {
  const { count } = options;
  if (!Number.isInteger(count) || count < 0)
    throw new RangeError(`Expected \`count\` to be a non-negative integer, got ${count}`);
  const kind = options.kind ?? 'axeos';
  if (![...MIXED, 'mixed'].includes(kind)) throw new RangeError(`Unknown fleet kind ${JSON.stringify(kind)}`);
  const hosts = typeof options.host === 'string' ? [options.host] : [...(options.host ?? ['127.0.0.1'])];
  if (hosts.length === 0) throw new RangeError('Expected `host` to name at least one address');
  const basePort = options.basePort ?? 0;
  const fleetSeed = options.seed ?? 1;
  const pick = seededRandom(hashString(`fleet:${fleetSeed}`));
  const devices: SimulatedDevice[] = [];
  const close = async () => {
    await Promise.all(devices.map((d) => d.close()));
  };
  try {
    const http = options.auth === undefined ? {} : { auth: options.auth };
    // Started in batches: thousands of listen() calls at once only make the event loop stutter.
    for (let start = 0; start < count; start += 100) {
      const batch: Promise<SimulatedDevice>[] = [];
      for (let i = start; i < Math.min(count, start + 100); i += 1) {
        const deviceKind = kind === 'mixed' ? (MIXED[i % MIXED.length] ?? 'axeos') : kind;
        const seed = hashString(`${fleetSeed}:${i}`);
        const name = options.names?.[i];
        const common = {
          id: `sim-${i + 1}`,
          host: hosts[i % hosts.length] ?? '127.0.0.1',
          port: basePort === 0 ? 0 : basePort + Math.floor(i / hosts.length),
          seed,
          initialUptimeSeconds: Math.floor(600 + pick() * 5 * 86_400),
          initialBestDiff: Math.floor(1e7 * 10 ** (pick() * 3)),
          restartDelayMs: options.restartDelayMs ?? 1000,
          ...(options.responseDelayMs ? { responseDelayMs: options.responseDelayMs } : {}),
          ...(options.clock ? { clock: options.clock } : {}),
          ...(options.faults ? { faults: options.faults } : {}),
          ...(name ? { hostname: name } : {}),
        };
        if (deviceKind === 'axeos') {
          const firmware =
            options.firmware === 'mixed' ? AXEOS_RELEASES[i % AXEOS_RELEASES.length] : options.firmware;
          batch.push(startAxeosDevice({ ...common, ...http, ...(firmware ? { firmware } : {}) }));
        } else if (deviceKind === 'nerdqaxe') {
          batch.push(startNerdQaxeDevice({ ...common, ...http }));
        } else {
          batch.push(startCgminerDevice({ ...common, variant: variantOf(deviceKind, i, kind === 'mixed') }));
        }
      }
      const settled = await Promise.allSettled(batch);
      for (const result of settled) if (result.status === 'fulfilled') devices.push(result.value);
      const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) throw failed.reason;
    }
  } catch (error) {
    await close();
    throw error;
  }
  return { devices, close, [Symbol.asyncDispose]: close };
}
