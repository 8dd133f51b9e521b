/**
 * The status policy: a pure function from (previous state, poll result, thresholds, now) to
 * (new state, events, conditions). No I/O, no clock: everything it knows arrives as arguments,
 * so every transition is a table-driven unit test.
 */
import type { MinerSample } from '../miners/MinerSample.js';
import type { Severity } from '../storage/Storage.js';
import { formatDifficulty, judgeBest, judgeBlocks, judgePool } from './statusMilestones.js';
import type { StatusThresholds } from './thresholds.js';
import type { MinerStatus } from './types.js';

/** Conditions that hold for a while and clear; alerts follow them one-to-one. */
export type ConditionName = 'offline' | 'overheating' | 'hashrate_low' | 'reject_rate_high';

export type PolicyEventType =
  | 'went_offline'
  | 'came_back'
  | 'rebooted'
  | 'overheating'
  | 'overheating_cleared'
  | 'hashrate_low'
  | 'hashrate_recovered'
  | 'reject_rate_high'
  | 'reject_rate_normal'
  | 'best_difficulty_session'
  | 'best_difficulty_all_time'
  | 'block_found'
  | 'pool_changed';

export interface PolicyEvent {
  readonly type: PolicyEventType;
  readonly severity: Severity;
  readonly message: string;
  readonly data: Readonly<Record<string, unknown>>;
}

export type PollResult =
  | { readonly kind: 'sample'; readonly sample: MinerSample }
  | { readonly kind: 'error'; readonly message: string }
  | { readonly kind: 'breaker_open'; readonly retryAfterMs: number };

export interface PolicyContext {
  readonly now: number;
  readonly thresholds: StatusThresholds;
  /** A restart we sent is awaiting confirmation: failures and a reboot are expected. */
  readonly restarting: boolean;
}

export interface PolicyState {
  readonly status: MinerStatus;
  readonly reason: string | null;
  readonly consecutiveFailures: number;
  readonly lastSampleAt: number | null;
  readonly uptimeS: number | null;
  readonly lowHashrateSince: number | null;
  readonly overheating: boolean;
  readonly hashrateLow: boolean;
  readonly rejectRateHigh: boolean;
  readonly sessionBest: number | null;
  /** Our all-time best (from storage at start), so it survives device reboots. */
  readonly allTimeBest: number | null;
  readonly blocksFound: number | null;
  readonly poolUrl: string | null;
  readonly poolUser: string | null;
}

export interface PolicyOutput {
  readonly state: PolicyState;
  readonly events: readonly PolicyEvent[];
  /** The conditions this poll could observe (an offline poll says nothing about temperature). */
  readonly conditions: Readonly<Partial<Record<ConditionName, boolean>>>;
  /** The device booted since the last sample (expected or not). */
  readonly rebooted: boolean;
}

export function initialPolicyState(allTimeBest: number | null = null): PolicyState {
  return {
    status: 'unknown',
    reason: null,
    consecutiveFailures: 0,
    lastSampleAt: null,
    uptimeS: null,
    lowHashrateSince: null,
    overheating: false,
    hashrateLow: false,
    rejectRateHigh: false,
    sessionBest: null,
    allTimeBest,
    blocksFound: null,
    poolUrl: null,
    poolUser: null,
  };
}

const DOWN: ReadonlySet<MinerStatus> = new Set(['offline', 'breaker_open']);
const UP: ReadonlySet<MinerStatus> = new Set(['online', 'degraded']);

/** Applies one poll result. */
export function evaluatePoll(prev: PolicyState, result: PollResult, ctx: PolicyContext): PolicyOutput {
  if (result.kind === 'sample') return onSample(prev, result.sample, ctx);
  return onFailure(prev, result, ctx);
}

