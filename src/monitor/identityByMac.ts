/**
 * Identity by MAC (DESIGN "Reading real devices"): a known miner moves to a new address only when
 * the device there is of the same kind and its old address no longer answers with that MAC. Two
 * devices can share a MAC (cloned firmware images, anonymised or zeroed MACs): a Bitaxe that
 * happens to carry an Avalon's MAC is another miner, never the Avalon moved.
 */
import type { MinerKind } from '../miners/MinerSample.js';
import type { DriverRegistryLike } from './deps.js';
import type { MinerEntry } from './MinerEntry.js';

export interface AddressCandidate {
  readonly host: string;
  readonly port: number;
  readonly kind: MinerKind;
  readonly mac: string;
}

/**
 * `move`: the device left its old address for this one. `other_kind`: a different device that
 * shares the MAC. `old_answers`: the old address still answers with the MAC (one device under
 * two names, or two devices of one kind sharing it): nothing moves.
 */
export type MoveVerdict =
  | { readonly verdict: 'move' }
  | { readonly verdict: 'other_kind' | 'old_answers' | 'other_mac'; readonly reason: string };

/** How long the old address is given to show it still answers, when the caller gives no timeout. */
const OLD_ADDRESS_TIMEOUT_MS = 1500;

/**
 * Whether `entry` may move to `candidate`'s address. Asks the old address once (a single short
 * attempt, no retry): silence or another MAC there means the device has left it.
 */
export async function mayMoveTo(
  drivers: Pick<DriverRegistryLike, 'detect'>,
  entry: MinerEntry,
  candidate: AddressCandidate,
  options: { signal?: AbortSignal; timeoutMs?: number } = {},
): Promise<MoveVerdict> {
  const { record } = entry;
  if (candidate.kind !== record.kind) {
    return {
      verdict: 'other_kind',
      reason: `${candidate.host}:${candidate.port} is ${candidate.kind}, ${record.name} is ${record.kind}: another device with the same MAC`,
    };
  }
  if (record.mac === null || record.mac.toUpperCase() !== candidate.mac.toUpperCase()) {
    return { verdict: 'other_mac', reason: `${record.name} is not known by MAC ${candidate.mac}` };
  }
  let oldMac: string | null = null;
  try {
    // The registry's probe: a single attempt through no breaker, whatever kind answers there.
    const { identity } = await drivers.detect(
      { host: record.host, port: record.port },
      {
        timeoutMs: options.timeoutMs ?? OLD_ADDRESS_TIMEOUT_MS,
        maxAttempts: 1,
        ...(options.signal === undefined ? {} : { signal: options.signal }),
      },
    );
    oldMac = identity.mac;
  } catch (error) {
    if (options.signal?.aborted) throw error;
    // Nothing (or no miner) answers at the old address: the device has left it.
  }
  if (oldMac !== null && oldMac.toUpperCase() === candidate.mac.toUpperCase()) {
    return {
      verdict: 'old_answers',
      reason: `${record.host}:${record.port} still answers with MAC ${candidate.mac}: two devices share it`,
    };
  }
  return { verdict: 'move' };
}
