/** Adding and restarting miners: the two commands that talk to a device on a caller's behalf. */
import type { MinerDriver, MinerEndpoint } from '../miners/MinerDriver.js';
import type { MinerIdentity } from '../miners/MinerSample.js';
import { isCircuitOpenError, retryMinerOperation } from '../resilience/index.js';
import type { MinerRecord } from '../storage/Storage.js';
import { failedBeforeSending, isUnreachable, messageOf } from './classifyError.js';
import { defaultPorts } from './discovery/discover.js';
import { MonitorError } from './errors.js';
import { addressKey, breakerName, effectiveInterval, type MinerEntry } from './MinerEntry.js';
import type { MinerManager } from './MinerManager.js';
import type { AddMinerInput, MinerView, RestartStatus } from './types.js';
import { checkAddInput } from './validateInput.js';

const pendingAddresses = new WeakMap<MinerManager, Set<string>>();

function findByAddress(manager: MinerManager, host: string, port: number): MinerEntry | undefined {
  return manager.findByAddress(host, port);
}

export function findByMac(manager: MinerManager, mac: string): MinerEntry | undefined {
  return manager.findByMac(mac);
}

function exists(entry: MinerEntry, detail: string): MonitorError {
  return new MonitorError(
    'MINER_EXISTS',
    `Miner ${JSON.stringify(entry.record.name)} (id ${entry.record.id}) is already monitored ${detail}`,
    { minerId: entry.record.id },
  );
}

interface Verified {
  readonly driver: MinerDriver;
  readonly port: number;
  readonly identity: MinerIdentity | null;
}

export async function addMiner(
  manager: MinerManager,
  input: AddMinerInput,
  options: { signal?: AbortSignal } = {},
): Promise<MinerView> {
  const kinds = manager.drivers.list().map((driver) => driver.kind);
  const checked = checkAddInput(input, kinds);
  if (checked.port !== null) {
    const same = findByAddress(manager, checked.host, checked.port);
    if (same !== undefined) throw exists(same, `at ${checked.host}:${checked.port}`);
  }
  let pending = pendingAddresses.get(manager);
  if (pending === undefined) {
    pending = new Set();
    pendingAddresses.set(manager, pending);
  }
  const claim = addressKey(checked.host, checked.port ?? 0);
  if (pending.has(claim)) {
    throw new MonitorError('MINER_EXISTS', `${checked.host} is being added by another request right now`);
  }
  pending.add(claim);
  const idGenerator = manager.options.idGenerator ?? (() => crypto.randomUUID());
  const id = idGenerator();
  try {
    // Without verification a known kind is trusted as given; an unknown one still needs one
    // quick look (a single attempt), since nothing can be polled without knowing what it speaks.
    const verified =
      checked.verify || checked.kind === null
        ? await verify(manager, id, checked.host, checked.port, checked.kind, options.signal, !checked.verify)
        : unverified(manager, checked.kind, checked.port);
    const same = findByAddress(manager, checked.host, verified.port);
    if (same !== undefined) throw exists(same, `at ${checked.host}:${verified.port}`);
    const mac = verified.identity?.mac ?? null;
    const known = mac === null ? undefined : findByMac(manager, mac);
    if (known !== undefined) {
      await moveMiner(manager, known, checked.host, verified.port);
      throw exists(known, `by its MAC ${mac}; its address is now ${checked.host}:${verified.port}`);
    }
    const now = manager.timers.now();
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
      createdAt: now,
      updatedAt: now,
    };
    await manager.storage.saveMinerConfig(record);
    const best = await manager.storage.getBestDifficulty(id).catch(() => null);
    const entry = manager.newEntry(record, best?.bestDifficulty ?? null);
    entry.checkGap = false;
    manager.entries.set(id, entry);
    manager.index(entry);
    manager.scheduler.add(id, effectiveInterval(record, manager.defaultIntervalMs));
    manager.recordEvent(
      id,
      'miner_added',
      'info',
      `Added ${record.kind} miner ${record.name} at ${record.host}:${record.port}`,
    );
    manager.hub.emit({ type: 'miner', action: 'added', minerId: id });
    return manager.view(entry);
  } catch (error) {
    // The verification breaker belongs to a miner that does not exist: do not keep it around.
    manager.retryManager.delete(breakerName(id));
    throw error;
  } finally {
    pending.delete(claim);
  }
}

