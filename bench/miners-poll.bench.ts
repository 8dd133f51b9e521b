/**
 * Polling a fleet of simulated AxeOS miners (the simulator runs in a child process, so it does
 * not share our event loop) through the full client path (HttpSessionManager: retry, a breaker
 * per origin, timeouts, size cap; the AxeOS driver's parse to MinerSample) against raw clients
 * making the same GET /api/system/info and JSON.parse, with and without keep-alive. The raw
 * node:http rows are there to choose the transport: undici vs node:http on the same requests.
 *
 *   node --import tsx bench/miners-poll.bench.ts [--quick]
 *
 * Target: the full path keeps at least 0.8x the raw undici throughput in both modes.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { Agent as HttpAgent, get as httpGet } from 'node:http';
import { fileURLToPath } from 'node:url';
import { Pool } from 'undici';
import { createDriverRegistry, type DriverRegistry, type MinerEndpoint } from '../src/miners/index.js';
import { isQuick } from './lib/args.js';
import { median, quantile } from './lib/stats.js';
import { printSummary, type SummaryRow } from './lib/summary.js';
import { renderTable } from './lib/table.js';

const BENCH = 'miners-poll';
const QUICK = isQuick();
const MINERS = QUICK ? 200 : 1000;
const ROUNDS = QUICK ? 5 : 7;
/** Polls in flight at once, as the monitor's concurrency cap would allow. */
const CONCURRENCY = 64;
const TARGET = 0.8;
const INFO_PATH = '/api/system/info';

interface Poller {
  readonly name: string;
  poll(endpoint: MinerEndpoint): Promise<unknown>;
  close(): Promise<void>;
}

// ---- the fleet, in its own process ------------------------------------------------------------

async function runChild(count: number): Promise<void> {
  const { startFleet } = await import('../src/simulator/index.js');
  const fleet = await startFleet({ count, kind: 'axeos', firmware: '2.15', seed: 42 });
  process.send?.({ devices: fleet.devices.map((device) => ({ host: device.host, port: device.port })) });
  process.on('message', () => {
    void fleet.close().then(() => process.exit(0));
  });
}

function startFleetProcess(count: number): Promise<{ child: ChildProcess; devices: MinerEndpoint[] }> {
  const child = fork(fileURLToPath(import.meta.url), ['--child', String(count)], {
    execArgv: process.execArgv,
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('message', (message) =>
      resolve({ child, devices: (message as { devices: MinerEndpoint[] }).devices }),
    );
    child.once('exit', (code) => reject(new Error(`the simulator child exited with ${code}`)));
  });
}

// ---- the clients ------------------------------------------------------------------------------

function rawUndici(keepAlive: boolean): Poller {
  const pools = new Map<string, Pool>();
  return {
    name: `raw undici, ${keepAlive ? 'keep-alive' : 'new connection'}`,
    async poll({ host, port }) {
      const origin = `http://${host}:${port}`;
      let pool = pools.get(origin);
      if (pool === undefined) {
        pool = new Pool(origin, { connections: 2, keepAliveTimeout: 4000 });
        pools.set(origin, pool);
      }
      const response = await pool.request({ path: INFO_PATH, method: 'GET', reset: !keepAlive });
      return JSON.parse(await response.body.text());
    },
    async close() {
      await Promise.all([...pools.values()].map((pool) => pool.close()));
    },
  };
}

function rawNodeHttp(keepAlive: boolean): Poller {
  const agent = new HttpAgent({ keepAlive, maxSockets: 2, keepAliveMsecs: 4000 });
  return {
    name: `raw node:http, ${keepAlive ? 'keep-alive' : 'new connection'}`,
    poll: ({ host, port }) =>
      new Promise((resolve, reject) => {
        const request = httpGet({ host, port, path: INFO_PATH, agent }, (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => {
            try {
              resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
            } catch (error) {
              reject(error);
            }
          });
          response.on('error', reject);
        });
        request.on('error', reject);
      }),
    async close() {
      agent.destroy();
    },
  };
}

function solowatch(keepAlive: boolean): Poller {
  const registry: DriverRegistry = createDriverRegistry({
    // The raw undici pools keep idle sockets as long as the server's Keep-Alive hint says (15 s
    // here); ours caps that at 4 s by default, shorter than one rotation of this bench. The
    // same idle time for both keeps the keep-alive rows about reuse, not about that cap. One
    // connection per origin, the session's default (a miner is never polled twice at once).
    http: { keepAlive, keepAliveTimeoutMs: 15_000 },
  });
  const driver = registry.get('axeos');
  if (driver === undefined) throw new Error('no axeos driver');
  return {
    name: `solowatch, ${keepAlive ? 'keep-alive' : 'new connection'}`,
    poll: (endpoint) => driver.readSample(endpoint, { maxAttempts: 2 }),
    close: () => registry.close(),
  };
}

// ---- measuring --------------------------------------------------------------------------------

interface RoundResult {
  readonly pollsPerSecond: number;
  /** CPU time of this process per poll (user + system), which load on the machine barely moves. */
  readonly cpuUsPerPoll: number;
  readonly latenciesMs: number[];
  readonly errors: number;
}

