/**
 * Adding a miner: checked input, the device reached (with retries) to learn what it is, refused
 * when it is already watched (by address, or by MAC, which moves it instead), then stored,
 * indexed and scheduled. Two requests for one address at once: the second is refused.
 */
import type { MinerDriver, MinerEndpoint } from '../miners/MinerDriver.js';
import type { MinerIdentity } from '../miners/MinerSample.js';
import { type CircuitBreakerConfig, type RetryManager, retryMinerOperation } from '../resilience/index.js';
import type { MinerCredentials, MinerRecord, Storage } from '../storage/Storage.js';
import { checkAddInput } from './checkInput.js';
import { isUnreachable, messageOf } from './classifyError.js';
import type { DriverRegistryLike } from './deps.js';
import { defaultPorts } from './discovery/discover.js';
import type { EventHub } from './EventHub.js';
import type { EventLog } from './EventLog.js';
import { MonitorError } from './errors.js';
import type { Fleet } from './Fleet.js';
import { mayMoveTo } from './identityByMac.js';
import { isLoginRefusal, loginRefusalMessage } from './loginRefusal.js';
import type { MinerEditor } from './MinerEditor.js';
import { addressKey, breakerName, effectiveInterval, type MinerEntry, newEntry } from './MinerEntry.js';
import type { PollScheduler } from './PollScheduler.js';
import type { MonitorClock } from './timers.js';
import type { AddMinerInput } from './types.js';

export interface VerifySettings {
  /** Config of the miner's breaker, which verification creates (the polls' one). */
  readonly breaker: Partial<CircuitBreakerConfig>;
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly timeoutMs: number;
}

export interface MinerAdderDeps {
  readonly fleet: Fleet;
  readonly storage: Storage;
  readonly drivers: DriverRegistryLike;
  readonly retryManager: RetryManager;
  readonly clock: MonitorClock;
  readonly random: () => number;
  readonly scheduler: Pick<PollScheduler, 'add'>;
  readonly events: EventLog;
  readonly hub: EventHub;
  readonly editor: Pick<MinerEditor, 'move'>;
  readonly idGenerator: () => string;
  readonly defaultIntervalMs: number;
  readonly verify: VerifySettings;
}

function exists(entry: MinerEntry, detail: string): MonitorError {
  return new MonitorError(
    'MINER_EXISTS',
    `Miner ${JSON.stringify(entry.record.name)} (id ${entry.record.id}) is already monitored ${detail}`,
    { minerId: entry.record.id },
  );
}

interface NormalizedInput {
  readonly host: string;
  readonly port: number | null;
  readonly kind: MinerIdentity['kind'] | null;
  readonly name: string | null;
  readonly tags: readonly string[];
  readonly credentials: MinerCredentials | null;
  readonly verify: boolean;
}

/** Host names compare case-blind; a name keeps no stray spaces; absent fields become null. */
function normalized(input: AddMinerInput): NormalizedInput {
  return {
    host: input.host.toLowerCase(),
    port: input.port ?? null,
    kind: input.kind === undefined || input.kind === 'auto' ? null : input.kind,
    name: input.name?.trim() ?? null,
    tags: input.tags ?? [],
    credentials: input.credentials ?? null,
    verify: input.verify ?? true,
  };
}

interface Verified {
  readonly driver: MinerDriver;
  readonly port: number;
  readonly identity: MinerIdentity | null;
}

export class MinerAdder {
  readonly #deps: MinerAdderDeps;
  /** Addresses being added right now. */
  readonly #pending = new Set<string>();

  constructor(deps: MinerAdderDeps) {
    this.#deps = deps;
  }

  async add(input: AddMinerInput, options: { signal?: AbortSignal } = {}): Promise<MinerEntry> {
    const { fleet, drivers, editor, retryManager } = this.#deps;
    const checked = normalized(checkAddInput(input));
    if (checked.port !== null) {
      const same = fleet.findByAddress(checked.host, checked.port);
      if (same !== undefined) throw exists(same, `at ${checked.host}:${checked.port}`);
    }
    const claim = addressKey(checked.host, checked.port ?? 0);
    if (this.#pending.has(claim)) {
      throw new MonitorError('MINER_EXISTS', `${checked.host} is being added by another request right now`);
    }
    this.#pending.add(claim);
    const id = this.#deps.idGenerator();
    try {
      // Without verification a known kind is trusted as given; an unknown one still needs one
      // quick look (a single attempt), since nothing can be polled without knowing what it speaks.
      const verified =
        checked.verify || checked.kind === null
          ? await this.#verify(id, checked, options.signal)
          : this.#unverified(checked.kind, checked.port);
      const same = fleet.findByAddress(checked.host, verified.port);
      if (same !== undefined) throw exists(same, `at ${checked.host}:${verified.port}`);
      const mac = verified.identity?.mac ?? null;
      // The same device at a new address keeps its id (a device of another kind sharing the MAC
      // is not `known`: identity is the MAC within a kind).
      const known = mac === null ? undefined : fleet.findByMac(mac, verified.driver.kind);
      if (known !== undefined && mac !== null) {
        const candidate = { host: checked.host, port: verified.port, kind: verified.driver.kind, mac };
        const verdict = await mayMoveTo(
          drivers,
          known,
          candidate,
          options.signal === undefined ? {} : { signal: options.signal },
        );
        if (verdict.verdict === 'move') {
          await editor.move(known, checked.host, verified.port);
          throw exists(known, `by its MAC ${mac}; its address is now ${checked.host}:${verified.port}`);
        }
        if (verdict.verdict === 'old_answers') {
          throw exists(
            known,
            `by its MAC ${mac}, and ${known.record.host}:${known.record.port} still answers with it`,
          );
        }
      }
      return await this.#store(id, checked, verified);
    } catch (error) {
      // The verification breaker belongs to a miner that does not exist: do not keep it around.
      retryManager.delete(breakerName(id));
      throw error;
    } finally {
      this.#pending.delete(claim);
    }
  }

