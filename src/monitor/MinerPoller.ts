/**
 * One poll of one miner, start to finish: the device call (through the miner's breaker, or
 * straight while a restart is being confirmed, when failures are expected and prove nothing),
 * the status policy, storage, events, alerts and restart confirmation.
 */
import type { CallOptions, MinerDriver, MinerEndpoint } from '../miners/MinerDriver.js';
import type { MinerSample } from '../miners/MinerSample.js';
import { type CircuitBreakerConfig, isCircuitOpenError, type RetryManager } from '../resilience/index.js';
import type { Severity, Storage } from '../storage/Storage.js';
import type { AlertableEvent, AlertEngine } from './AlertEngine.js';
import { historyToRecords, needsBackfill } from './backfill.js';
import { messageOf } from './classifyError.js';
import type { DriverRegistryLike } from './deps.js';
import type { EventHub } from './EventHub.js';
import { breakerName, effectiveInterval, type MinerEntry } from './MinerEntry.js';
import type { NetworkDifficulty } from './odds/NetworkDifficulty.js';
import type { PollOutcome } from './PollScheduler.js';
import { judgeRestart } from './restartConfirm.js';
import { reuseUnchanged } from './reuseUnchanged.js';
import { sampleToRecord } from './sampleRecord.js';
import { evaluatePoll, type PollResult } from './statusPolicy.js';
import type { StatusThresholds } from './thresholds.js';
import type { MonitorClock } from './timers.js';

export interface PollerContext {
  readonly clock: MonitorClock;
  readonly storage: Storage;
  readonly drivers: DriverRegistryLike;
  readonly retryManager: RetryManager;
  readonly breakerConfig: Partial<CircuitBreakerConfig>;
  readonly thresholds: StatusThresholds;
  readonly hub: EventHub;
  readonly alerts: AlertEngine;
  readonly difficulty: NetworkDifficulty;
  readonly defaultIntervalMs: number;
  readonly pollTimeoutMs: number;
  readonly pollMaxAttempts: number;
  /** Poll spacing while a restart is being confirmed. */
  readonly restartPollMs: number;
  /** A stored-sample gap longer than this many intervals is backfilled. */
  readonly backfillAfterIntervals: number;
  /** False once the miner was removed (or replaced) while its poll was in flight. */
  isCurrent(entry: MinerEntry): boolean;
  /** Keeps the manager's MAC and address indexes in step with a changed record. */
  reindex(entry: MinerEntry, previous: MinerEntry['record']): void;
  /** Background work (storage writes, backfill) the manager awaits on stop. */
  track(work: Promise<unknown>): void;
  recordEvent(
    minerId: string | null,
    type: string,
    severity: Severity,
    message: string,
    data?: Record<string, unknown>,
  ): void;
}

function endpointOf(entry: MinerEntry): MinerEndpoint {
  return { host: entry.record.host, port: entry.record.port, id: entry.record.id };
}

