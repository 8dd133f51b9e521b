/**
 * Several instances bench (`node --import tsx bench/cluster.bench.ts [--quick]`): one, two and
 * three real `solowatch serve` processes on one PostgreSQL schema share a simulated AxeOS fleet
 * (child processes, bench/lib/simulatorFleet.ts) polled every 10 s, side by side in one run.
 * For each count, once the leases are split and a warm-up has passed, it measures over a window:
 * polls stored per second (the raw `metrics` rows), polls missed (expected minus stored), the
 * share of polls that started more than 1 s late (each instance's `/metrics` lateness
 * histogram), and the CPU the instances spent per 1,000 polls (from /proc), which is where the
 * coordination (heartbeats, leases, the live view) shows. On one machine more instances add no
 * CPU: the figure to read is the overhead, not a speed-up.
 *
 * Needs a PostgreSQL server: SOLOWATCH_BENCH_DATABASE_URL, default
 * postgres://postgres@127.0.0.1:5432/test. Each count gets a schema of its own, dropped at the
 * end. The last stdout line is `SUMMARY <json>` (see bench/lib/summary.ts).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { PostgresStorage } from '../src/storage/postgres/index.js';
import { isQuick } from './lib/args.js';
import { procCpuMs, startSimulatedFleet } from './lib/simulatorFleet.js';
import { printSummary, type SummaryRow } from './lib/summary.js';
import { formatNumber, renderTable } from './lib/table.js';

const quick = isQuick();
const DB_URL = process.env.SOLOWATCH_BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const MINERS = quick ? 300 : 2000;
const INTERVAL_MS = 10_000;
const LEASE_MS = 15_000;
const WARMUP_MS = quick ? 15_000 : 30_000;
const WINDOW_MS = quick ? 30_000 : 120_000;
const COUNTS = [1, 2, 3] as const;
const ENTRY = new URL('../src/cli/index.ts', import.meta.url).pathname;
const ROOT = new URL('../', import.meta.url).pathname;

interface Instance {
  readonly name: string;
  readonly child: ChildProcess;
  readonly url: string;
}

interface Result {
  readonly instances: number;
  readonly pollsPerS: number;
  readonly missedPct: number;
  readonly latePct: number;
  readonly cpuMsPer1000: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until<T>(probe: () => Promise<T | null | false>, timeoutMs: number, what: string): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await probe();
    if (value !== null && value !== false) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
}

function startInstance(name: string, dir: string, schema: string): Promise<Instance> {
  const config = join(dir, `${name}.json`);
  writeFileSync(
    config,
    JSON.stringify({
      storage: { kind: 'postgres', url: DB_URL, schema },
      cluster: { leaseMs: LEASE_MS, instanceId: name },
      pollIntervalMs: INTERVAL_MS,
    }),
  );
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', ENTRY, 'serve', '--port', '0', '--data-dir', join(dir, name), '--config', config],
    {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        SOLOWATCH_TOKEN: 'bench-token-1234567',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout?.on('data', (d: Buffer) => {
    output += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    output += d.toString();
  });
  return until(
    async () => {
      if (child.exitCode !== null) throw new Error(`instance ${name} exited: ${output}`);
      const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1];
      return url !== undefined && output.includes(`instance ${name} shares the fleet`)
        ? { name, child, url }
        : null;
    },
    120_000,
    `instance ${name} to start`,
  );
}

/** Polls counted by each instance's lateness histogram: total, and those later than 1 s. */
async function lateness(instances: readonly Instance[]): Promise<{ polls: number; late: number }> {
  let polls = 0;
  let within = 0;
  for (const i of instances) {
    const text = await (await fetch(`${i.url}/metrics`)).text();
    polls += Number(/^solowatch_poll_lateness_seconds_count (\S+)/m.exec(text)?.[1] ?? 0);
    within += Number(/^solowatch_poll_lateness_seconds_bucket\{le="1"\} (\S+)/m.exec(text)?.[1] ?? 0);
  }
  return { polls, late: polls - within };
}