  async #store(id: string, checked: NormalizedInput, verified: Verified): Promise<MinerEntry> {
    const { fleet, storage, scheduler, events, hub, clock, defaultIntervalMs } = this.#deps;
    const mac = verified.identity?.mac ?? null;
    const now = clock.now();
    const record: MinerRecord = {
      id,
      name: checked.name ?? verified.identity?.hostname ?? checked.host,
      host: checked.host,
      port: verified.port,
      kind: verified.driver.kind,
      mac,
      hostname: verified.identity?.hostname ?? null,
      intervalMs: null,
      enabled: true,
      tags: checked.tags,
      credentials: checked.credentials,
      createdAt: now,
      updatedAt: now,
    };
    await storage.saveMinerConfig(record);
    const best = await storage.getBestDifficulty(id).catch(() => null);
    const entry = newEntry(record, best?.bestDifficulty ?? null);
    entry.checkGap = false;
    fleet.add(entry);
    scheduler.add(id, effectiveInterval(record, defaultIntervalMs));
    events.record(
      id,
      'miner_added',
      'info',
      `Added ${record.kind} miner ${record.name} at ${record.host}:${record.port}`,
    );
    hub.emit({ type: 'miner', action: 'added', minerId: id });
    return entry;
  }

  #unverified(kind: MinerIdentity['kind'] | null, port: number | null): Verified {
    const driver = kind === null ? undefined : this.#deps.drivers.get(kind);
    if (driver === undefined)
      throw new MonitorError('INVALID_INPUT', `No driver for kind ${JSON.stringify(kind)}`);
    return { driver, port: port ?? driver.defaultPort, identity: null };
  }

  async #verify(id: string, checked: NormalizedInput, signal: AbortSignal | undefined): Promise<Verified> {
    const { host, port, kind, credentials } = checked;
    // Without verification asked, an unknown kind still gets one quick look.
    const once = !checked.verify;
    const { drivers, retryManager, clock, random, verify: settings } = this.#deps;
    const call = {
      timeoutMs: settings.timeoutMs,
      maxAttempts: 1,
      ...(signal === undefined ? {} : { signal }),
    };
    // Only "nothing answered" is worth another try; "not a miner" will not change in a second.
    const attempt = retryMinerOperation({
      ...settings.breaker,
      manager: retryManager,
      clock,
      random,
      maxAttempts: once ? 1 : settings.maxAttempts,
      baseDelayMs: settings.baseDelayMs,
      isRetryable: isUnreachable,
      key: () => id,
      ...(signal === undefined ? {} : { signal }),
    });
    const fixedDriver = kind === null ? undefined : drivers.get(kind);
    if (kind !== null && fixedDriver === undefined)
      throw new MonitorError('INVALID_INPUT', `No driver for kind ${kind}`);
    const ports =
      port !== null ? [port] : fixedDriver !== undefined ? [fixedDriver.defaultPort] : defaultPorts(drivers);
    let lastError: unknown;
    let notAMiner: unknown;
    for (const candidate of ports) {
      const endpoint: MinerEndpoint = {
        host,
        port: candidate,
        id,
        ...(credentials === null ? {} : { credentials }),
      };
      try {
        if (fixedDriver !== undefined) {
          const identity = await attempt(async () => fixedDriver.readIdentity(endpoint, call))();
          return { driver: fixedDriver, port: candidate, identity };
        }
        const found = await attempt(async () => drivers.detect(endpoint, call))();
        return { driver: found.driver, port: candidate, identity: found.identity };
      } catch (error) {
        if (signal?.aborted) throw signal.reason;
        if (isLoginRefusal(error)) {
          const refused = loginRefusalMessage({ name: `${host}:${candidate}`, credentials });
          const hint = credentials === null ? ': give its device login as `credentials`' : '';
          throw new MonitorError('MINER_REFUSED', `${refused}${hint}`, { cause: error });
        }
        lastError = error;
        if (!isUnreachable(error)) notAMiner = error;
      }
    }
    const where = `${host}${port === null ? ` (ports ${ports.join(', ')})` : `:${port}`}`;
    if (notAMiner !== undefined) {
      throw new MonitorError(
        'NOT_A_MINER',
        `Something answers at ${where} but it is not a ${kind ?? 'supported'} miner: ${messageOf(notAMiner)}`,
        { cause: notAMiner },
      );
    }
    const hint = once ? '; give `kind` to add it without reaching it' : '';
    throw new MonitorError(
      'MINER_UNREACHABLE',
      `No miner answers at ${where}: ${messageOf(lastError)}${hint}`,
      {
        cause: lastError,
      },
    );
  }
}