export async function pollMiner(
  ctx: PollerContext,
  entry: MinerEntry,
  signal: AbortSignal,
): Promise<PollOutcome> {
  const id = entry.record.id;
  entry.lastPollAt = ctx.clock.now();
  const driver = ctx.drivers.get(entry.record.kind as MinerSample['kind']);
  const options: CallOptions = { signal, timeoutMs: ctx.pollTimeoutMs, maxAttempts: ctx.pollMaxAttempts };
  let result: PollResult;
  let sample: MinerSample | null = null;
  try {
    if (driver === undefined) throw new Error(`No driver for kind ${JSON.stringify(entry.record.kind)}`);
    const read = (): Promise<MinerSample> => driver.readSample(endpointOf(entry), options);
    const raw =
      entry.restartWatch !== null
        ? await read()
        : await ctx.retryManager.getCircuitBreaker(breakerName(id), ctx.breakerConfig).execute(read);
    // The driver stamps the sample with the registry's clock (the app passes the same one); a
    // copy here would double the largest allocation of every poll. Fresh from the driver, it
    // may still be changed: what did not change since the last poll is shared with it.
    sample = reuseUnchanged(entry.lastSample, raw);
    const { mac } = entry.record;
    if (mac !== null && sample.mac !== null && sample.mac !== mac) {
      const other = sample.mac;
      sample = null;
      throw new Error(
        `a different miner (MAC ${other}) now answers at ${entry.record.host}:${entry.record.port}`,
      );
    }
    result = { kind: 'sample', sample };
  } catch (error) {
    // Stopping: the result of an aborted poll says nothing about the miner.
    if (signal.aborted) return {};
    result = isCircuitOpenError(error)
      ? { kind: 'breaker_open', retryAfterMs: error.retryAfterMs }
      : { kind: 'error', message: messageOf(error) };
  }
  // Removed while the device was answering: its answer belongs to nobody now.
  if (!ctx.isCurrent(entry)) return {};
  if (sample !== null && entry.checkGap && driver !== undefined) {
    entry.checkGap = false;
    await seedFromHistory(ctx, entry, driver, signal);
  }
  return applyResult(ctx, entry, result, sample);
}

/**
 * First answer since the monitor started: pick up where the stored history ends, so a reboot
 * while we were down is still noticed, and fill the gap from the device's own ring buffer.
 */
async function seedFromHistory(
  ctx: PollerContext,
  entry: MinerEntry,
  driver: MinerDriver,
  signal: AbortSignal,
): Promise<void> {
  const id = entry.record.id;
  let latest: Awaited<ReturnType<Storage['latestMetric']>>;
  try {
    latest = await ctx.storage.latestMetric(id);
  } catch {
    return;
  }
  if (latest === null) return;
  if (entry.policy.lastSampleAt === null) {
    entry.policy = {
      ...entry.policy,
      lastSampleAt: latest.timestamp,
      uptimeS: latest.uptimeS,
      sessionBest: latest.sessionBestDifficulty,
    };
  }
  const now = ctx.clock.now();
  const interval = effectiveInterval(entry.record, ctx.defaultIntervalMs);
  if (
    driver.readHistory === undefined ||
    !needsBackfill(latest.timestamp, now, interval, ctx.backfillAfterIntervals)
  ) {
    return;
  }
  const readHistory = driver.readHistory.bind(driver);
  const after = latest.timestamp;
  const work = (async () => {
    const points = await ctx.retryManager
      .getCircuitBreaker(breakerName(id), ctx.breakerConfig)
      .execute(() =>
        readHistory(endpointOf(entry), { signal, timeoutMs: ctx.pollTimeoutMs * 2, maxAttempts: 1 }),
      );
    const records = historyToRecords(id, points, after, now);
    if (records.length === 0) return;
    await ctx.storage.saveMetrics(records);
    ctx.recordEvent(
      id,
      'backfilled',
      'info',
      `Filled a ${Math.round((now - after) / 60_000)} min gap with ${records.length} points from the miner's own history`,
      {
        points: records.length,
        from: after,
        to: now,
      },
    );
  })().catch(() => undefined);
  ctx.track(work);
}

