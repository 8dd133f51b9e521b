/**
 * The one place that builds every object and passes dependencies in: storage, the breaker
 * registry, the driver registry, the monitor with its notifiers, and the HTTP server.
 */
import { readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import type { SolowatchConfig } from './config/Config.js';
import { ConfigError } from './config/Config.js';
import { resolveSecretKey } from './config/secretKey.js';
import { resolveToken } from './config/token.js';
import { type LogFn, logFnOf } from './log/logger.js';
import { createDriverRegistry } from './miners/DriverRegistry.js';
import { AlertEngine } from './monitor/AlertEngine.js';
import { ActionEngine } from './monitor/actions/ActionEngine.js';
import { controlSteps } from './monitor/actions/controlSteps.js';
import { monitorRestartOutcomes } from './monitor/actions/restartOutcomes.js';
import { alertFanOut } from './monitor/alertFanOut.js';
import { Background } from './monitor/Background.js';
import { ClusterMember } from './monitor/cluster/ClusterMember.js';
import { type ResolvedClusterOptions, resolveClusterOptions } from './monitor/cluster/ClusterOptions.js';
import { httpRestartForwarder } from './monitor/cluster/forwardRestart.js';
import { LeaseTable } from './monitor/cluster/LeaseTable.js';
import { LiveShare } from './monitor/cluster/LiveShare.js';
import { LiveTable } from './monitor/cluster/LiveTable.js';
import { ScheduleRunClaims } from './monitor/cluster/ScheduleRunClaims.js';
import { SharedFleetView } from './monitor/cluster/SharedFleetView.js';
import { createControl } from './monitor/control/createControl.js';
import type { MinerControl } from './monitor/control/MinerControl.js';
import { defaultSend } from './monitor/createMonitor.js';
import { DesiredState } from './monitor/desired/DesiredState.js';
import { driftEvent } from './monitor/desired/driftEvent.js';
import { observeSettingsReads } from './monitor/desired/observeSettingsReads.js';
import { EventHub } from './monitor/EventHub.js';
import { Fleet } from './monitor/Fleet.js';
import { tuneHeapForPolling } from './monitor/heapTuning.js';
import { MinerManager } from './monitor/MinerManager.js';
import { type MonitorSettings, resolveMonitorSettings } from './monitor/monitorSettings.js';
import { NotificationDispatcher } from './monitor/notifiers/NotificationDispatcher.js';
import { createChannels, type NotifierConfig } from './monitor/notifiers/registry.js';
import { type QuietHours, type QuietHoursConfig, resolveQuietHours } from './monitor/notifiers/routing.js';
import { NetworkDifficulty } from './monitor/odds/NetworkDifficulty.js';
import { DEFAULT_MAX_CONCURRENT_POLLS } from './monitor/options.js';
import type { PollOutcome } from './monitor/PollScheduler.js';
import { PollScheduler } from './monitor/PollScheduler.js';
import { PollLatenessListeners } from './monitor/pollLateness.js';
import { ProfileStore } from './monitor/profiles/ProfileStore.js';
import { resolveSchedules, ScheduleConfigError } from './monitor/schedules/resolveSchedules.js';
import { Scheduler } from './monitor/schedules/Scheduler.js';
import { ScheduleStore, scheduleEvent } from './monitor/schedules/ScheduleStore.js';
import { localTimeZone } from './monitor/schedules/wallClock.js';
import {
  type PowSettings,
  resolvePowSettings,
  resolveWatchdogSettings,
  type WatchdogSettings,
} from './monitor/state/settings.js';
import { resolveThresholds, type StatusThresholds } from './monitor/thresholds.js';
import { systemTimers } from './monitor/timers.js';
import type { Monitor, MonitorEvent } from './monitor/types.js';
import { WatchdogSwitch } from './monitor/WatchdogSwitch.js';
import { ANOTHER_INSTANCE, MqttBridge, type MqttBridgeEvent, resolveMqttSettings } from './mqtt/index.js';
import { type Clock, systemClock } from './resilience/clock.js';
import { retryManager as globalRetryManager, type RetryManager } from './resilience/index.js';
import { buildApp } from './server/buildApp.js';
import { CredentialSeal } from './storage/minerColumns.js';
import type { DropEvent, StorageErrorEvent } from './storage/options.js';
import { translatePgError } from './storage/postgres/attempt.js';
import { PostgresStorage } from './storage/postgres/PostgresStorage.js';
import { SqliteStorage } from './storage/SqliteStorage.js';
import type { Storage } from './storage/Storage.js';

export type { LogFn };

export interface StartOptions {
  /** The service's logs (src/log/logger.ts); the HTTP server logs its failures there too. */
  readonly logger?: Logger;
  /** Where the app reports what happens. @default `logger`'s levels, else nothing is logged */
  readonly log?: LogFn;
  /** @default the global `retryManager` */
  readonly retryManager?: RetryManager;
  /** The built dashboard. @default `dist/web` of this package */
  readonly webRoot?: string | null;
  /**
   * Apply the monitor's V8 garbage-collector settings (`HEAP_TUNING_FLAGS`) to this process.
   * They change no behaviour, only when V8 collects: at 10,000 miners they keep RSS under
   * 300 MB instead of ~500 MB (docs/bench/monitor.md). @default true
   */
  readonly tuneHeap?: boolean;
  /** The clock schedules wait on; tests move a fake one to a schedule's time. @default the system's */
  readonly scheduleClock?: Clock;
}

export interface SolowatchHandle extends AsyncDisposable {
  /** Where the server answers, e.g. `http://127.0.0.1:8080` (the real port when 0 was asked). */
  readonly url: string;
  readonly token: string;
  /** True when the token was generated by this start; print it this once. */
  readonly tokenGenerated: boolean;
  /** The token file, or null when the token came from SOLOWATCH_TOKEN. */
  readonly tokenPath: string | null;
  readonly monitor: Monitor;
  /** Stops accepting requests, stops polling, flushes and closes the database. Idempotent. */
  close(): Promise<void>;
}

const PACKAGE_ROOT = fileURLToPath(new URL('..', import.meta.url));
export const DEFAULT_WEB_ROOT = join(PACKAGE_ROOT, 'dist', 'web');
export const DATABASE_FILE = 'solowatch.db';
/** Where a watchdog choice made on the dashboard is kept (src/monitor/WatchdogSwitch.ts). */
export const WATCHDOG_FILE = 'watchdog.json';
/** How long a restart sent on to the instance polling the miner may take to be accepted there. */
const FORWARD_TIMEOUT_MS = 15_000;
/** Saved settings profiles, in the data directory. */
export const PROFILES_FILE = 'profiles.json';
/** Schedules made over the API, in the data directory (the config's stay in the config). */
export const SCHEDULES_FILE = 'schedules.json';

function packageVersion(): string {
  const text = readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8');
  return String((JSON.parse(text) as { version?: unknown }).version ?? '0.0.0');
}

function urlOf(host: string, port: number): string {
  const shown = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  return `http://${shown.includes(':') ? `[${shown}]` : shown}:${port}`;
}

/** Turns monitor events into log lines an operator wants to see. */
function logEvents(monitor: Monitor, log: LogFn): () => void {
  const nameOf = (id: string) => {
    const name = monitor.getMiner(id)?.name;
    return name === undefined ? id : `${name} (${id})`;
  };
  return monitor.subscribe((event: MonitorEvent) => {
    switch (event.type) {
      case 'status':
        log(
          'info',
          `miner ${nameOf(event.minerId)}: ${event.from} -> ${event.to}${event.reason ? ` (${event.reason})` : ''}`,
        );
        break;
      case 'breaker':
        log(event.to === 'open' ? 'warn' : 'info', `breaker ${event.name}: ${event.from} -> ${event.to}`);
        break;
      case 'alert':
        log(
          event.alert.severity === 'critical' ? 'warn' : 'info',
          `alert ${event.action}: ${event.alert.message}`,
        );
        break;
      case 'restart':
        log(
          'info',
          `restart of ${nameOf(event.restart.minerId)}: ${event.restart.state} (${event.restart.detail})`,
        );
        break;
      case 'miner':
        log('debug', `miner ${nameOf(event.minerId)} ${event.action}`);
        break;
      default:
        break;
    }
  });
}

/** Turns what the MQTT bridge reports into log lines; a refused command says why. */
function logMqtt(log: LogFn): (event: MqttBridgeEvent) => void {
  return (event) => {
    switch (event.type) {
      case 'connected':
        log('info', `mqtt: connected to ${event.broker}`);
        break;
      case 'disconnected':
        log(
          'warn',
          `mqtt: lost ${event.broker}${event.error === null ? '' : ` (${event.error})`}; reconnecting`,
        );
        break;
      case 'retry':
        log('warn', `mqtt: ${event.error}; trying again in ${Math.round(event.delayMs)} ms`);
        break;
      case 'command_ignored':
        // Left to the instance that polls the miner: nothing wrong, nothing to warn about.
        log(
          event.reason === ANOTHER_INSTANCE ? 'debug' : 'warn',
          `mqtt: ignored a message on ${event.topic}: ${event.reason}`,
        );
        break;
      case 'command':
        log(event.ok ? 'info' : 'warn', `mqtt: ${event.command} of ${event.minerId}: ${event.detail}`);
        break;
    }
  };
}

/** Checks the parts of the config that the monitor understands, naming the key and the file. */
function checkMonitorConfig(config: SolowatchConfig): {
  notifiers: NotifierConfig[];
  settings: MonitorSettings;
  quietHours: QuietHours | null;
} {
  const source = config.configFile ?? 'configuration';
  const notifiers = config.notifiers as unknown as NotifierConfig[];
  try {
    createChannels(notifiers);
  } catch (error) {
    throw new ConfigError(source, 'notifiers', `are invalid: ${(error as Error).message}`);
  }
  const named = <T>(key: string, build: () => T): T => {
    try {
      return build();
    } catch (error) {
      throw new ConfigError(source, key, `is invalid: ${(error as Error).message}`);
    }
  };
  named('thresholds', () => resolveThresholds(config.thresholds as Partial<StatusThresholds>));
  named('powHealth', () => resolvePowSettings(config.powHealth as Partial<PowSettings>));
  named('watchdog', () => resolveWatchdogSettings(config.watchdog as Partial<WatchdogSettings>));
  const settings = resolveMonitorSettings({
    thresholds: config.thresholds as Partial<StatusThresholds>,
    powHealth: config.powHealth as Partial<PowSettings>,
    watchdog: config.watchdog as Partial<WatchdogSettings>,
    ...(config.pollIntervalMs === null ? {} : { defaultIntervalMs: config.pollIntervalMs }),
  });
  const quietHours =
    config.quietHours === null
      ? null
      : named('quietHours', () => resolveQuietHours(config.quietHours as unknown as QuietHoursConfig));
  return { notifiers, settings, quietHours };
}

/** The store the config names: the SQLite file in the data directory, or a PostgreSQL server. */
function openStorage(
  config: SolowatchConfig,
  manager: RetryManager,
  credentialSeal: CredentialSeal,
  log: LogFn,
): Storage {
  const common = {
    manager,
    credentialSeal,
    onDrop: (event: DropEvent) =>
      log('error', `${event.dropped} samples lost (${event.reason}); ${event.totalDropped} since start`),
    onError: (event: StorageErrorEvent) =>
      log(
        'warn',
        `database ${event.operation} failed, will retry: ${(event.error as Error)?.message ?? String(event.error)}`,
      ),
  };
  const { kind, url, schema } = config.storage;
  if (kind === 'postgres') {
    // loadConfig refuses kind postgres without a URL.
    return new PostgresStorage({ url: url as string, schema: schema ?? null, ...common });
  }
  return new SqliteStorage({ path: join(config.dataDir, DATABASE_FILE), ...common });
}

/** Says by name which miners' logins another instance sealed with another key (they poll without). */
async function warnUnreadableCredentials(storage: Storage, log: LogFn): Promise<void> {
  const unreadable = (await storage.listMiners()).filter(
    (miner) => miner.credentials !== null && 'sealed' in miner.credentials,
  );
  for (const miner of unreadable) {
    log(
      'warn',
      `miner ${miner.name}: credentials cannot be read with this instance's key; set SOLOWATCH_SECRET_KEY to the key of the instance that saved them`,
    );
  }
}

/**
 * The monitor and what it is given: the alert engine, the notification dispatcher, the
 * difficulty source and the poll scheduler are built here and passed in (STYLE 20).
 */
function buildMonitor(
  config: SolowatchConfig,
  storage: Storage,
  drivers: ReturnType<typeof createDriverRegistry>,
  retryManager: RetryManager,
  notifierConfigs: readonly NotifierConfig[],
  settings: MonitorSettings,
  quietHours: QuietHours | null,
  owns: ((minerId: string) => boolean) | null,
): MinerManager {
  const timers = systemTimers;
  const random = Math.random;
  const hub = new EventHub();
  const fleet = new Fleet();
  const background = new Background();
  const lateness = new PollLatenessListeners();
  const channels = createChannels(notifierConfigs);
  const notifications = new NotificationDispatcher({
    notifiers: channels.notifiers,
    routes: channels.routes,
    quietHours,
    send: defaultSend(drivers),
    manager: retryManager,
    clock: timers,
    random,
  });
  const alerts = new AlertEngine({ storage, onAlert: alertFanOut(hub, fleet, notifications) });
  const difficulty = new NetworkDifficulty({
    clock: timers,
    ...(config.networkDifficulty === null ? {} : { configured: config.networkDifficulty }),
  });
  // With several instances, each polls only the miners it holds a lease on (src/monitor/cluster/).
  const poll = (id: string, signal: AbortSignal): Promise<PollOutcome> | undefined =>
    owns === null || owns(id) ? monitor.poll(id, signal) : undefined;
  const scheduler: PollScheduler = new PollScheduler(poll, {
    timers,
    random,
    maxConcurrent: config.maxConcurrentPolls ?? DEFAULT_MAX_CONCURRENT_POLLS,
    jitterRatio: 0.1,
    onLateness: (ms, id) => lateness.report(ms, id),
    onError: () => background.fail(),
  });
  const monitor: MinerManager = new MinerManager({
    storage,
    drivers,
    retryManager,
    timers,
    random,
    hub,
    fleet,
    background,
    lateness,
    alerts,
    notifications,
    difficulty,
    scheduler,
    settings,
  });
  return monitor;
}

/** This instance's membership of the fleet shared on `storage`'s database (not started). */
function joinCluster(
  options: ResolvedClusterOptions,
  storage: PostgresStorage,
  monitor: MinerManager,
  log: LogFn,
): ClusterMember {
  const timers = systemTimers;
  return new ClusterMember({
    table: new LeaseTable(storage.client),
    options,
    timers,
    syncMiners: async () => {
      const { added, removed, updated } = await monitor.reloadMiners();
      if (added + removed + updated > 0)
        log('info', `miners from other instances: ${added} added, ${removed} removed, ${updated} changed`);
    },
    handoverLeadMs: (id) => (monitor.getMiner(id)?.intervalMs ?? 0) / 2,
    nextPollAt: (id, notBefore) => {
      const due = monitor.scheduler.dueAt(id);
      const interval = monitor.getMiner(id)?.intervalMs;
      if (due === undefined || interval === undefined || due >= notBefore) return due ?? notBefore;
      return due + Math.ceil((notBefore - due) / interval) * interval;
    },
    onGained: (id, delayMs) => {
      log('debug', `lease of ${id} taken; first poll in ${delayMs} ms`);
      timers.setTimer(() => monitor.pollNow(id), delayMs);
    },
    onError: (error) =>
      log(
        'warn',
        `instance ${options.instanceId}: lease round failed, will retry: ${(translatePgError(error, storage.server) as Error).message}`,
      ),
  });
}

/** Runs a check of the config, turning its complaint into a ConfigError naming the key. */
function namedConfig<T>(config: SolowatchConfig, build: () => T): T {
  try {
    return build();
  } catch (error) {
    if (error instanceof ScheduleConfigError) {
      throw new ConfigError(
        config.configFile ?? 'configuration',
        error.key,
        error.message.slice(error.key.length + 1),
      );
    }
    throw error;
  }
}

/**
 * Desired state (config `fleet`): every poll's pool, and every settings read once per-miner
 * control is wired, compared with it; drift becomes a `settings_drift` event and alert.
 */
function watchDesiredState(
  config: SolowatchConfig,
  monitor: MinerManager,
  storage: Storage,
  control: MinerControl,
  log: LogFn,
): { readonly control: MinerControl; close(): Promise<void> } {
  const desired = new DesiredState({
    rules: config.fleet,
    tagsOf: (id) => monitor.getMiner(id)?.tags ?? [],
    clock: systemClock,
    onDrift: (report) => {
      const label = monitor.getMiner(report.minerId)?.name ?? report.minerId;
      const event = driftEvent(report, label, Date.now());
      log(report.security ? 'warn' : 'info', event.message);
      storage
        .recordEvent(event)
        .catch((error: unknown) => log('warn', `could not record drift: ${(error as Error).message}`));
      monitor.alerts.observe(report.minerId, {}, [event], event.timestamp, label);
    },
    revert: (id, settings) => control.applySettings(id, settings, 'desired'),
    onRevertError: (id, error) =>
      log('warn', `could not write desired settings back to ${id}: ${(error as Error).message}`),
  });
  if (!desired.enabled) return { control, close: async () => {} };
  const stop = monitor.subscribe((event) => {
    if (event.type !== 'sample') return;
    const { poolUrl, poolUser } = event.sample;
    if (poolUrl !== null && poolUser !== null)
      desired.observe(event.minerId, { pools: [{ url: poolUrl, user: poolUser }] });
  });
  return { control: observeSettingsReads(control, desired), close: async () => stop() };
}

/** Builds everything, starts polling and listens; resolves once the server answers. */
export async function startSolowatch(
  config: SolowatchConfig,
  options: StartOptions = {},
): Promise<SolowatchHandle> {
  const log: LogFn = options.log ?? (options.logger === undefined ? () => {} : logFnOf(options.logger));
  const { notifiers, settings, quietHours } = checkMonitorConfig(config);
  if (options.tuneHeap !== false) {
    const applied = tuneHeapForPolling();
    if (applied.length > 0) log('debug', `V8 settings for polling: ${applied.join(' ')}`);
  }
  await mkdir(config.dataDir, { recursive: true });
  const { token, generated, path: tokenPath } = await resolveToken(config.dataDir, config.token);
  const retryManager = options.retryManager ?? globalRetryManager;

  const secret = await resolveSecretKey(config.dataDir, config.secretKey);
  if (secret.generated) log('info', `generated the key for miners' device logins in ${secret.path}`);
  const storage = openStorage(config, retryManager, new CredentialSeal(secret.key), log);
  await storage.initialize();
  await warnUnreadableCredentials(storage, log);
  const drivers = createDriverRegistry();
  // PostgreSQL: this instance shares the fleet with every other on the database; SQLite: alone.
  let member: ClusterMember | null = null;
  const owns = storage instanceof PostgresStorage ? (id: string) => member?.owns(id) === true : null;
  const monitor = buildMonitor(config, storage, drivers, retryManager, notifiers, settings, quietHours, owns);
  const cluster =
    owns === null
      ? null
      : resolveClusterOptions({
          leaseMs: config.cluster.leaseMs,
          ...(config.cluster.instanceId === undefined ? {} : { instanceId: config.cluster.instanceId }),
        });
  // The API of every instance shows the whole fleet: the others' miners as their pollers wrote them.
  const shared =
    cluster === null || owns === null
      ? null
      : new SharedFleetView({
          monitor,
          instanceId: cluster.instanceId,
          owns,
          difficulty: () => monitor.difficulty.current(),
          now: () => Date.now(),
          forwardRestart: httpRestartForwarder({ token, timeoutMs: FORWARD_TIMEOUT_MS }),
        });
  // Closed in reverse: server, polling, HTTP sessions and sockets, then the database.
  const closers: (() => Promise<void>)[] = [() => storage.close(), () => drivers.close()];
  const runClosers = async () => {
    for (const close of closers.splice(0).reverse()) {
      try {
        await close();
      } catch (error) {
        log('error', `while shutting down: ${(error as Error).message}`);
      }
    }
  };

  try {
    // A watchdog choice made on the dashboard is kept beside the database and wins over the config.
    const watchdog = await WatchdogSwitch.open({
      fromConfig: settings.reducer.watchdog,
      file: join(config.dataDir, WATCHDOG_FILE),
      apply: (chosen) => monitor.setWatchdog(chosen),
    });
    if (watchdog.view().source === 'dashboard') {
      log(
        'info',
        `watchdog settings from the dashboard (${join(config.dataDir, WATCHDOG_FILE)}) win over the config`,
      );
    }
    await monitor.start();
    closers.push(() => monitor.stop());
    const stopLogging = logEvents(monitor, log);
    closers.push(async () => stopLogging());

    for (const seed of config.miners) {
      const known = monitor
        .listMiners()
        .some((m) => m.host === seed.host && (seed.port === undefined || m.port === seed.port));
      if (known) continue;
      try {
        const added = await monitor.addMiner({ ...seed, verify: false });
        log('info', `added ${added.name} (${seed.host}) from the config file`);
      } catch (error) {
        log('warn', `could not add ${seed.host} from the config file: ${(error as Error).message}`);
      }
    }

    const profiles = new ProfileStore({ path: join(config.dataDir, PROFILES_FILE), now: () => Date.now() });
    await profiles.load();
    const desired = watchDesiredState(
      config,
      monitor,
      storage,
      createControl(
        monitor,
        shared === null ? {} : { restart: (id, actor) => shared.restartMiner(id, actor) },
      ),
      log,
    );
    closers.push(() => desired.close());
    const { control } = desired;
    const actions = new ActionEngine({
      // With several instances a restart's outcome comes from the instance polling the miner.
      runner: controlSteps(control, monitorRestartOutcomes(shared ?? monitor)),
      miners: () => monitor.listMiners(),
      profileSettings: (name) => profiles.settingsOf(name),
      clock: systemClock,
    });
    closers.push(() => actions.close());

    // Several instances hold the same schedules; each run goes to the one that claims it.
    const runClaims =
      storage instanceof PostgresStorage && cluster !== null
        ? new ScheduleRunClaims(storage.client, cluster.instanceId)
        : null;
    const scheduler = new Scheduler({
      schedules: [],
      clock: options.scheduleClock ?? systemClock,
      startAction: (request, actor) => actions.start(request, actor),
      onRun: (schedule, run) =>
        log(
          run.error === null ? 'info' : 'warn',
          `schedule ${schedule.name}: ${run.error === null ? `started action ${run.actionId}` : `could not start: ${run.error}`}`,
        ),
      ...(runClaims === null ? {} : { claimRun: (name, at) => runClaims.claim(name, at) }),
    });
    const scheduleStore = new ScheduleStore({
      path: join(config.dataDir, SCHEDULES_FILE),
      fromConfig: namedConfig(config, () =>
        resolveSchedules(config.schedules, (name) => profiles.settingsOf(name) !== null),
      ),
      defaultZone: localTimeZone(),
      profileExists: (name) => profiles.settingsOf(name) !== null,
      apply: (schedules) => scheduler.set(schedules),
      onChange: (change) => {
        const event = scheduleEvent(change, Date.now());
        log('info', event.message);
        storage
          .recordEvent(event)
          .catch((error: unknown) =>
            log('warn', `could not record ${event.type}: ${(error as Error).message}`),
          );
      },
    });
    await scheduleStore.load();
    scheduler.start();
    closers.push(() => scheduler.close());

    // Built once the server's address is known (the links to each miner's page), reported from then on.
    let mqtt: MqttBridge | null = null;
    const app = await buildApp({
      mqtt: () => mqtt?.status() ?? null,
      monitor: shared ?? monitor,
      breakers: retryManager,
      token,
      listenHost: config.host,
      version: packageVersion(),
      webRoot: options.webRoot === undefined ? DEFAULT_WEB_ROOT : options.webRoot,
      energy: config.energy,
      actions,
      watchdog,
      profiles,
      ...(options.logger === undefined ? {} : { logger: options.logger }),
      control,
      schedules: { list: () => scheduler.list(), store: scheduleStore },
    });
    closers.push(() => app.close());
    await app.listen({ host: config.host, port: config.port });
    const address = app.server.address();
    const port = typeof address === 'object' && address !== null ? address.port : config.port;
    const url = urlOf(config.host, port);
    log('info', `listening on ${url} (data in ${config.dataDir})`);
    if (storage instanceof PostgresStorage && cluster !== null && shared !== null && owns !== null) {
      const joined = joinCluster({ ...cluster, url }, storage, monitor, log);
      member = joined;
      closers.push(() => joined.stop());
      await joined.start();
      const live = new LiveShare({
        table: new LiveTable(storage.client),
        instanceId: cluster.instanceId,
        monitor,
        owns,
        view: shared,
        timers: systemTimers,
        liveMs: cluster.liveMs,
        onError: (error) =>
          log(
            'warn',
            `instance ${cluster.instanceId}: sharing the live view failed, will retry: ${(translatePgError(error, storage.server) as Error).message}`,
          ),
      });
      closers.push(() => live.stop());
      await live.start();
      log('info', `instance ${joined.instanceId} shares the fleet on ${storage.server}`);
    }

    if (config.mqtt !== null) {
      const settings = resolveMqttSettings(config.mqtt);
      const bridge = new MqttBridge({
        monitor,
        // Every instance hears each command; the one that polls the miner runs it, once.
        ...(owns === null ? {} : { runsHere: owns }),
        settings,
        dashboardUrl: settings.dashboardUrl ?? url,
        version: packageVersion(),
        timers: systemTimers,
        random: Math.random,
        onEvent: logMqtt(log),
        control,
      });
      mqtt = bridge;
      closers.push(() => bridge.close());
      bridge.start();
    }

    let closing: Promise<void> | null = null;
    const close = () => {
      closing ??= runClosers();
      return closing;
    };
    return { url, token, tokenGenerated: generated, tokenPath, monitor, close, [Symbol.asyncDispose]: close };
  } catch (error) {
    await runClosers();
    throw error;
  }
}
