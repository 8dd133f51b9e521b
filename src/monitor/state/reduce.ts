/**
 * The monitor's one state machine: `reduce(state, input, context)` -> the next state, its events,
 * the conditions it observed and the effects it asks for. Pure: no I/O, no clock (the time comes
 * in the context), so every transition is a table-driven test (reduce.test.ts).
 */
import type { SettingField } from '../../miners/control/settings.js';
import type { MinerSample } from '../../miners/MinerSample.js';
import type { MinerStatus, RestartStatus } from '../types.js';
import type {
  ConditionName,
  ControlOutcome,
  Effect,
  MinerInput,
  MinerState,
  ReduceContext,
  StateEvent,
  Transition,
} from './MinerState.js';
import { judgeBest, judgeBestPlausible, judgeBlocks, judgePool } from './milestones.js';
import { EMPTY_POW, judgePow } from './powHealth.js';
import { judgeRestart, withinHour } from './restartRule.js';
import { detectReboot, fmt, isWarmingUp, judgeHashrate, rejectRateOf } from './sampleHealth.js';
import {
  describeOverheating,
  describeTemperatures,
  judgeTemperatures,
  temperatureData,
} from './temperatureHealth.js';
import { decideWatchdog } from './watchdogRule.js';

const DOWN: ReadonlySet<MinerStatus> = new Set(['offline', 'breaker_open']);
const UP: ReadonlySet<MinerStatus> = new Set(['online', 'degraded', 'not_hashing']);

export function isUp(status: MinerStatus): boolean {
  return UP.has(status);
}

export function isDown(status: MinerStatus): boolean {
  return DOWN.has(status);
}

const NONE: readonly Effect[] = Object.freeze([]);

export function reduce(prev: MinerState, input: MinerInput, ctx: ReduceContext): Transition {
  switch (input.kind) {
    case 'sample':
      return onSample(prev, input.sample, ctx);
    case 'poll_failed':
    case 'breaker_refused':
      return onFailure(prev, input, ctx);
    case 'restored':
      return onRestored(prev, input);
    case 'command_sent':
      return onCommandSent(prev, input, ctx);
    case 'command_outcome':
      return input.command === 'restart' ? onCommandOutcome(prev, input, ctx) : onControl(prev, input, ctx);
  }
}

/** Settings whose change makes a new hashrate: judged afresh, not against the old window. */
const RETUNING: ReadonlySet<SettingField> = new Set(['frequencyMhz', 'coreVoltageMv']);

/** What the hashrate and share judgement forgets when the device starts afresh without a boot. */
function forgetJudgement(now: number, ctx: ReduceContext) {
  return {
    pow: EMPTY_POW,
    lowHashrateSince: null,
    hashrateLow: false,
    notHashing: false,
    settlingUntil: now + ctx.settings.thresholds.warmupS * 1000,
  } as const;
}

/**
 * A pause, resume, identify or settings write came back. Pausing stops the judgement of hashrate
 * and shares (a paused miner finds none by design) and the watchdog; resuming or retuning starts
 * it afresh after a settling time, so the new hashrate is not judged against the old.
 */
function onControl(prev: MinerState, input: ControlOutcome, ctx: ReduceContext): Transition {
  const { now } = ctx;
  const isFailure = !input.ok;
  const event: StateEvent = {
    type: isFailure
      ? 'control_failed'
      : input.command === 'pause'
        ? 'miner_paused'
        : input.command === 'resume'
          ? 'miner_resumed'
          : input.command === 'identify'
            ? 'miner_identify'
            : 'settings_changed',
    severity: input.severity,
    message: input.message,
    data: input.data,
  };
  const result = (state: MinerState, conditions: Transition['conditions'] = {}): Transition => ({
    state,
    events: [event],
    conditions,
    effects: NONE,
  });
  if (isFailure || input.command === 'identify') return result(prev);
  if (input.command === 'pause') {
    const state: MinerState = {
      ...prev,
      ...forgetJudgement(now, ctx),
      settlingUntil: null,
      paused: prev.paused ?? { by: input.actor, since: now },
      status: DOWN.has(prev.status) || prev.status === 'restarting' ? prev.status : 'paused',
      reason: `paused by ${input.actor}`,
    };
    // A paused miner finds no shares by design: its hashrate and share alerts end.
    return result(state, { hashrate_low: false, not_hashing: false });
  }
  if (input.command === 'resume') {
    const state: MinerState = {
      ...prev,
      ...forgetJudgement(now, ctx),
      paused: null,
      status: prev.status === 'paused' ? 'online' : prev.status,
      reason:
        prev.status === 'paused'
          ? `resumed by ${input.actor}; hashrate judged again after it settles`
          : prev.reason,
    };
    return result(state);
  }
  if (!input.applied.some((field) => RETUNING.has(field))) return result(prev);
  return result({ ...prev, ...forgetJudgement(now, ctx) });
}

