/**
 * Several real solowatch instances (`serve` child processes) on one PostgreSQL schema, polling a
 * simulated fleet, and what the database says about them. PGlite lives inside one process and
 * cannot be shared by several, so these tests need the real server: where none answers they are
 * skipped with the reason printed, unless SOLOWATCH_TEST_POSTGRES=require (.ci/run) makes that a
 * failure.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterEach, beforeAll } from 'vitest';
import { type Fleet, startFleet } from '../../src/simulator/index.js';
import { PostgresStorage } from '../../src/storage/postgres/index.js';
import { dropSchema, postgresRequired, serverAnswers, TEST_DATABASE_URL } from '../storage/backends.js';

const ROOT = new URL('../../', import.meta.url).pathname;
const ENTRY = join(ROOT, 'src/cli/index.ts');

/** Why the tests cannot run here, or null when a server answers (or one is required). */
export async function whyNoServer(): Promise<string | null> {
  if (await serverAnswers()) return null;
  if (postgresRequired()) return null; // they run and fail, naming the server
  return `no PostgreSQL answers at ${TEST_DATABASE_URL} (several processes cannot share an in-process PGlite); set SOLOWATCH_TEST_POSTGRES=require to make this a failure`;
}

export type FarmOptions = Parameters<typeof startFarm>[0];

/**
 * The hooks every cluster suite needs, registered once per file: whether a server answers (asked
 * once; each test then skips with the reason) and each test's farm closed after it, pass or fail.
 * Call it at the top of the file; in a test, `const farm = await useFarm(ctx, options)`.
 */
export function farmPerTest(): (ctx: { skip: () => void }, options: FarmOptions) => Promise<Farm> {
  let skip: string | null = null;
  let farm: Farm | null = null;
  beforeAll(async () => {
    skip = await whyNoServer();
    if (skip !== null) console.log(`test/cluster skipped: ${skip}`);
  });
  afterEach(async () => {
    await farm?.close();
    farm = null;
  });
  return async (ctx, options) => {
    if (skip !== null) ctx.skip();
    farm = await startFarm(options);
    return farm;
  };
}

export interface Instance {
  readonly name: string;
  readonly child: ChildProcess;
  output: string;
  readonly exited: Promise<number | null>;
}

export interface Farm {
  readonly schema: string;
  readonly devices: Fleet;
  readonly minerIds: readonly string[];
  readonly intervalMs: number;
  readonly leaseMs: number;
  readonly instances: Instance[];
  start(name: string): Promise<Instance & { url: string }>;
  query<Row>(sql: string, params?: unknown[]): Promise<Row[]>;
  close(): Promise<void>;
}

