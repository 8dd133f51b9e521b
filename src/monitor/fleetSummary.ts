/** Fleet totals from the miners' latest samples: a pure function of what the manager holds. */
import type { MinerSample } from '../miners/MinerSample.js';
import { computeSoloOdds, type KnownDifficulty } from './odds/soloOdds.js';
import type { FleetSummary, MinerStatus } from './types.js';

export interface FleetMember {
  readonly id: string;
  readonly status: MinerStatus;
  readonly enabled: boolean;
  readonly lastSample: MinerSample | null;
  readonly bestDifficulty: number | null;
}

const COUNTED_UP: ReadonlySet<MinerStatus> = new Set(['online', 'degraded', 'restarting']);

export function fleetSummary(
  members: Iterable<FleetMember>,
  difficulty: KnownDifficulty | null,
): FleetSummary {
  let total = 0;
  let online = 0;
  let degraded = 0;
  let offline = 0;
  let hashrate = 0;
  let expected = 0;
  let power = 0;
  // J/TH divides like by like: the power and hashrate of the miners that report both (issue 11: a
  // mixed fleet showed 13.3 J/TH where its powered miners ran at 190).
  let poweredW = 0;
  let poweredHashrate = 0;
  let accepted = 0;
  let rejected = 0;
  let best: number | null = null;
  let bestId: string | null = null;
  for (const member of members) {
    total += 1;
    if (member.status === 'online') online += 1;
    else if (member.status === 'degraded') degraded += 1;
    else if (member.status === 'offline' || member.status === 'breaker_open') offline += 1;
    if (member.bestDifficulty !== null && (best === null || member.bestDifficulty > best)) {
      best = member.bestDifficulty;
      bestId = member.id;
    }
    const sample = member.lastSample;
    // Only miners answering now add hashrate: a dead miner's last reading would flatter the fleet.
    if (sample === null || !member.enabled || !COUNTED_UP.has(member.status)) continue;
    hashrate += sample.hashrateGhs ?? 0;
    expected += sample.expectedHashrateGhs ?? 0;
    power += sample.powerW ?? 0;
    if (sample.powerW !== null && sample.powerW > 0 && sample.hashrateGhs !== null) {
      poweredW += sample.powerW;
      poweredHashrate += sample.hashrateGhs;
    }
    accepted += sample.sharesAccepted ?? 0;
    rejected += sample.sharesRejected ?? 0;
  }
  const efficiencyJth = poweredW > 0 && poweredHashrate > 0 ? poweredW / (poweredHashrate / 1000) : null;
  return {
    miners: { total, online, degraded, offline },
    hashrateGhs: hashrate,
    expectedHashrateGhs: expected,
    powerW: power,
    efficiencyJth,
    bestDifficulty: best,
    bestDifficultyMinerId: bestId,
    sharesAccepted: accepted,
    sharesRejected: rejected,
    soloOdds: difficulty === null ? null : computeSoloOdds(hashrate, difficulty),
  };
}