/**
 * Whether the miner is paused after this sample: the device's own word where it gives one (it may
 * have been paused or resumed on its own screen), else what our last command did.
 */
function pausedAfter(prev: MinerState, sample: MinerSample, now: number): MinerState['paused'] {
  if (sample.paused === true) return prev.paused ?? { by: 'device', since: now };
  if (sample.paused === false) return null;
  return prev.paused;
}

/** Settles a pending restart watch from what this input saw; the events go into `events`. */
function settleWatch(
  prev: MinerState,
  sample: MinerSample | null,
  rebooted: boolean,
  now: number,
  events: StateEvent[],
): Pick<MinerState, 'restart' | 'restartWatch'> {
  const watch = prev.restartWatch;
  if (watch === null) return { restart: prev.restart, restartWatch: null };
  const verdict = judgeRestart(watch, sample, rebooted, now);
  if (verdict === 'pending') return { restart: prev.restart, restartWatch: watch };
  const confirmed = verdict === 'confirmed';
  const detail = confirmed
    ? `uptime reset after ${Math.round((now - watch.requestedAt) / 1000)} s`
    : `no uptime reset within ${Math.round((watch.deadline - watch.requestedAt) / 1000)} s`;
  const restart: RestartStatus = {
    minerId: prev.minerId,
    state: verdict,
    requestedAt: watch.requestedAt,
    confirmedAt: confirmed ? now : null,
    detail,
  };
  events.push(
    confirmed
      ? {
          type: 'restart_confirmed',
          severity: 'info',
          message: `Restart confirmed: ${detail}`,
          data: { requestedAt: watch.requestedAt, by: watch.by },
        }
      : {
          type: 'restart_unconfirmed',
          severity: 'warning',
          message: `Restart not confirmed: ${detail}`,
          data: { requestedAt: watch.requestedAt, by: watch.by },
        },
  );
  return { restart, restartWatch: null };
}

function onFailure(
  prev: MinerState,
  input: Extract<MinerInput, { kind: 'poll_failed' | 'breaker_refused' }>,
  ctx: ReduceContext,
): Transition {
  const { now, settings } = ctx;
  const failures = prev.consecutiveFailures + 1;
  const events: StateEvent[] = [];
  const settled = settleWatch(prev, null, false, now, events);
  const message = input.kind === 'poll_failed' ? input.message : 'circuit breaker open';
  let status: MinerStatus;
  let reason: string;
  if (settled.restartWatch !== null) {
    status = 'restarting';
    reason = 'restarting: not answering yet';
  } else if (input.kind === 'breaker_refused') {
    status = 'breaker_open';
    reason = `not polled: its circuit breaker is open (next try in ${Math.ceil(input.retryAfterMs / 1000)} s)`;
  } else if (failures >= settings.thresholds.offlineAfterFailures) {
    status = 'offline';
    reason = `${failures} polls failed: ${input.message}`;
  } else {
    // Not yet offline: keep what it was, unless a restart just ended without a verdict from it.
    status = prev.status === 'restarting' ? 'unknown' : prev.status;
    reason = `poll failed (${failures} in a row): ${input.message}`;
  }
  const down = DOWN.has(status);
  if (down && !DOWN.has(prev.status)) {
    events.unshift({
      type: 'went_offline',
      severity: 'critical',
      message: `Miner went offline: ${reason}`,
      data: { failures, error: message },
    });
  }
  const conditions: Partial<Record<ConditionName, boolean>> = down ? { offline: true } : {};
  return {
    state: { ...prev, ...settled, status, reason, consecutiveFailures: failures },
    events,
    conditions,
    effects: NONE,
  };
}

