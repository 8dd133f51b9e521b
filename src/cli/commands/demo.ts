/**
 * `solowatch demo`: the real app over a simulated fleet of every kind, with a little noise on
 * every device and one miner that drops off the network for a while and comes back, so a
 * newcomer sees statuses change, an alert fire, and a circuit breaker open and recover.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConfigFlags } from '../../config/loadConfig.js';
import type { SolowatchHandle } from '../../main.js';
import type { MinerKind } from '../../miners/MinerSample.js';
import { type DeviceKind, type FaultPlan, type Fleet, startFleet } from '../../simulator/index.js';
import { CliError } from '../CliError.js';
import type { CliIo } from '../io.js';
import { announce, listenError, loadMain, serveUntilSignal } from './lifecycle.js';

/** Background noise on every device: slow answers, a 503 now and then, the odd garbled body. */
const NOISE: FaultPlan = { rates: { slow: 0.03, http503: 0.02, malformed: 0.01, reset: 0.01 } };
/** The flaky miner's cycle: up for a while, then unreachable long enough to open its breaker. */
export const FLAKY_FIRST_DOWN_MS = 45_000;
export const FLAKY_UP_MS = 120_000;
export const FLAKY_DOWN_MS = 75_000;
/** Polls in the demo are quicker than the default so that things move while someone watches. */
const DEMO_POLL_MS = 5_000;

const KIND: Readonly<Record<DeviceKind, MinerKind>> = {
  axeos: 'axeos',
  nerdqaxe: 'nerdqaxe',
  cgminer: 'cgminer',
  avalon: 'cgminer',
  whatsminer: 'whatsminer',
};

function positiveInt(name: string, value: string, max: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new CliError(`${name} must be an integer 1-${max}`, 2);
  return n;
}

/** Takes one device off the network and back, over and over, until stopped. */
export function flakyCycle(fleet: Fleet, index: number): () => void {
  const device = fleet.devices[index];
  if (device === undefined) return () => {};
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;
  const next = (goDown: boolean, afterMs: number) => {
    if (stopped) return;
    timer = setTimeout(() => {
      device.setFaults(goDown ? { offline: true } : NOISE);
      next(!goDown, goDown ? FLAKY_DOWN_MS : FLAKY_UP_MS);
    }, afterMs);
    timer.unref();
  };
  // The first outage comes soon, so someone who just opened the dashboard sees it.
  next(true, FLAKY_FIRST_DOWN_MS);
  return () => {
    stopped = true;
    if (timer !== null) clearTimeout(timer);
    device.setFaults(NOISE);
  };
}

export async function runDemo(
  io: CliIo,
  flags: ConfigFlags & { count: string; seed: string },
): Promise<void> {
  const count = positiveInt('--count', flags.count, 50);
  const seed = positiveInt('--seed', flags.seed, 2 ** 31);
  const tempDir = flags.dataDir === undefined ? await mkdtemp(join(tmpdir(), 'solowatch-demo-')) : null;
  const { loadConfig } = await import('../../config/loadConfig.js');
  const base = await loadConfig({
    flags: { ...flags, ...(tempDir === null ? {} : { dataDir: tempDir }) },
    env: io.env,
    cwd: io.cwd,
  });
  const config = { ...base, pollIntervalMs: base.pollIntervalMs ?? DEMO_POLL_MS };
  const { cliLogger, logFnOf } = await import('../../log/logger.js');
  const logger = cliLogger(io, config.logLevel);
  const log = logFnOf(logger);

  const fleet = await startFleet({ count, kind: 'mixed', seed, faults: NOISE, firmware: 'mixed' });
  let handle: SolowatchHandle | null = null;
  try {
    try {
      handle = await (await loadMain()).startSolowatch(config, { logger });
    } catch (error) {
      // A newcomer's port 8080 may be taken; unless a port was asked for, any free one will do.
      const explicit = flags.port !== undefined || io.env.SOLOWATCH_PORT !== undefined;
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || explicit)
        throw listenError(error, config.port) ?? error;
      log('warn', `port ${config.port} is in use; using a free port instead`);
      handle = await (await loadMain()).startSolowatch({ ...config, port: 0 }, { logger });
    }
    for (const [i, device] of fleet.devices.entries()) {
      await handle.monitor.addMiner({
        host: device.host,
        port: device.port,
        kind: KIND[device.kind],
        name: `${device.kind}-${i + 1}`,
        verify: false,
      });
    }
  } catch (error) {
    await handle?.close();
    await fleet.close();
    if (tempDir !== null) await rm(tempDir, { recursive: true, force: true });
    throw error;
  }

  const flaky = fleet.devices[1];
  const stopFlaky = flakyCycle(fleet, 1);
  announce(io, handle);
  io.stdout(
    `Demo: ${count} simulated miners (${fleet.devices.map((d) => d.kind).join(', ')}). ` +
      `${flaky === undefined ? '' : `${flaky.kind}-2 drops off the network every few minutes, so you can watch its breaker open and recover. `}` +
      `Data in ${config.dataDir}${tempDir === null ? '' : ' (removed on exit)'}.\n`,
  );
  const running = handle;
  await serveUntilSignal(io, async () => {
    stopFlaky();
    await running.close();
    await fleet.close();
    if (tempDir !== null) await rm(tempDir, { recursive: true, force: true });
  });
}
