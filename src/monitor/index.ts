// The monitor's public surface: the manager the app wires in, and the pieces worth reusing.
export {
  type AlertAction,
  type AlertableEvent,
  AlertEngine,
  type AlertEngineOptions,
  alertKey,
} from './AlertEngine.js';
export { historyToRecords, needsBackfill } from './backfill.js';
export { createMonitor } from './createMonitor.js';
export type { DetectResult, DriverRegistryLike } from './deps.js';
export { type DiscoverOptions, discoverHosts } from './discovery/discover.js';
export { decodeResponse, encodeQuery, resolveServices, type ServiceInstance } from './discovery/dnsPacket.js';
export { AXEOS_SERVICE, type BrowseOptions, browseMdns } from './discovery/mdns.js';
export { DiscoveryTargetError, MAX_SCAN_ADDRESSES, parseScanTarget } from './discovery/parseTarget.js';
export { EventHub } from './EventHub.js';
export { isMonitorError, MonitorError, type MonitorErrorCode, type MonitorErrorOptions } from './errors.js';
export { Fleet } from './Fleet.js';
export { type FleetMember, fleetSummary } from './fleetSummary.js';
export { HEAP_TUNING_FLAGS, type HeapTuningOptions, tuneHeapForPolling } from './heapTuning.js';
export { LatenessHistogram, type LatenessSummary } from './LatenessHistogram.js';
export { MinerManager, type MonitorParts, type MonitorStats } from './MinerManager.js';
export { type MonitorSettings, resolveMonitorSettings } from './monitorSettings.js';
export { DiscordNotifier, type DiscordNotifierConfig } from './notifiers/DiscordNotifier.js';
export {
  fetchSend,
  type HttpRequester,
  type HttpSend,
  httpClientOf,
  httpClientSend,
  type SendOptions,
} from './notifiers/httpSend.js';
export {
  type ChannelStats,
  NotificationDispatcher,
  type NotificationDispatcherOptions,
} from './notifiers/NotificationDispatcher.js';
export type { HttpRequestSpec, Notification, Notifier } from './notifiers/Notifier.js';
export { NtfyNotifier, type NtfyNotifierConfig } from './notifiers/NtfyNotifier.js';
export {
  createChannels,
  createNotifier,
  createNotifiers,
  NOTIFIER_FACTORIES,
  type NotifierConfig,
  type NotifierKind,
} from './notifiers/registry.js';
export {
  accepts,
  type ChannelRouting,
  isQuiet,
  type QuietHours,
  type QuietHoursConfig,
  type Route,
  resolveQuietHours,
  resolveRoute,
} from './notifiers/routing.js';
export { TelegramNotifier, type TelegramNotifierConfig } from './notifiers/TelegramNotifier.js';
export { WebhookNotifier, type WebhookNotifierConfig } from './notifiers/WebhookNotifier.js';
export {
  type DifficultyApiOptions,
  type JsonGetter,
  NetworkDifficulty,
  type NetworkDifficultyOptions,
} from './odds/NetworkDifficulty.js';
export {
  computeSoloOdds,
  expectedSecondsToBlock,
  ghsToHashesPerSecond,
  HASHES_PER_DIFFICULTY,
  type KnownDifficulty,
  probabilityOfBlock,
} from './odds/soloOdds.js';
export { DEFAULT_BREAKER, type MinerManagerOptions } from './options.js';
export {
  type PollFunction,
  type PollOutcome,
  PollScheduler,
  type PollSchedulerOptions,
  type SchedulerStats,
} from './PollScheduler.js';
export { Semaphore } from './Semaphore.js';
export {
  type ConditionName,
  type Effect,
  initialMinerState,
  type MinerInput,
  type MinerState,
  type ReduceContext,
  type RestartOrigin,
  type StateEvent,
  type StateEventType,
  type Transition,
} from './state/MinerState.js';
export { lnGamma, poissonCdf, probabilityOfBest } from './state/poisson.js';
export { judgePow, type PowState, shareRate } from './state/powHealth.js';
export { isDown, isUp, reduce } from './state/reduce.js';
export {
  DEFAULT_POW,
  DEFAULT_WATCHDOG,
  type PowSettings,
  type ReducerSettings,
  resolvePowSettings,
  resolveWatchdogSettings,
  type WatchdogSettings,
} from './state/settings.js';
export { DEFAULT_THRESHOLDS, resolveThresholds, type StatusThresholds } from './thresholds.js';
export {
  type MonitorClock,
  type MonitorTimers,
  systemTimers,
  type TimerHandle,
  timersFromClock,
} from './timers.js';
export type * from './types.js';
