/**
 * The bridge: keeps the broker's picture of the fleet current. Monitor events only mark what
 * changed (cheap and synchronous, so polling never waits on MQTT); a flush on the next tick
 * publishes each changed miner's retained state once, and the fleet totals at most every
 * `fleetEveryMs`. On every (re)connect the whole picture is sent again, so nothing needs to be
 * kept while the broker is away beyond the ids of miners removed meanwhile.
 */

import type { DeviceSettings } from '../miners/control/settings.js';
import type { MonitorTimers, TimerHandle } from '../monitor/timers.js';
import type { MinerView, Monitor, MonitorEvent } from '../monitor/types.js';
import { CapabilityReader, type SettingsControl } from './CapabilityReader.js';
import { Connection, type ConnectionEvent, type ConnectionStatus } from './Connection.js';
import { type CommandEvent, CommandHandler, type CommandResult } from './commands.js';
import { type DiscoveryContext, fleetDiscovery, minerDiscovery, minerDiscoveryTopics } from './discovery.js';
import { settingsState } from './settingEntities.js';
import { DEFAULT_MQTT_TUNING, type MqttSettings, type MqttTuning } from './settings.js';
import { fleetState, minerState } from './statePayload.js';
import { COMMANDS, type CommandName, Topics } from './topics.js';

export type BridgeMonitor = Pick<Monitor, 'listMiners' | 'getMiner' | 'fleet' | 'subscribe' | 'restartMiner'>;

/** A miner's capabilities could not be read (its setting entities wait for the next try). */
export interface CapabilitiesEvent {
  readonly type: 'capabilities_unread';
  readonly minerId: string;
  readonly error: string;
}

export type MqttBridgeEvent = ConnectionEvent | CommandEvent | CapabilitiesEvent;

export interface MqttBridgeOptions {
  readonly monitor: BridgeMonitor;
  readonly settings: MqttSettings;
  /** Base of each miner's page link, e.g. `http://127.0.0.1:8080`. */
  readonly dashboardUrl: string;
  readonly version: string;
  readonly timers: MonitorTimers;
  readonly random: () => number;
  readonly tuning?: Partial<MqttTuning>;
  /** What the bridge reports; the app decides what to log. */
  readonly onEvent?: (event: MqttBridgeEvent) => void;
  /**
   * Pause, resume and settings for the pause switch and the setting entities (with
   * `commands: true`), offered per miner as its capabilities allow; without it only restart.
   */
  readonly control?: SettingsControl;
  /** With several instances: true for the miners this one polls (see CommandHandlerOptions). */
  readonly runsHere?: (minerId: string) => boolean;
}

/** The bridge's state for GET /api/health and the dashboard. */
export interface MqttStatus extends ConnectionStatus {
  readonly connected: boolean;
  /** Miners whose state waits for the next flush: never more than the fleet, none while away. */
  readonly pending: number;
}

const RETAINED = { retain: true, qos: 1 } as const;
/** State is retained but sent at QoS 0: the next poll replaces a lost one. */
const STATE = { retain: true, qos: 0 } as const;

export class MqttBridge implements AsyncDisposable {
  readonly #o: MqttBridgeOptions;
  readonly #tuning: MqttTuning;
  readonly #topics: Topics;
  readonly #connection: Connection;
  readonly #commands: CommandHandler;
  readonly #offered: readonly CommandName[];
  /** Each miner's capabilities, read once (not per poll); null without control. */
  readonly #capabilities: CapabilityReader | null;
  /** Miners whose state changed since the last flush. */
  readonly #dirty = new Set<string>();
  /** What each miner's discovery config was last built from: republished when it changes. */
  readonly #announced = new Map<string, string>();
  /** Miners removed while the broker was away: cleared on the next connect. */
  readonly #removedAway = new Set<string>();
  #flushTimer: TimerHandle | null = null;
  #fleetTimer: TimerHandle | null = null;
  #fleetAt = Number.NEGATIVE_INFINITY;
  #unsubscribe: (() => void) | null = null;
  /** Bumped on every connect: a snapshot of an older connection stops. */
  #generation = 0;