async function run(count: number, addresses: readonly { host: string; port: number }[]): Promise<Result> {
  const schema = `bench_cluster_${count}_${randomBytes(3).toString('hex')}`;
  const storage = new PostgresStorage({ url: DB_URL, schema, retentionIntervalMs: 0 });
  await storage.initialize();
  const now = Date.now();
  for (const [i, a] of addresses.entries()) {
    const id = `b-${String(i).padStart(5, '0')}`;
    await storage.saveMinerConfig({
      id,
      name: id,
      host: a.host,
      port: a.port,
      kind: 'axeos',
      mac: null,
      hostname: null,
      tags: [],
      credentials: null,
      intervalMs: INTERVAL_MS,
      enabled: true,
      createdAt: now,
      updatedAt: now,
    });
  }
  await storage.close();
  const db = new pg.Client({ connectionString: DB_URL });
  await db.connect();
  await db.query(`SET search_path = ${schema}`);
  const dir = mkdtempSync(join(tmpdir(), 'solowatch-cluster-bench-'));
  const instances: Instance[] = [];
  try {
    for (let n = 0; n < count; n += 1)
      instances.push(await startInstance(String.fromCharCode(97 + n), dir, schema));
    const share = Math.floor(MINERS / count);
    await until(
      async () => {
        const { rows } = await db.query<{ n: number }>(
          'SELECT count(*)::int AS n FROM miner_leases GROUP BY owner',
        );
        return rows.length === count && rows.every((r) => r.n >= share);
      },
      120_000,
      `the leases to split over ${count}`,
    );
    await sleep(WARMUP_MS);
    const cpu = () => instances.reduce((sum, i) => sum + procCpuMs(i.child.pid as number), 0);
    const [late0, cpu0, t0] = [await lateness(instances), cpu(), Date.now()];
    await sleep(WINDOW_MS);
    const cpu1 = cpu();
    const late1 = await lateness(instances);
    const t1 = Date.now();
    // Samples are flushed every second: wait for the window's last ones. Polls, not the history
    // a first poll backfills from the device.
    await sleep(3000);
    const { rows } = await db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM metrics WHERE ts >= $1 AND ts < $2 AND NOT backfilled',
      [t0, t1],
    );
    const seconds = (t1 - t0) / 1000;
    const stored = rows[0]?.n ?? 0;
    const expected = (MINERS * (t1 - t0)) / INTERVAL_MS;
    const polls = late1.polls - late0.polls;
    return {
      instances: count,
      pollsPerS: stored / seconds,
      missedPct: Math.max(0, (100 * (expected - stored)) / expected),
      latePct: polls === 0 ? 0 : (100 * (late1.late - late0.late)) / polls,
      cpuMsPer1000: ((cpu1 - cpu0) / Math.max(1, polls)) * 1000,
    };
  } finally {
    for (const i of instances) i.child.kill('SIGKILL');
    await db.query(`DROP SCHEMA ${schema} CASCADE`).catch(() => undefined);
    await db.end();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  console.log(
    `cluster bench: ${MINERS} simulated AxeOS miners at ${INTERVAL_MS / 1000} s, lease ${LEASE_MS / 1000} s, warm-up ${WARMUP_MS / 1000} s, window ${WINDOW_MS / 1000} s; ${cpus().length} cores, load average ${loadavg()[0]?.toFixed(1)} at start`,
  );
  const fleet = await startSimulatedFleet(MINERS);
  const results: Result[] = [];
  try {
    for (const count of COUNTS) {
      results.push(await run(count, fleet.addresses));
      console.log(`${count} instance(s) done; load average ${loadavg()[0]?.toFixed(1)}`);
    }
  } finally {
    fleet.close();
  }
  const one = results[0] as Result;
  console.log(
    renderTable(
      ['instances', 'polls/s stored', 'missed %', 'late > 1 s %', 'instance CPU ms / 1000 polls', 'CPU vs 1'],
      results.map((r) => [
        r.instances,
        formatNumber(r.pollsPerS),
        formatNumber(r.missedPct),
        formatNumber(r.latePct),
        formatNumber(r.cpuMsPer1000),
        `${formatNumber(r.cpuMsPer1000 / one.cpuMsPer1000)}x`,
      ]),
    ),
  );
  const rows: SummaryRow[] = results.flatMap((r) => [
    {
      bench: 'cluster',
      metric: `polls/s stored, ${r.instances} instance(s), ${MINERS} miners at 10 s`,
      value: r.pollsPerS,
      unit: 'polls/s',
      anchor: MINERS / (INTERVAL_MS / 1000),
      ratio: r.pollsPerS / (MINERS / (INTERVAL_MS / 1000)),
      target: 'no poll missed (>= 99 % of the fleet rate)',
      pass: r.missedPct <= 1,
    },
    {
      bench: 'cluster',
      metric: `instance CPU per 1,000 polls, ${r.instances} instance(s)`,
      value: r.cpuMsPer1000,
      unit: 'ms',
      anchor: r.instances === 1 ? null : '1 instance',
      ratio: r.instances === 1 ? null : r.cpuMsPer1000 / one.cpuMsPer1000,
      target: null,
      pass: null,
    },
  ]);
  printSummary(rows);
}

await main();