function applyResult(
  ctx: PollerContext,
  entry: MinerEntry,
  result: PollResult,
  sample: MinerSample | null,
): PollOutcome {
  const id = entry.record.id;
  const now = ctx.clock.now();
  const prev = entry.policy;
  const out = evaluatePoll(prev, result, {
    now,
    thresholds: ctx.thresholds,
    restarting: entry.restartWatch !== null,
  });
  entry.policy = out.state;

  if (sample !== null) {
    entry.lastSample = sample;
    entry.lastSeenAt = now;
    entry.lastError = null;
    ctx.difficulty.observe(sample.networkDifficulty, now);
    ctx.track(ctx.storage.saveMetrics([sampleToRecord(id, sample)]));
    learnIdentity(ctx, entry, sample);
  } else {
    entry.lastError = result.kind === 'error' ? result.message : 'circuit breaker open';
  }
  if (out.state.allTimeBest !== null && out.state.allTimeBest !== prev.allTimeBest) {
    ctx.track(ctx.storage.updateBestDifficulty(id, out.state.allTimeBest, now));
  }
  for (const event of out.events)
    ctx.recordEvent(id, event.type, event.severity, event.message, { ...event.data });
  if (out.state.status !== prev.status) {
    ctx.hub.emit({
      type: 'status',
      minerId: id,
      from: prev.status,
      to: out.state.status,
      reason: out.state.reason,
      at: now,
    });
  }
  if (sample !== null) ctx.hub.emit({ type: 'sample', minerId: id, sample });
  ctx.alerts.observe(id, out.conditions, out.events, now, entry.record.name);
  return settleRestart(ctx, entry, sample, out.rebooted, now);
}

function settleRestart(
  ctx: PollerContext,
  entry: MinerEntry,
  sample: MinerSample | null,
  rebooted: boolean,
  now: number,
): PollOutcome {
  const watch = entry.restartWatch;
  if (watch === null) return {};
  const verdict = judgeRestart(watch, sample, rebooted, now);
  if (verdict === 'pending') return { nextDelayMs: ctx.restartPollMs };
  const id = entry.record.id;
  entry.restartWatch = null;
  const confirmed = verdict === 'confirmed';
  const detail = confirmed
    ? `uptime reset after ${Math.round((now - watch.requestedAt) / 1000)} s`
    : `no uptime reset within ${Math.round((watch.deadline - watch.requestedAt) / 1000)} s`;
  entry.restart = {
    minerId: id,
    state: verdict,
    requestedAt: watch.requestedAt,
    confirmedAt: confirmed ? now : null,
    detail,
  };
  ctx.hub.emit({ type: 'restart', restart: entry.restart });
  const event: AlertableEvent = confirmed
    ? { type: 'restart_confirmed', severity: 'info', message: `Restart confirmed: ${detail}` }
    : { type: 'restart_unconfirmed', severity: 'warning', message: `Restart not confirmed: ${detail}` };
  ctx.recordEvent(id, event.type, event.severity, event.message, { requestedAt: watch.requestedAt });
  ctx.alerts.observe(id, {}, [event], now, entry.record.name);
  const prevStatus = entry.policy.status;
  if (sample !== null) {
    const problems = [
      entry.policy.overheating && 'overheating',
      entry.policy.hashrateLow && 'hashrate low',
      entry.policy.rejectRateHigh && 'reject rate high',
    ].filter((p): p is string => typeof p === 'string');
    entry.policy = {
      ...entry.policy,
      status: problems.length > 0 ? 'degraded' : 'online',
      reason: problems.length > 0 ? problems.join(', ') : null,
    };
  } else {
    // The next failed poll then calls it offline, with the event and alert that go with it.
    entry.policy = { ...entry.policy, status: 'unknown', reason: `restart not confirmed: ${detail}` };
  }
  if (entry.policy.status !== prevStatus) {
    ctx.hub.emit({
      type: 'status',
      minerId: id,
      from: prevStatus,
      to: entry.policy.status,
      reason: entry.policy.reason,
      at: now,
    });
  }
  return {};
}

/** A miner added without its MAC (or hostname) gets them from its first answer. */
function learnIdentity(ctx: PollerContext, entry: MinerEntry, sample: MinerSample): void {
  const { record } = entry;
  const mac = record.mac ?? sample.mac;
  const hostname = record.hostname ?? sample.hostname;
  if (mac === record.mac && hostname === record.hostname) return;
  entry.record = { ...record, mac, hostname, updatedAt: ctx.clock.now() };
  ctx.reindex(entry, record);
  ctx.track(ctx.storage.saveMinerConfig(entry.record));
}