function unverified(
  manager: MinerManager,
  kind: MinerIdentity['kind'] | null,
  port: number | null,
): Verified {
  const driver = kind === null ? undefined : manager.drivers.get(kind);
  if (driver === undefined)
    throw new MonitorError('INVALID_INPUT', `No driver for kind ${JSON.stringify(kind)}`);
  return { driver, port: port ?? driver.defaultPort, identity: null };
}

async function verify(
  manager: MinerManager,
  id: string,
  host: string,
  port: number | null,
  kind: MinerIdentity['kind'] | null,
  signal: AbortSignal | undefined,
  once = false,
): Promise<Verified> {
  const settings = manager.options.verify ?? {};
  const call = {
    timeoutMs: settings.timeoutMs ?? 5000,
    maxAttempts: 1,
    ...(signal === undefined ? {} : { signal }),
  };
  // Only "nothing answered" is worth another try; "not a miner" will not change in a second.
  const attempt = retryMinerOperation({
    manager: manager.retryManager,
    clock: manager.timers,
    random: manager.random,
    maxAttempts: once ? 1 : (settings.maxAttempts ?? 3),
    baseDelayMs: settings.baseDelayMs ?? 1000,
    isRetryable: isUnreachable,
    key: () => id,
    ...(signal === undefined ? {} : { signal }),
  });
  const fixedDriver = kind === null ? undefined : manager.drivers.get(kind);
  if (kind !== null && fixedDriver === undefined)
    throw new MonitorError('INVALID_INPUT', `No driver for kind ${kind}`);
  const ports =
    port !== null
      ? [port]
      : fixedDriver !== undefined
        ? [fixedDriver.defaultPort]
        : defaultPorts(manager.drivers);
  let lastError: unknown;
  let notAMiner: unknown;
  for (const candidate of ports) {
    const endpoint: MinerEndpoint = { host, port: candidate, id };
    try {
      if (fixedDriver !== undefined) {
        const identity = await attempt(async () => fixedDriver.readIdentity(endpoint, call))();
        return { driver: fixedDriver, port: candidate, identity };
      }
      const found = await attempt(async () => manager.drivers.detect(endpoint, call))();
      return { driver: found.driver, port: candidate, identity: found.identity };
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
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

/** Identity by MAC: the same device at a new address keeps its id and history. */
export async function moveMiner(
  manager: MinerManager,
  entry: MinerEntry,
  host: string,
  port: number,
): Promise<boolean> {
  const { record } = entry;
  if (record.host === host && record.port === port) return false;
  const moved: MinerRecord = { ...record, host, port, updatedAt: manager.timers.now() };
  await manager.storage.saveMinerConfig(moved);
  entry.record = moved;
  manager.index(entry, record);
  manager.recordEvent(
    record.id,
    'address_changed',
    'info',
    `${record.name} moved from ${record.host}:${record.port} to ${host}:${port}`,
    {
      from: `${record.host}:${record.port}`,
      to: `${host}:${port}`,
    },
  );
  manager.hub.emit({ type: 'miner', action: 'updated', minerId: record.id });
  if (record.enabled) manager.scheduler.pollNow(record.id);
  return true;
}

export async function restartMiner(manager: MinerManager, id: string): Promise<RestartStatus> {
  const entry = manager.requireEntry(id);
  const now = manager.timers.now();
  const settings = manager.options.restart ?? {};
  if (entry.restart?.state === 'restarting') {
    throw new MonitorError(
      'RESTART_IN_PROGRESS',
      `A restart of ${entry.record.name} is already being confirmed`,
      { minerId: id },
    );
  }
  const cooldownMs = settings.cooldownMs ?? 300_000;
  if (entry.lastRestartAt !== null && now - entry.lastRestartAt < cooldownMs) {
    const retryAfterMs = entry.lastRestartAt + cooldownMs - now;
    throw new MonitorError(
      'RESTART_COOLDOWN',
      `${entry.record.name} was restarted ${Math.round((now - entry.lastRestartAt) / 1000)} s ago; try again in ${Math.ceil(retryAfterMs / 1000)} s`,
      { minerId: id, retryAfterMs },
    );
  }
  const breaker = manager.breakerSummary(id);
  if (breaker !== null && breaker.state === 'open') {
    const retryAfterMs = Math.max(0, (breaker.nextAttemptAt ?? now) - now);
    throw new MonitorError(
      'BREAKER_OPEN',
      `${entry.record.name} is not answering: circuit breaker ${breaker.name} is open; try again in ${Math.ceil(retryAfterMs / 1000)} s`,
      { minerId: id, retryAfterMs },
    );
  }
  if (!entry.record.enabled) {
    throw new MonitorError(
      'INVALID_INPUT',
      `Polling of ${entry.record.name} is disabled; enable it so the restart can be confirmed`,
      { minerId: id },
    );
  }
  const driver = manager.drivers.get(entry.record.kind as MinerIdentity['kind']);
  if (driver === undefined)
    throw new MonitorError('INVALID_INPUT', `No driver for kind ${entry.record.kind}`, { minerId: id });
  const previous = entry.restart;
  entry.restart = {
    minerId: id,
    state: 'restarting',
    requestedAt: now,
    confirmedAt: null,
    detail: 'sending the restart command',
  };
  let detail: string;
  try {
    detail = await sendRestart(manager, entry, driver, settings.maxSendAttempts ?? 3);
  } catch (error) {
    entry.restart = previous;
    throw error;
  }
  const sentAt = manager.timers.now();
  entry.lastRestartAt = sentAt;
  entry.restartWatch = {
    requestedAt: sentAt,
    deadline: sentAt + (settings.confirmTimeoutMs ?? 120_000),
    uptimeBeforeS: entry.lastSample?.uptimeS ?? null,
  };
  entry.restart = { minerId: id, state: 'restarting', requestedAt: sentAt, confirmedAt: null, detail };
  const from = entry.policy.status;
  entry.policy = {
    ...entry.policy,
    status: 'restarting',
    reason: 'restart sent, waiting for the uptime to reset',
  };
  if (from !== 'restarting') {
    manager.hub.emit({
      type: 'status',
      minerId: id,
      from,
      to: 'restarting',
      reason: entry.policy.reason,
      at: sentAt,
    });
  }
  manager.recordEvent(id, 'restart_requested', 'info', `Restart sent to ${entry.record.name}: ${detail}`);
  manager.hub.emit({ type: 'restart', restart: entry.restart });
  manager.scheduler.pollNow(id);
  return entry.restart;
}

/**
 * Sends the command once. It is sent again only when the connection failed before anything went
 * out; a timeout or dropped connection after sending may mean the device got it, so the uptime
 * decides instead of a second, possibly double, restart.
 */
async function sendRestart(
  manager: MinerManager,
  entry: MinerEntry,
  driver: MinerDriver,
  maxAttempts: number,
): Promise<string> {
  const endpoint: MinerEndpoint = { host: entry.record.host, port: entry.record.port, id: entry.record.id };
  for (let attempt = 1; ; attempt += 1) {
    try {
      const result = await driver.restart(endpoint, {
        maxAttempts: 1,
        timeoutMs: manager.options.pollTimeoutMs ?? 5000,
      });
      if (!result.accepted) {
        throw new MonitorError(
          'MINER_UNREACHABLE',
          `${entry.record.name} refused the restart: ${result.detail}`,
          { minerId: entry.record.id },
        );
      }
      return result.detail;
    } catch (error) {
      if (error instanceof MonitorError) throw error;
      // Refused before anything went out (a breaker opened since the check, or its one half-open
      // trial is taken): nothing was sent, so there is nothing to watch for.
      if (isCircuitOpenError(error)) {
        throw new MonitorError(
          'BREAKER_OPEN',
          `${entry.record.name} is not answering: circuit breaker ${error.breakerName} is open; try again in ${Math.ceil(error.retryAfterMs / 1000)} s`,
          { cause: error, minerId: entry.record.id, retryAfterMs: error.retryAfterMs },
        );
      }
      if (failedBeforeSending(error)) {
        if (attempt < maxAttempts) {
          await manager.timers.sleep(500 * attempt);
          continue;
        }
        throw new MonitorError(
          'MINER_UNREACHABLE',
          `Could not reach ${entry.record.name} to restart it: ${messageOf(error)}`,
          {
            cause: error,
            minerId: entry.record.id,
          },
        );
      }
      if (isUnreachable(error))
        return `no clear answer (${messageOf(error)}); watching the uptime to confirm`;
      throw new MonitorError(
        'MINER_UNREACHABLE',
        `${entry.record.name} did not accept the restart: ${messageOf(error)}`,
        {
          cause: error,
          minerId: entry.record.id,
        },
      );
    }
  }
}
