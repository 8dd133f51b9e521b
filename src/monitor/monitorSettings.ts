/**
 * The monitor's settings resolved once from its options: every default applied (each written
 * once, in options.ts or state/settings.ts), every value checked, so nothing on the poll's path
 * looks up a default again.
 */
import type { CircuitBreakerConfig } from '../resilience/index.js';
import type { VerifySettings } from './MinerAdder.js';
import type { PollSettings } from './MinerPoller.js';
import {
  DEFAULT_BREAKER,
  DEFAULT_POLL_TIMEOUT_MS,
  DEFAULT_RESTART_COOLDOWN_MS,
  DEFAULT_RESTART_POLL_MS,
  type MinerManagerOptions,
} from './options.js';
import { checkIntervalMs } from './PollScheduler.js';
import type { RestartSettings } from './Restarter.js';
import {
  DEFAULT_RESTART_CONFIRM_MS,
  type ReducerSettings,
  resolvePowSettings,
  resolveWatchdogSettings,
} from './state/settings.js';
import { resolveThresholds } from './thresholds.js';

export interface MonitorSettings {
  readonly defaultIntervalMs: number;
  readonly breaker: Partial<CircuitBreakerConfig>;
  readonly reducer: ReducerSettings;
  readonly poll: PollSettings;
  readonly restart: RestartSettings;
  readonly verify: VerifySettings;
  readonly discovery: NonNullable<MinerManagerOptions['discovery']>;
  readonly stopGraceMs: number;
  readonly idGenerator: () => string;
  /** How often the difficulty API is asked, or null without one. */
  readonly difficultyRefreshMs: number | null;
}

export type MonitorSettingsInput = Omit<MinerManagerOptions, 'storage' | 'drivers'>;

export function resolveMonitorSettings(options: MonitorSettingsInput = {}): MonitorSettings {
  const defaultIntervalMs = checkIntervalMs(options.defaultIntervalMs ?? 10_000);
  const breaker = { ...DEFAULT_BREAKER, ...(options.breaker ?? {}) };
  const pollTimeoutMs = options.pollTimeoutMs ?? DEFAULT_POLL_TIMEOUT_MS;
  const restart = options.restart ?? {};
  const verify = options.verify ?? {};
  return {
    defaultIntervalMs,
    breaker,
    reducer: {
      thresholds: resolveThresholds(options.thresholds),
      pow: resolvePowSettings(options.powHealth),
      watchdog: resolveWatchdogSettings(options.watchdog),
      restartConfirmMs: restart.confirmTimeoutMs ?? DEFAULT_RESTART_CONFIRM_MS,
    },
    poll: {
      defaultIntervalMs,
      pollTimeoutMs,
      pollMaxAttempts: options.pollMaxAttempts ?? 1,
      restartPollMs: restart.confirmPollMs ?? DEFAULT_RESTART_POLL_MS,
      backfillAfterIntervals: options.backfillAfterIntervals ?? 3,
      breaker,
    },
    restart: {
      cooldownMs: restart.cooldownMs ?? DEFAULT_RESTART_COOLDOWN_MS,
      maxSendAttempts: restart.maxSendAttempts ?? 3,
      timeoutMs: pollTimeoutMs,
    },
    verify: {
      breaker,
      maxAttempts: verify.maxAttempts ?? 3,
      baseDelayMs: verify.baseDelayMs ?? 1000,
      timeoutMs: verify.timeoutMs ?? 5000,
    },
    discovery: options.discovery ?? {},
    stopGraceMs: options.stopGraceMs ?? 10_000,
    idGenerator: options.idGenerator ?? (() => crypto.randomUUID()),
    difficultyRefreshMs:
      options.difficultyApi === undefined ? null : (options.difficultyApi.refreshMs ?? 3_600_000),
  };
}