function onRestored(prev: MinerState, input: Extract<MinerInput, { kind: 'restored' }>): Transition {
  // Only a miner not yet seen takes the stored point as where it left off.
  const state =
    prev.lastSampleAt !== null
      ? prev
      : { ...prev, lastSampleAt: input.at, uptimeS: input.uptimeS, sessionBest: input.sessionBest };
  return { state, events: [], conditions: {}, effects: NONE };
}

function onCommandSent(
  prev: MinerState,
  input: Extract<MinerInput, { kind: 'command_sent' }>,
  ctx: ReduceContext,
): Transition {
  return {
    state: {
      ...prev,
      command: { kind: input.command, by: input.by, why: input.why, actor: input.actor ?? null },
      restartsAt: [...withinHour(prev.restartsAt, ctx.now), ctx.now],
    },
    events: [],
    conditions: {},
    effects: NONE,
  };
}

function onCommandOutcome(
  prev: MinerState,
  input: Extract<MinerInput, { kind: 'command_outcome'; command: 'restart' }>,
  ctx: ReduceContext,
): Transition {
  const { now, settings } = ctx;
  const by = prev.command?.by ?? 'user';
  const why = prev.command?.why ?? null;
  const actor = prev.command?.actor ?? (by === 'watchdog' ? 'watchdog' : null);
  const who =
    by === 'watchdog'
      ? `by the watchdog (${why ?? 'unwell'})`
      : actor === null
        ? 'on request'
        : `by ${actor}`;
  if (!input.ok) {
    // A user's refused restart does not count against its cooldown; the watchdog's does, so a
    // miner that refuses cannot be asked again and again.
    const restartsAt = by === 'user' ? prev.restartsAt.slice(0, -1) : prev.restartsAt;
    return {
      state: { ...prev, command: null, restartsAt },
      events: [
        {
          type: 'restart_failed',
          severity: 'warning',
          message: `Restart ${who} failed: ${input.detail}`,
          data: { by, actor, reason: why },
        },
      ],
      conditions: {},
      effects: NONE,
    };
  }
  const restart: RestartStatus = {
    minerId: prev.minerId,
    state: 'restarting',
    requestedAt: now,
    confirmedAt: null,
    detail: input.detail,
  };
  return {
    state: {
      ...prev,
      command: null,
      status: 'restarting',
      reason: 'restart sent, waiting for the uptime to reset',
      restart,
      restartWatch: {
        requestedAt: now,
        deadline: now + settings.restartConfirmMs,
        uptimeBeforeS: prev.uptimeS,
        by,
      },
    },
    events: [
      {
        type: 'restart_requested',
        severity: by === 'watchdog' ? 'warning' : 'info',
        message: `Restart sent ${who}: ${input.detail}`,
        data: { by, actor, reason: why },
      },
    ],
    conditions: {},
    effects: NONE,
  };
}