async function round(poller: Poller, devices: readonly MinerEndpoint[]): Promise<RoundResult> {
  const latenciesMs: number[] = [];
  let errors = 0;
  let next = 0;
  const cpu = process.cpuUsage();
  const started = performance.now();
  const worker = async (): Promise<void> => {
    while (next < devices.length) {
      const device = devices[next++] as MinerEndpoint;
      const t0 = performance.now();
      try {
        await poller.poll(device);
        latenciesMs.push(performance.now() - t0);
      } catch {
        errors += 1;
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  return {
    pollsPerSecond: devices.length / seconds,
    cpuUsPerPoll: (used.user + used.system) / devices.length,
    latenciesMs,
    errors,
  };
}

interface Result {
  readonly name: string;
  readonly pollsPerSecond: number;
  /** Median over rounds of this round's rate / raw undici's rate in the same mode and round. */
  readonly ratio: number;
  readonly cpuUsPerPoll: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly errors: number;
}

async function measure(pollers: readonly Poller[], devices: readonly MinerEndpoint[]): Promise<Result[]> {
  const rates = new Map<string, number[]>(pollers.map((p) => [p.name, []]));
  const cpus = new Map<string, number[]>(pollers.map((p) => [p.name, []]));
  const latencies = new Map<string, number[]>(pollers.map((p) => [p.name, []]));
  const errors = new Map<string, number>(pollers.map((p) => [p.name, 0]));
  // One warm-up round each (JIT, connection set-up for keep-alive), not counted.
  for (const poller of pollers) await round(poller, devices);
  for (let r = 0; r < ROUNDS; r += 1) {
    // The order rotates so that no client always runs right after the same other one.
    const order = pollers.map((_, i) => pollers[(i + r) % pollers.length] as Poller);
    for (const poller of order) {
      const result = await round(poller, devices);
      rates.get(poller.name)?.push(result.pollsPerSecond);
      cpus.get(poller.name)?.push(result.cpuUsPerPoll);
      latencies.get(poller.name)?.push(...result.latenciesMs);
      errors.set(poller.name, (errors.get(poller.name) ?? 0) + result.errors);
    }
  }
  // Paired ratios: the machine's load drifts between rounds, but hits both clients of a round alike.
  const anchorOf = (name: string): string =>
    `raw undici, ${name.endsWith('keep-alive') ? 'keep-alive' : 'new connection'}`;
  return pollers.map((poller) => {
    const lat = latencies.get(poller.name) ?? [];
    const own = rates.get(poller.name) ?? [];
    const anchor = rates.get(anchorOf(poller.name)) ?? [];
    return {
      name: poller.name,
      pollsPerSecond: median(own),
      ratio: median(own.map((rate, i) => rate / (anchor[i] ?? Number.NaN))),
      cpuUsPerPoll: median(cpus.get(poller.name) ?? []),
      p50Ms: quantile(lat, 0.5),
      p99Ms: quantile(lat, 0.99),
      errors: errors.get(poller.name) ?? 0,
    };
  });
}

async function main(): Promise<void> {
  const { child, devices } = await startFleetProcess(MINERS);
  const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined;
  const pollers = [
    rawUndici(true),
    solowatch(true),
    rawNodeHttp(true),
    rawUndici(false),
    solowatch(false),
    rawNodeHttp(false),
  ].filter(
    (poller) => only === undefined || poller.name.includes(only) || poller.name.startsWith('raw undici'),
  );
  let results: Result[];
  try {
    results = await measure(pollers, devices);
  } finally {
    await Promise.all(pollers.map((poller) => poller.close()));
    child.send('close');
  }
  const byName = new Map(results.map((result) => [result.name, result]));
  const get = (name: string): Result => byName.get(name) as Result;

  process.stdout.write(
    `Polling ${MINERS} simulated AxeOS v2.15 miners (simulator in a child process), ${CONCURRENCY} polls in flight, ` +
      `median of ${ROUNDS} rounds after a warm-up${QUICK ? ' (quick)' : ''}\n\n`,
  );
  const rows = results.map((r) => [
    r.name,
    r.pollsPerSecond,
    r.ratio,
    r.p50Ms,
    r.p99Ms,
    r.cpuUsPerPoll,
    r.errors,
  ]);
  process.stdout.write(
    `${renderTable(['client', 'polls/s', 'vs raw undici', 'p50 ms', 'p99 ms', 'client CPU us/poll', 'errors'], rows)}\n\n` +
      'polls/s and CPU are medians over rounds; "vs raw undici" is the median of per-round ratios against raw undici\n' +
      'in the same mode (both ran in the same round, so load on the machine hits them alike).\n\n',
  );

  const summary: SummaryRow[] = [];
  for (const mode of ['keep-alive', 'new connection'] as const) {
    const full = get(`solowatch, ${mode}`);
    const raw = get(`raw undici, ${mode}`);
    const node = get(`raw node:http, ${mode}`);
    const ratio = full.ratio;
    const key = mode === 'keep-alive' ? 'keepalive' : 'new_connection';
    summary.push(
      {
        bench: BENCH,
        metric: `throughput_${key}`,
        value: full.pollsPerSecond,
        unit: 'polls/s',
        anchor: `raw undici ${raw.pollsPerSecond.toFixed(0)} polls/s`,
        ratio,
        target: TARGET,
        pass: ratio >= TARGET,
      },
      {
        bench: BENCH,
        metric: `p50_${key}`,
        value: full.p50Ms,
        unit: 'ms',
        anchor: raw.p50Ms,
        ratio: full.p50Ms / raw.p50Ms,
        target: null,
        pass: null,
      },
      {
        bench: BENCH,
        metric: `p99_${key}`,
        value: full.p99Ms,
        unit: 'ms',
        anchor: raw.p99Ms,
        ratio: full.p99Ms / raw.p99Ms,
        target: null,
        pass: null,
      },
      {
        bench: BENCH,
        metric: `transport_undici_vs_node_http_${key}`,
        value: raw.pollsPerSecond,
        unit: 'polls/s',
        anchor: node.pollsPerSecond,
        ratio: 1 / node.ratio,
        target: null,
        pass: null,
      },
    );
  }
  printSummary(summary);
}

if (process.argv.includes('--child')) {
  await runChild(Number(process.argv[process.argv.indexOf('--child') + 1]));
} else {
  await main();
}
