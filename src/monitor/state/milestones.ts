/**
 * The reducer's sample-to-sample comparisons that are news rather than health: best difficulty
 * (session and all-time, and whether it is plausible), blocks, and pool settings (a hijack shows
 * up here first). Pure helpers of `reduce`; each pushes its events and returns the value to keep.
 */
import type { MinerSample } from '../../miners/MinerSample.js';
import { HASHES_PER_DIFFICULTY } from '../odds/soloOdds.js';
import type { MinerState, StateEvent } from './MinerState.js';
import { probabilityOfBest } from './poisson.js';

export function judgeBest(
  prev: MinerState,
  sample: MinerSample,
  rebooted: boolean,
  events: StateEvent[],
): { session: number | null; allTime: number | null } {
  const session = sample.sessionBestDifficulty;
  const prevSession = rebooted ? null : prev.sessionBest;
  if (session !== null && prevSession !== null && session > prevSession) {
    events.push({
      type: 'best_difficulty_session',
      severity: 'info',
      message: `New session best difficulty ${formatDifficulty(session)}`,
      data: { difficulty: session, previous: prevSession },
    });
  }
  const candidate = maxOf(sample.bestDifficulty, session);
  let allTime = prev.allTimeBest;
  if (candidate !== null && (allTime === null || candidate > allTime)) {
    // The very first reading of a miner sets the record without calling it news.
    if (allTime !== null || prev.lastSampleAt !== null) {
      events.push({
        type: 'best_difficulty_all_time',
        severity: 'info',
        message: `New all-time best difficulty ${formatDifficulty(candidate)}`,
        data: { difficulty: candidate, previous: allTime },
      });
    }
    allTime = candidate;
  }
  return { session: session ?? prevSession, allTime };
}

export function judgeBlocks(
  prev: MinerState,
  sample: MinerSample,
  rebooted: boolean,
  events: StateEvent[],
): number | null {
  const found = sample.blocksFound;
  if (found !== null && prev.blocksFound !== null && found > prev.blocksFound) {
    events.push({
      type: 'block_found',
      severity: 'critical',
      message: `Block found! (${found - prev.blocksFound} new, ${found} in total)`,
      data: { blocksFound: found, previous: prev.blocksFound, blockHeight: sample.blockHeight },
    });
    return found;
  }
  // Devices without a block counter: a share at or above the network difficulty is a block.
  const session = sample.sessionBestDifficulty;
  const network = sample.networkDifficulty;
  const prevSession = rebooted ? null : prev.sessionBest;
  if (
    found === null &&
    session !== null &&
    network !== null &&
    network > 0 &&
    session >= network &&
    (prevSession === null || prevSession < network) &&
    prev.lastSampleAt !== null
  ) {
    events.push({
      type: 'block_found',
      severity: 'critical',
      message: `Block found! A share of difficulty ${formatDifficulty(session)} beat the network's ${formatDifficulty(network)}`,
      data: { difficulty: session, networkDifficulty: network, blockHeight: sample.blockHeight },
    });
  }
  return found ?? prev.blocksFound;
}

export function judgePool(
  prev: MinerState,
  sample: MinerSample,
  events: StateEvent[],
): { url: string | null; user: string | null } {
  const url = sample.poolUrl ?? prev.poolUrl;
  const user = sample.poolUser ?? prev.poolUser;
  const urlChanged = prev.poolUrl !== null && sample.poolUrl !== null && sample.poolUrl !== prev.poolUrl;
  const userChanged = prev.poolUser !== null && sample.poolUser !== null && sample.poolUser !== prev.poolUser;
  if (urlChanged || userChanged) {
    const what = [
      urlChanged ? `pool ${prev.poolUrl} -> ${sample.poolUrl}` : null,
      userChanged ? `user ${prev.poolUser} -> ${sample.poolUser}` : null,
    ]
      .filter((part) => part !== null)
      .join(', ');
    events.push({
      type: 'pool_changed',
      severity: 'critical',
      message: `Pool settings changed (${what}); if you did not do this, the miner may be hijacked`,
      data: { fromUrl: prev.poolUrl, toUrl: url, fromUser: prev.poolUser, toUser: user },
    });
  }
  return { url, user };
}

/**
 * A session best too good for the work done since boot: with W = H x uptime / 2^32 units of
 * difficulty-1 work, P(best >= B) = 1 - exp(-W / B). Flagged once per session, below `pValue`.
 * Returns whether it is flagged now.
 */
export function judgeBestPlausible(
  flagged: boolean,
  sample: MinerSample,
  pValue: number,
  events: StateEvent[],
): boolean {
  const best = sample.sessionBestDifficulty;
  const h = sample.hashrateGhs;
  const uptime = sample.uptimeS;
  if (flagged || best === null || h === null || uptime === null || !(best > 0) || !(h > 0) || uptime <= 0) {
    return flagged;
  }
  const work = (h * 1e9 * uptime) / HASHES_PER_DIFFICULTY;
  const p = probabilityOfBest(work, best);
  if (p >= pValue) return false;
  events.push({
    type: 'best_difficulty_implausible',
    severity: 'warning',
    message: `Session best difficulty ${formatDifficulty(best)} is implausible for ${Math.round(uptime / 60)} min at ${h.toFixed(1)} GH/s (P = ${p.toExponential(1)}); the device's counters or hashrate are wrong`,
    data: { difficulty: best, work, probability: p },
  });
  return true;
}

function maxOf(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return Math.max(a, b);
}

const SUFFIXES = ['', 'k', 'M', 'G', 'T', 'P', 'E'];

/** 1234567 -> "1.23M": the way miners show difficulty. */
export function formatDifficulty(value: number): string {
  let scaled = value;
  let index = 0;
  while (scaled >= 1000 && index < SUFFIXES.length - 1) {
    scaled /= 1000;
    index += 1;
  }
  return index === 0 ? String(Math.round(scaled)) : `${scaled.toFixed(2)}${SUFFIXES[index]}`;
}