function onSample(prev: MinerState, sample: MinerSample, ctx: ReduceContext): Transition {
  const { now, settings } = ctx;
  const t = settings.thresholds;
  const events: StateEvent[] = [];
  const rebooted = detectReboot(prev, sample.uptimeS, now);
  const restarting = prev.restartWatch !== null;

  if (DOWN.has(prev.status)) {
    events.push({
      type: 'came_back',
      severity: 'info',
      message: `Miner is back online after ${prev.consecutiveFailures} failed polls`,
      data: { failures: prev.consecutiveFailures },
    });
  }
  if (rebooted && !restarting) {
    const why = sample.resetReason === null ? '' : ` (reset reason: ${sample.resetReason})`;
    events.push({
      type: 'rebooted',
      severity: 'warning',
      message: `Miner rebooted unexpectedly${why}`,
      data: { resetReason: sample.resetReason, uptimeS: sample.uptimeS, previousUptimeS: prev.uptimeS },
    });
  }

  const temperatures = judgeTemperatures(
    sample,
    { chipC: t.chipTempMaxC, vrC: t.vrTempMaxC },
    prev.overheating,
    t.tempHysteresisC,
  );
  const overheating = temperatures.hot;
  if (overheating && !prev.overheating) {
    events.push({
      type: 'overheating',
      severity: 'critical',
      message: `Miner is overheating: ${describeOverheating(temperatures)}`,
      data: temperatureData(temperatures),
    });
  } else if (!overheating && prev.overheating) {
    events.push({
      type: 'overheating_cleared',
      severity: 'info',
      message: `Temperatures are back to normal: ${describeTemperatures(temperatures)}`,
      data: temperatureData(temperatures),
    });
  }

  const paused = pausedAfter(prev, sample, now);
  // The device resumed by itself (or on its own screen): the same settling as a resume command.
  const resumedHere = prev.paused !== null && paused === null;
  const settlingUntil = resumedHere
    ? now + t.warmupS * 1000
    : prev.settlingUntil !== null && now < prev.settlingUntil
      ? prev.settlingUntil
      : null;
  // Paused, or settling after a resume or a new frequency: no verdict on hashrate or shares.
  const quiet = paused !== null || settlingUntil !== null;
  const low = judgeHashrate(prev, sample, t, now, rebooted, quiet);
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

  const warmingUp = isWarmingUp(sample, t) || quiet;
  const pow = judgePow(prev.pow, { sample, now, rebooted, warmingUp }, settings.pow);
  // Unjudged (warm-up, a boot, missing counters): a boot wipes the verdict, anything else keeps it.
  const notHashing = pow.judged ? pow.notHashing : rebooted || warmingUp ? false : prev.notHashing;
  if (pow.judged && notHashing && !prev.notHashing) {
    events.push({
      type: 'not_hashing',
      severity: 'critical',
      message: `Miner reports ${fmt(sample.hashrateGhs)} GH/s but is not hashing: ${pow.detail}`,
      data: {
        probability: pow.probability,
        hashrateGhs: sample.hashrateGhs,
        poolDifficulty: sample.poolDifficulty,
      },
    });
  } else if (pow.judged && !notHashing && prev.notHashing) {
    events.push({
      type: 'hashing_resumed',
      severity: 'info',
      message: 'Accepted shares are arriving again at the rate its hashrate promises',
      data: { sharesAccepted: sample.sharesAccepted },
    });
  }

  const best = judgeBest(prev, sample, rebooted, events);
  const bestFlagged = judgeBestPlausible(
    rebooted ? false : prev.bestFlagged,
    sample,
    settings.pow.bestPValue,
    events,
  );
  const blocksFound = judgeBlocks(prev, sample, rebooted, events);
  const pool = judgePool(prev, sample, events);
  const settled = settleWatch(prev, sample, rebooted, now, events);

  const problems: string[] = [];
  if (overheating) problems.push('overheating');
  if (low.active) problems.push('hashrate low');
  if (rejectHigh) problems.push('reject rate high');
  let status: MinerStatus;
  let reason: string | null;
  if (settled.restartWatch !== null) {
    status = 'restarting';
    reason = 'restart sent, waiting for the uptime to reset';
  } else if (paused !== null) {
    status = 'paused';
    reason = [`paused by ${paused.by}`, ...problems].join(', ');
  } else if (notHashing) {
    status = 'not_hashing';
    reason = `not hashing: ${pow.detail ?? 'too few accepted shares for its hashrate'}`;
  } else if (problems.length > 0) {
    status = 'degraded';
    reason = problems.join(', ');
  } else {
    status = 'online';
    reason = null;
  }
  const next: MinerState = {
    ...prev,
    ...settled,
    status,
    reason,
    consecutiveFailures: 0,
    lastSampleAt: now,
    uptimeS: sample.uptimeS ?? prev.uptimeS,
    lowHashrateSince: low.since,
    overheating,
    hashrateLow: low.active,
    rejectRateHigh: rejectHigh,
    notHashing,
    pow: pow.state,
    sessionBest: best.session,
    allTimeBest: best.allTime,
    bestFlagged,
    blocksFound,
    poolUrl: pool.url,
    poolUser: pool.user,
    paused,
    settlingUntil,
  };
  const conditions: Partial<Record<ConditionName, boolean>> = {
    offline: false,
    overheating,
    hashrate_low: low.active,
    reject_rate_high: rejectHigh,
  };
  if (pow.judged || paused !== null) conditions.not_hashing = notHashing;
  const watchdog = decideWatchdog(next, now, settings.watchdog);
  if (watchdog.event !== null) events.push(watchdog.event);
  return {
    state: watchdog.gaveUp === next.watchdogGaveUp ? next : { ...next, watchdogGaveUp: watchdog.gaveUp },
    events,
    conditions,
    effects: watchdog.effect === null ? NONE : [watchdog.effect],
  };
}
