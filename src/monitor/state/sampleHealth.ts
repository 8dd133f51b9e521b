/**
 * The health a single sample shows against the thresholds: reboot, hashrate against
 * its expected value, reject rate (temperatures: temperatureHealth.ts). Pure helpers of `reduce`.
 */
import type { MinerSample } from '../../miners/MinerSample.js';
import type { StatusThresholds } from '../thresholds.js';
import type { MinerState } from './MinerState.js';

/** The device booted since the last sample: its uptime fell, or is well short of the time passed. */
export function detectReboot(prev: MinerState, uptimeS: number | null, now: number): boolean {
  if (uptimeS === null || prev.uptimeS === null || prev.lastSampleAt === null) return false;
  if (uptimeS < prev.uptimeS) return true;
  // While we were not looking it may have rebooted and run longer than before: its uptime is
  // then well short of what it would be had it kept running.
  const elapsedS = Math.max(0, (now - prev.lastSampleAt) / 1000);
  const toleranceS = 30 + 0.02 * elapsedS;
  return uptimeS + toleranceS < prev.uptimeS + elapsedS;
}

export function isWarmingUp(sample: MinerSample, t: StatusThresholds): boolean {
  return sample.uptimeS !== null && sample.uptimeS < t.warmupS;
}

export function judgeHashrate(
  prev: MinerState,
  sample: MinerSample,
  t: StatusThresholds,
  now: number,
  rebooted: boolean,
  /** Paused or settling after a resume or retune: nothing to judge, and no low spell carried over. */
  quiet = false,
): { active: boolean; since: number | null } {
  if (quiet) return { active: false, since: null };
  const { hashrateGhs: h, expectedHashrateGhs: e } = sample;
  const warmingUp = isWarmingUp(sample, t);
  if (h === null || e === null || !(e > 0) || warmingUp) {
    return {
      active: prev.hashrateLow && !rebooted && !warmingUp,
      since: rebooted ? null : prev.lowHashrateSince,
    };
  }
  if (h >= e * t.hashrateLowRatio) return { active: false, since: null };
  const since = rebooted || prev.lowHashrateSince === null ? now : prev.lowHashrateSince;
  return { active: now - since >= t.hashrateLowForMs, since };
}

export function rejectRateOf(sample: MinerSample, t: StatusThresholds): number | null {
  const accepted = sample.sharesAccepted;
  const rejected = sample.sharesRejected;
  if (accepted === null || rejected === null) return null;
  const total = accepted + rejected;
  if (total <= 0 || total < t.rejectMinShares) return null;
  return rejected / total;
}

export function fmt(value: number | null): string {
  return value === null ? '?' : value.toFixed(1);
}