  constructor(options: MqttBridgeOptions) {
    this.#o = options;
    this.#tuning = { ...DEFAULT_MQTT_TUNING, ...options.tuning };
    const { settings } = options;
    this.#topics = new Topics(settings.baseTopic, settings.discoveryPrefix);
    this.#offered = !settings.commands ? [] : options.control ? COMMANDS : ['restart'];
    const control = settings.commands ? options.control : undefined;
    this.#capabilities =
      control === undefined
        ? null
        : new CapabilityReader({
            control,
            now: () => options.timers.now(),
            retryMs: this.#tuning.capabilitiesRetryMs,
            onChange: (id, reading) => {
              if (reading !== null) this.#publishSettings(id, reading.settings);
              this.#markDirty(id);
            },
            onError: (id, error) =>
              options.onEvent?.({
                type: 'capabilities_unread',
                minerId: id,
                error: error instanceof Error ? error.message : String(error),
              }),
          });
    this.#connection = new Connection({
      url: settings.url,
      username: settings.username,
      password: settings.password,
      statusTopic: this.#topics.status,
      timers: options.timers,
      random: options.random,
      reconnectBaseDelayMs: this.#tuning.reconnectBaseDelayMs,
      maxReconnectDelayMs: this.#tuning.maxReconnectDelayMs,
      connectTimeoutMs: this.#tuning.connectTimeoutMs,
      maxBufferedBytes: this.#tuning.maxBufferedBytes,
      onConnected: () => {
        this.#snapshot().catch((error: unknown) =>
          options.onEvent?.({ type: 'disconnected', broker: this.status().broker, error: String(error) }),
        );
      },
      onMessage: (topic, payload, retained) => this.#commands.handle(topic, payload, retained),
      ...(options.onEvent === undefined ? {} : { onEvent: options.onEvent }),
    });
    this.#commands = new CommandHandler({
      topics: this.#topics,
      monitor: options.monitor,
      ...(control === undefined ? {} : { control }),
      capabilities: (id) => this.#capabilities?.peek(id) ?? null,
      onSettings: (id, readBack) => this.#capabilities?.updateSettings(id, readBack),
      offered: this.#offered,
      publishResult: (id, command, result) => this.#publishResult(id, command, result),
      ...(options.onEvent === undefined ? {} : { onEvent: options.onEvent }),
      ...(options.runsHere === undefined ? {} : { runsHere: options.runsHere }),
    });
  }

  get topics(): Topics {
    return this.#topics;
  }

  status(): MqttStatus {
    return { ...this.#connection.status(), connected: this.#connection.connected, pending: this.#dirty.size };
  }

  /** Subscribes to the monitor and starts connecting; returns at once. */
  start(): void {
    this.#unsubscribe ??= this.#o.monitor.subscribe((event) => this.#onMonitorEvent(event));
    this.#connection.start();
  }

  async close(): Promise<void> {
    this.#unsubscribe?.();
    this.#unsubscribe = null;
    this.#flushTimer?.cancel();
    this.#fleetTimer?.cancel();
    this.#flushTimer = null;
    this.#fleetTimer = null;
    await this.#connection.close();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  /** Called for every monitor event, on the poll's path: marks, never publishes or waits. */
  #onMonitorEvent(event: MonitorEvent): void {
    switch (event.type) {
      case 'sample':
      case 'status':
        this.#markDirty(event.minerId);
        break;
      case 'miner':
        if (event.action === 'removed') this.#removed(event.minerId);
        else this.#markDirty(event.minerId);
        break;
      case 'restart':
        this.#markDirty(event.restart.minerId);
        // After a reboot its firmware and menus may differ: read what it offers again.
        if (event.restart.state === 'confirmed') this.#capabilities?.refresh(event.restart.minerId);
        if (this.#offered.includes('restart')) {
          const { restart } = event;
          this.#publishResult(restart.minerId, 'restart', {
            ok: restart.state !== 'unconfirmed',
            state: restart.state,
            detail: restart.detail,
            code: null,
          });
        }
        break;
      default:
        break;
    }
  }

  #markDirty(minerId: string): void {
    // While away nothing is kept: the next connect sends the whole picture.
    if (!this.#connection.connected) return;
    this.#dirty.add(minerId);
    this.#flushTimer ??= this.#o.timers.setTimer(() => this.#flush(), 0);
  }

  #flush(): void {
    this.#flushTimer = null;
    const ids = [...this.#dirty];
    this.#dirty.clear();
    for (const id of ids) {
      const view = this.#o.monitor.getMiner(id);
      if (view !== null) this.#publishMiner(view);
    }
    this.#publishFleetSoon();
  }

  /** Fleet totals cost a pass over every miner: at most one every `fleetEveryMs`. */
  #publishFleetSoon(): void {
    if (this.#fleetTimer !== null) return;
    const wait = this.#fleetAt + this.#tuning.fleetEveryMs - this.#o.timers.now();
    if (wait <= 0) {
      this.#publishFleet();
      return;
    }
    this.#fleetTimer = this.#o.timers.setTimer(() => {
      this.#fleetTimer = null;
      this.#publishFleet();
    }, wait);
  }

  #publishFleet(): void {
    this.#fleetAt = this.#o.timers.now();
    this.#connection.publish(
      this.#topics.fleetState,
      JSON.stringify(fleetState(this.#o.monitor.fleet())),
      STATE,
    );
  }

  #publishMiner(view: MinerView): void {
    const key = capabilityKey(view);
    // Asked on every publish, but read from the device only when new, changed or due again.
    const reading = this.#capabilities?.get(view.id, key) ?? null;
    if (this.#o.settings.homeAssistant) {
      const signature = JSON.stringify([key, view.name, view.mac, reading?.capabilities ?? null]);
      if (this.#announced.get(view.id) !== signature) {
        let sent = true;
        const { messages, withdrawn } = minerDiscovery(view, this.#context(), reading);
        for (const message of messages) {
          sent = this.#connection.publish(message.topic, JSON.stringify(message.payload), RETAINED) && sent;
        }
        for (const topic of withdrawn) sent = this.#connection.publish(topic, '', RETAINED) && sent;
        // A skipped config is sent again with the next state.
        if (sent) this.#announced.set(view.id, signature);
      }
    }
    this.#connection.publish(this.#topics.state(view.id), JSON.stringify(minerState(view)), STATE);
  }

  #removed(minerId: string): void {
    this.#dirty.delete(minerId);
    this.#announced.delete(minerId);
    this.#capabilities?.delete(minerId);
    if (!this.#connection.connected) {
      this.#removedAway.add(minerId);
      return;
    }
    this.#clear(minerId);
    this.#publishFleetSoon();
  }

  /** An empty retained message deletes the retained one (and Home Assistant drops the entity). */
  #clear(minerId: string): void {
    this.#connection.publish(this.#topics.state(minerId), '', RETAINED);
    this.#connection.publish(this.#topics.settings(minerId), '', RETAINED);
    for (const topic of minerDiscoveryTopics(minerId, this.#topics)) {
      this.#connection.publish(topic, '', RETAINED);
    }
  }

  /** The settings the number entities show, as last read or read back (retained). */
  #publishSettings(minerId: string, settings: DeviceSettings): void {
    this.#connection.publish(
      this.#topics.settings(minerId),
      JSON.stringify(settingsState(settings)),
      RETAINED,
    );
  }

  #publishResult(minerId: string, command: CommandName, result: CommandResult): void {
    this.#connection.publish(this.#topics.commandResult(minerId, command), JSON.stringify(result), {
      qos: 1,
    });
  }

  #context(): DiscoveryContext {
    return {
      topics: this.#topics,
      dashboardUrl: this.#o.dashboardUrl,
      commands: this.#offered,
      version: this.#o.version,
    };
  }

  /** The whole picture, sent on every connect; waits for room rather than skipping. */
  async #snapshot(): Promise<void> {
    const generation = ++this.#generation;
    const connection = this.#connection;
    const live = () => generation === this.#generation && connection.connected;
    connection.publish(this.#topics.status, 'online', RETAINED);
    if (this.#offered.length > 0) connection.subscribe(this.#topics.commandFilter);
    for (const id of this.#removedAway) this.#clear(id);
    this.#removedAway.clear();
    this.#announced.clear();
    if (this.#o.settings.homeAssistant) {
      for (const message of fleetDiscovery(this.#context())) {
        connection.publish(message.topic, JSON.stringify(message.payload), RETAINED);
      }
    }
    for (const view of this.#o.monitor.listMiners()) {
      if (!(await connection.room()) || !live()) return;
      this.#publishMiner(view);
    }
    this.#publishFleetSoon();
  }
}

/** What a miner's capabilities depend on: read again when its model or firmware changes. */
function capabilityKey(view: MinerView): string {
  const sample = view.lastSample;
  return JSON.stringify([
    view.kind,
    sample?.deviceModel ?? null,
    sample?.asicModel ?? null,
    sample?.firmware ?? null,
  ]);
}