export async function startFarm(options: {
  miners: number;
  intervalMs: number;
  leaseMs: number;
}): Promise<Farm> {
  const schema = `cl_${process.pid}_${randomBytes(3).toString('hex')}`;
  const devices = await startFleet({ count: options.miners, seed: 7 });
  const storage = new PostgresStorage({ url: TEST_DATABASE_URL, schema, retentionIntervalMs: 0 });
  await storage.initialize();
  const minerIds: string[] = [];
  const now = Date.now();
  for (const [i, device] of devices.devices.entries()) {
    const id = `farm-${String(i).padStart(3, '0')}`;
    minerIds.push(id);
    await storage.saveMinerConfig({
      id,
      name: id,
      host: '127.0.0.1',
      port: device.port,
      kind: 'axeos',
      mac: null,
      hostname: null,
      intervalMs: options.intervalMs,
      enabled: true,
      tags: [],
      credentials: null,
      createdAt: now,
      updatedAt: now,
    });
  }
  await storage.close();
  const db = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await db.connect();
  await db.query(`SET search_path = ${schema}`);
  const dirs: string[] = [];
  const instances: Instance[] = [];
  const farm: Farm = {
    schema,
    devices,
    minerIds,
    intervalMs: options.intervalMs,
    leaseMs: options.leaseMs,
    instances,
    async start(name) {
      const dir = mkdtempSync(join(tmpdir(), `solowatch-${name}-`));
      dirs.push(dir);
      const config = join(dir, 'config.json');
      writeFileSync(
        config,
        JSON.stringify({
          storage: { kind: 'postgres', url: TEST_DATABASE_URL, schema },
          cluster: { leaseMs: options.leaseMs, instanceId: name },
          pollIntervalMs: options.intervalMs,
        }),
      );
      const child = spawn(
        process.execPath,
        [
          '--import',
          'tsx',
          ENTRY,
          'serve',
          '--port',
          '0',
          '--data-dir',
          dir,
          '--config',
          config,
          '--log-level',
          process.env.CLUSTER_DEBUG ? 'debug' : 'info',
        ],
        {
          cwd: ROOT,
          env: {
            PATH: process.env.PATH ?? '',
            HOME: process.env.HOME ?? '',
            SOLOWATCH_TOKEN: 'farm-token-123456',
            ...(process.env.CLUSTER_DEBUG ? { CLUSTER_DEBUG: '1' } : {}),
          },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      const instance: Instance = {
        name,
        child,
        output: '',
        exited: new Promise((resolve) => child.once('exit', (code) => resolve(code))),
      };
      child.stdout?.on('data', (d: Buffer) => {
        instance.output += d.toString();
      });
      child.stderr?.on('data', (d: Buffer) => {
        instance.output += d.toString();
      });
      instances.push(instance);
      const match = await waitFor(
        () => /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(instance.output),
        90_000,
        () => `instance ${name} did not start: ${instance.output}`,
        () => child.exitCode !== null,
      );
      await waitFor(
        () => instance.output.includes(`instance ${name} shares the fleet`),
        30_000,
        () => `instance ${name} did not join: ${instance.output}`,
      );
      return { ...instance, url: match[1] as string };
    },
    async query<Row>(sql: string, params: unknown[] = []) {
      return (await db.query(sql, params)).rows as Row[];
    },
    async close() {
      for (const instance of instances) if (instance.child.exitCode === null) instance.child.kill('SIGKILL');
      await Promise.all(instances.map((i) => i.exited));
      await db.end().catch(() => undefined);
      await devices.close();
      await dropSchema(TEST_DATABASE_URL, schema).catch(() => undefined);
      for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    },
  };
  return farm;
}

/** Polls `probe` every 50 ms until it gives a truthy value. */
export async function waitFor<T>(
  probe: () => T | Promise<T>,
  timeoutMs: number,
  message: () => string,
  giveUp: () => boolean = () => false,
): Promise<NonNullable<T>> {
  const started = Date.now();
  for (;;) {
    const value = await probe();
    if (value) return value as NonNullable<T>;
    if (giveUp() || Date.now() - started > timeoutMs) throw new Error(message());
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Waits until the live leases are split evenly over the instances `names`, and no other holds one. */
export async function leasesBalanced(farm: Farm, names: readonly string[]): Promise<void> {
  const miners = farm.minerIds.length;
  const fair = new Set([Math.floor(miners / names.length), Math.ceil(miners / names.length)]);
  await waitFor(
    async () => {
      const counts = await leaseCounts(farm);
      return names.every((n) => fair.has(counts[n] ?? 0)) && Object.keys(counts).length === names.length;
    },
    30_000,
    () => `leases never split over ${names.join(', ')}`,
  );
}

/** Leases per owner among live leases. */
export async function leaseCounts(farm: Farm): Promise<Record<string, number>> {
  const rows = await farm.query<{ owner: string; n: number }>(
    `SELECT owner, count(*)::int AS n FROM miner_leases
     WHERE expires_at >= (extract(epoch from statement_timestamp()) * 1000)::bigint GROUP BY owner`,
  );
  return Object.fromEntries(rows.map((r) => [r.owner, r.n]));
}

/** Sample times of every miner, oldest first (the raw table, past the API). */
export async function sampleTimes(farm: Farm): Promise<Map<string, number[]>> {
  const rows = await farm.query<{ miner_id: string; ts: string }>(
    'SELECT s.miner_id, m.ts FROM metrics m JOIN metric_series s ON s.key = m.series ORDER BY m.ts',
  );
  const out = new Map<string, number[]>(farm.minerIds.map((id) => [id, []]));
  for (const r of rows) out.get(r.miner_id)?.push(Number(r.ts));
  return out;
}

export interface PollQuality {
  /**
   * Polls that never happened: floor(gap / interval) - 1 for a gap of two intervals or more. A
   * poll late by less than an interval (10 % jitter, a machine loaded by the test run) is late,
   * not missed.
   */
  readonly missed: number;
  /** Two samples of one miner closer than half an interval: two instances polled it. */
  readonly doubled: number;
  /** Rows sharing (series, ts): a sample stored twice. */
  readonly duplicates: number;
}

/** Gaps and doubles between `from` and `to` (ms), per miner. */
export async function pollQuality(farm: Farm, from: number, to: number): Promise<PollQuality> {
  const times = await sampleTimes(farm);
  let missed = 0;
  let doubled = 0;
  const interval = farm.intervalMs;
  for (const series of times.values()) {
    const inside = series.filter((t) => t >= from && t <= to);
    for (let i = 1; i < inside.length; i += 1) {
      const gap = (inside[i] as number) - (inside[i - 1] as number);
      if (gap >= 2 * interval) {
        missed += Math.floor(gap / interval) - 1;
        if (process.env.CLUSTER_DEBUG)
          console.log(
            `gap ${gap} ms ending ${new Date(inside[i] as number).toISOString()}: ${inside.map((t) => new Date(t).toISOString().slice(17, 23)).join(' ')}`,
          );
      }
      if (gap < interval / 2) {
        doubled += 1;
        if (process.env.CLUSTER_DEBUG)
          console.log(
            `double ${gap} ms at ${new Date(inside[i] as number).toISOString()}: ${inside.map((t) => new Date(t).toISOString().slice(17, 23)).join(' ')}`,
          );
      }
    }
  }
  const [dup] = await farm.query<{ n: number }>(
    'SELECT count(*)::int - count(DISTINCT (series, ts))::int AS n FROM metrics',
  );
  return { missed, doubled, duplicates: dup?.n ?? 0 };
}
