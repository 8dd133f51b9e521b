/**
 * Proof-of-work health: a miner that reports hashrate H (H/s) at pool difficulty D finds accepted
 * shares as a Poisson process of rate H / (D 2^32). Two tests run on every sample, over
 * counters the device already reports (AxeOS `sharesAccepted`, cgminer `Accepted`):
 * - the stall: no share since the last one, where lambda were expected: P = exp(-lambda);
 * - the window: k shares since the window began, where lambda were expected: P(K <= k).
 * Either below `pValue` makes the miner `not_hashing`. Only `hashrateCredit` of the reported
 * hashrate is believed (devices round, average and overstate), which makes a false alarm from an
 * honest but optimistic miner astronomically unlikely while a zombie (no shares at all) is still
 * found after about 14 / credit expected shares. Pure: state in, state out.
 */
import type { MinerSample } from '../../miners/MinerSample.js';
import { HASHES_PER_DIFFICULTY } from '../odds/soloOdds.js';
import { poissonCdf } from './poisson.js';
import type { PowSettings } from './settings.js';

export interface PowState {
  /** The last sample taken into account, or null when nothing is anchored. */
  readonly at: number | null;
  readonly accepted: number;
  /** Expected (credited) shares per second at that sample. */
  readonly rate: number;
  /** Expected shares since the last accepted share. */
  readonly stallExpected: number;
  readonly stallSince: number;
  readonly windowSince: number;
  readonly windowAccepted: number;
  readonly windowExpected: number;
}

export const EMPTY_POW: PowState = Object.freeze({
  at: null,
  accepted: 0,
  rate: 0,
  stallExpected: 0,
  stallSince: 0,
  windowSince: 0,
  windowAccepted: 0,
  windowExpected: 0,
});

export interface PowVerdict {
  readonly state: PowState;
  /** False when this sample could not be judged (warm-up, reset, missing counters). */
  readonly judged: boolean;
  readonly notHashing: boolean;
  /** The smaller of the two tests' probabilities, when judged. */
  readonly probability: number | null;
  /** Why, in words, when not hashing. */
  readonly detail: string | null;
}

/** Expected shares per second for a hashrate in GH/s at pool difficulty D. */
export function shareRate(hashrateGhs: number, poolDifficulty: number): number {
  return (hashrateGhs * 1e9) / (poolDifficulty * HASHES_PER_DIFFICULTY);
}

function anchored(now: number, accepted: number, rate: number): PowState {
  return {
    at: now,
    accepted,
    rate,
    stallExpected: 0,
    stallSince: now,
    windowSince: now,
    windowAccepted: 0,
    windowExpected: 0,
  };
}

const UNJUDGED = (state: PowState): PowVerdict => ({
  state,
  judged: false,
  notHashing: false,
  probability: null,
  detail: null,
});

export interface PowInput {
  readonly sample: MinerSample;
  readonly now: number;
  /** The device booted since the last sample: its counters started again. */
  readonly rebooted: boolean;
  /** Its averages and counters are still settling (uptime below the warm-up). */
  readonly warmingUp: boolean;
}

/** Judges one sample against the anchored history; see the file comment. */
export function judgePow(prev: PowState, input: PowInput, settings: PowSettings): PowVerdict {
  const { sample, now } = input;
  const h = sample.hashrateGhs;
  const d = sample.poolDifficulty;
  const accepted = sample.sharesAccepted;
  if (!settings.enabled || h === null || d === null || accepted === null || !(d > 0) || !(h >= 0)) {
    return UNJUDGED(EMPTY_POW);
  }
  const rate = shareRate(h, d) * settings.hashrateCredit;
  if (
    prev.at === null ||
    input.rebooted ||
    input.warmingUp ||
    accepted < prev.accepted ||
    now <= prev.at ||
    now - prev.at > settings.maxGapMs
  ) {
    // A new anchor: a boot, a counter reset, a long gap or the first sample. Nothing to judge yet.
    return UNJUDGED(anchored(now, accepted, rate));
  }
  const expected = ((prev.rate + rate) / 2) * ((now - prev.at) / 1000);
  const found = accepted - prev.accepted;
  const stallExpected = found > 0 ? 0 : prev.stallExpected + expected;
  const stallSince = found > 0 ? now : prev.stallSince;
  const windowAccepted = prev.windowAccepted + found;
  const windowExpected = prev.windowExpected + expected;
  const pStall = Math.exp(-stallExpected);
  const pWindow = windowAccepted >= windowExpected ? 1 : poissonCdf(windowAccepted, windowExpected);
  const probability = Math.min(pStall, pWindow);
  const notHashing = probability < settings.pValue;
  // The window starts again once it holds enough expected shares, unless it is the evidence.
  const roll = windowExpected >= settings.windowShares && pWindow >= settings.pValue;
  const state: PowState = {
    at: now,
    accepted,
    rate,
    stallExpected,
    stallSince,
    windowSince: roll ? now : prev.windowSince,
    windowAccepted: roll ? 0 : windowAccepted,
    windowExpected: roll ? 0 : windowExpected,
  };
  let detail: string | null = null;
  if (notHashing) {
    const credit = settings.hashrateCredit;
    detail =
      pStall <= pWindow
        ? `no accepted share for ${minutes(now - stallSince)} where its reported hashrate would find about ${Math.round(stallExpected / credit)} (P = ${probability.toExponential(1)})`
        : `${windowAccepted} accepted shares in ${minutes(now - prev.windowSince)} where its reported hashrate would find about ${Math.round(windowExpected / credit)} (P = ${probability.toExponential(1)})`;
  }
  return { state, judged: true, notHashing, probability, detail };
}

function minutes(ms: number): string {
  const s = Math.round(ms / 1000);
  return s < 120 ? `${s} s` : `${Math.round(s / 60)} min`;
}