function onFailure(
  prev: PolicyState,
  result: Exclude<PollResult, { kind: 'sample' }>,
  ctx: PolicyContext,
): PolicyOutput {
  const failures = prev.consecutiveFailures + 1;
  const events: PolicyEvent[] = [];
  let status: MinerStatus;
  let reason: string;
  if (ctx.restarting) {
    status = 'restarting';
    reason = 'restarting: not answering yet';
  } else if (result.kind === 'breaker_open') {
    status = 'breaker_open';
    reason = `not polled: its circuit breaker is open (next try in ${Math.ceil(result.retryAfterMs / 1000)} s)`;
  } else if (failures >= ctx.thresholds.offlineAfterFailures) {
    status = 'offline';
    reason = `${failures} polls failed: ${result.message}`;
  } else {
    status = prev.status;
    reason = `poll failed (${failures} in a row): ${result.message}`;
  }
  const down = DOWN.has(status);
  if (down && !DOWN.has(prev.status)) {
    events.push({
      type: 'went_offline',
      severity: 'critical',
      message: `Miner went offline: ${reason}`,
      data: { failures, error: result.kind === 'error' ? result.message : 'circuit breaker open' },
    });
  }
  const conditions: Partial<Record<ConditionName, boolean>> = down ? { offline: true } : {};
  return {
    state: { ...prev, status, reason, consecutiveFailures: failures },
    events,
    conditions,
    rebooted: false,
  };
}

function detectReboot(prev: PolicyState, uptimeS: number | null, now: number): boolean {
  if (uptimeS === null || prev.uptimeS === null || prev.lastSampleAt === null) return false;
  if (uptimeS < prev.uptimeS) return true;
  // While we were not looking it may have rebooted and run longer than before: its uptime is
  // then well short of what it would be had it kept running.
  const elapsedS = Math.max(0, (now - prev.lastSampleAt) / 1000);
  const toleranceS = 30 + 0.02 * elapsedS;
  return uptimeS + toleranceS < prev.uptimeS + elapsedS;
}

function onSample(prev: PolicyState, sample: MinerSample, ctx: PolicyContext): PolicyOutput {
  const { thresholds: t, now } = ctx;
  const events: PolicyEvent[] = [];
  const rebooted = detectReboot(prev, sample.uptimeS, now);

  if (DOWN.has(prev.status)) {
    events.push({
      type: 'came_back',
      severity: 'info',
      message: `Miner is back online after ${prev.consecutiveFailures} failed polls`,
      data: { failures: prev.consecutiveFailures },
    });
  }
  if (rebooted && !ctx.restarting) {
    const why = sample.resetReason === null ? '' : ` (reset reason: ${sample.resetReason})`;
    events.push({
      type: 'rebooted',
      severity: 'warning',
      message: `Miner rebooted unexpectedly${why}`,
      data: { resetReason: sample.resetReason, uptimeS: sample.uptimeS, previousUptimeS: prev.uptimeS },
    });
  }

  const overheating = judgeOverheating(prev.overheating, sample, t);
  if (overheating && !prev.overheating) {
    events.push({
      type: 'overheating',
      severity: 'critical',
      message: `Miner is overheating: ${describeTemps(sample)}`,
      data: { chipC: sample.maxChipTemperatureC ?? sample.temperatureC, vrC: sample.vrTemperatureC },
    });
  } else if (!overheating && prev.overheating) {
    events.push({
      type: 'overheating_cleared',
      severity: 'info',
      message: `Temperatures are back to normal: ${describeTemps(sample)}`,
      data: { chipC: sample.maxChipTemperatureC ?? sample.temperatureC, vrC: sample.vrTemperatureC },
    });
  }

  const low = judgeHashrate(prev, sample, t, now, rebooted);
  if (low.active && !prev.hashrateLow) {
    events.push({
      type: 'hashrate_low',
      severity: 'warning',
      message: `Hashrate ${fmt(sample.hashrateGhs)} GH/s is below ${Math.round(t.hashrateLowRatio * 100)}% of the expected ${fmt(sample.expectedHashrateGhs)} GH/s`,
      data: { hashrateGhs: sample.hashrateGhs, expectedHashrateGhs: sample.expectedHashrateGhs },
    });
  } else if (!low.active && prev.hashrateLow) {
    events.push({
      type: 'hashrate_recovered',
      severity: 'info',
      message: `Hashrate recovered to ${fmt(sample.hashrateGhs)} GH/s`,
      data: { hashrateGhs: sample.hashrateGhs },
    });
  }

  const rejectRate = rejectRateOf(sample, t);
  const rejectHigh = rejectRate !== null && rejectRate > t.rejectRateMax;
  if (rejectHigh && !prev.rejectRateHigh) {
    events.push({
      type: 'reject_rate_high',
      severity: 'warning',
      message: `Reject rate ${(rejectRate * 100).toFixed(1)}% is above ${(t.rejectRateMax * 100).toFixed(1)}%`,
      data: { rejectRate, accepted: sample.sharesAccepted, rejected: sample.sharesRejected },
    });
  } else if (!rejectHigh && prev.rejectRateHigh) {
    events.push({
      type: 'reject_rate_normal',
      severity: 'info',
      message: 'Reject rate is back to normal',
      data: { rejectRate },
    });
  }

  const best = judgeBest(prev, sample, rebooted, events);
  const blocksFound = judgeBlocks(prev, sample, rebooted, events);
  const pool = judgePool(prev, sample, events);

  const problems: string[] = [];
  if (overheating) problems.push('overheating');
  if (low.active) problems.push('hashrate low');
  if (rejectHigh) problems.push('reject rate high');
  let status: MinerStatus;
  let reason: string | null;
  if (ctx.restarting) {
    status = 'restarting';
    reason = 'restart sent, waiting for the uptime to reset';
  } else if (problems.length > 0) {
    status = 'degraded';
    reason = problems.join(', ');
  } else {
    status = 'online';
    reason = null;
  }
  const state: PolicyState = {
    status,
    reason,
    consecutiveFailures: 0,
    lastSampleAt: now,
    uptimeS: sample.uptimeS ?? prev.uptimeS,
    lowHashrateSince: low.since,
    overheating,
    hashrateLow: low.active,
    rejectRateHigh: rejectHigh,
    sessionBest: best.session,
    allTimeBest: best.allTime,
    blocksFound,
    poolUrl: pool.url,
    poolUser: pool.user,
  };
  return {
    state,
    events,
    conditions: {
      offline: false,
      overheating,
      hashrate_low: low.active,
      reject_rate_high: rejectHigh,
    },
    rebooted,
  };
}

function judgeOverheating(was: boolean, sample: MinerSample, t: StatusThresholds): boolean {
  const chip = sample.maxChipTemperatureC ?? sample.temperatureC;
  const vr = sample.vrTemperatureC;
  // Hysteresis: once hot, a miner must cool a few degrees below the limit to count as cool.
  const margin = was ? t.tempHysteresisC : 0;
  const chipHot = chip !== null && chip >= t.chipTempMaxC - margin;
  const vrHot = vr !== null && vr >= t.vrTempMaxC - margin;
  return chipHot || vrHot;
}

function judgeHashrate(
  prev: PolicyState,
  sample: MinerSample,
  t: StatusThresholds,
  now: number,
  rebooted: boolean,
): { active: boolean; since: number | null } {
  const { hashrateGhs: h, expectedHashrateGhs: e, uptimeS } = sample;
  const warmingUp = uptimeS !== null && uptimeS < t.warmupS;
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

function rejectRateOf(sample: MinerSample, t: StatusThresholds): number | null {
  const accepted = sample.sharesAccepted;
  const rejected = sample.sharesRejected;
  if (accepted === null || rejected === null) return null;
  const total = accepted + rejected;
  if (total <= 0 || total < t.rejectMinShares) return null;
  return rejected / total;
}

function fmt(value: number | null): string {
  return value === null ? '?' : value.toFixed(1);
}

function describeTemps(sample: MinerSample): string {
  const chip = sample.maxChipTemperatureC ?? sample.temperatureC;
  return `chip ${chip === null ? '?' : `${chip.toFixed(1)} °C`}, VR ${sample.vrTemperatureC === null ? '?' : `${sample.vrTemperatureC.toFixed(1)} °C`}`;
}

export { formatDifficulty };

export function isUp(status: MinerStatus): boolean {
  return UP.has(status);
}

export function isDown(status: MinerStatus): boolean {
  return DOWN.has(status);
}
