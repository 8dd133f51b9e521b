/**
 * SQLite's page cache at fleet scale (`node --import tsx bench/storage-memory.bench.ts [--quick]`):
 * SqliteStorage writing 10,000 miners' samples, tick after tick of simulated 10 s intervals, with
 * the default cache (16 MiB) against the 64 MiB it had before, each in a child process of its
 * own so neither inherits the other's memory. Reports how much RSS the process gained and the
 * write cost per sample. SQLite fills its cache to the limit over time, so the cache is memory
 * the monitor keeps for good; the question is whether a smaller one costs write speed.
 *
 * The last stdout line is `SUMMARY <json>` (see bench/lib/summary.ts).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RetryManager } from '../src/resilience/index.js';
import { DEFAULT_OPTIONS, type MetricRecord, SqliteStorage } from '../src/storage/index.js';
import { isQuick } from './lib/args.js';
import { benchMetric } from './lib/metrics.js';
import { printSummary } from './lib/summary.js';
import { formatNumber, renderTable } from './lib/table.js';

const MINERS = 10_000;
/** Fewer than ~60 ticks do not fill the larger cache, so the two would not differ yet. */
const TICKS = isQuick() ? 60 : 120;
const OLD_CACHE_KIB = 65_536;
const T0 = Date.UTC(2026, 0, 1);

interface Result {
  readonly rssGainMb: number;
  readonly usPerSample: number;
}

/** The child: one storage, every tick written as the monitor would (1,000 polls per second). */
async function measure(cacheSizeKiB: number): Promise<Result> {
  const dir = mkdtempSync(join(tmpdir(), 'solowatch-cache-bench-'));
  const storage = new SqliteStorage({
    path: join(dir, 'bench.db'),
    manager: new RetryManager(),
    retentionIntervalMs: 0,
    cacheSizeKiB,
  });
  await storage.initialize();
  const rss0 = process.memoryUsage().rss;
  const started = performance.now();
  for (let tick = 0; tick < TICKS; tick++) {
    // A second of polls at a time, as the 1 s flush timer would batch them.
    for (let first = 0; first < MINERS; first += 1000) {
      const batch: MetricRecord[] = [];
      for (let miner = first; miner < first + 1000; miner++)
        batch.push(benchMetric(miner, tick, T0 + tick * 10_000 + miner));
      await storage.saveMetrics(batch);
      await storage.flush();
    }
  }
  const elapsed = performance.now() - started;
  const rssGainMb = (process.memoryUsage().rss - rss0) / 2 ** 20;
  await storage.close();
  rmSync(dir, { recursive: true, force: true });
  return { rssGainMb, usPerSample: (elapsed * 1000) / (TICKS * MINERS) };
}

function inChild(cacheSizeKiB: number): Result {
  const child = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      fileURLToPath(import.meta.url),
      '--child',
      String(cacheSizeKiB),
      ...process.argv.slice(2),
    ],
    { encoding: 'utf8' },
  );
  const line = child.stdout.split('\n').find((l) => l.startsWith('RESULT '));
  if (child.status !== 0 || line === undefined) {
    throw new Error(`child with a ${cacheSizeKiB} KiB cache failed: ${child.stderr}`);
  }
  return JSON.parse(line.slice('RESULT '.length)) as Result;
}

async function main(): Promise<void> {
  const at = process.argv.indexOf('--child');
  if (at !== -1) {
    process.stdout.write(`RESULT ${JSON.stringify(await measure(Number(process.argv[at + 1])))}\n`);
    return;
  }
  const ours = inChild(DEFAULT_OPTIONS.cacheSizeKiB);
  const before = inChild(OLD_CACHE_KIB);
  const what = `${MINERS.toLocaleString('en')} miners x ${TICKS} ticks`;
  process.stdout.write(
    `${renderTable(
      [
        'measure',
        'unit',
        `${DEFAULT_OPTIONS.cacheSizeKiB / 1024} MiB cache`,
        `${OLD_CACHE_KIB / 1024} MiB cache`,
        'ratio',
      ],
      [
        [`RSS gained, ${what}`, 'MB', ours.rssGainMb, before.rssGainMb, ours.rssGainMb / before.rssGainMb],
        [
          `write cost, ${what}`,
          'us/sample',
          ours.usPerSample,
          before.usPerSample,
          ours.usPerSample / before.usPerSample,
        ],
      ].map((row) => row.map((cell) => (typeof cell === 'number' ? formatNumber(cell) : cell))),
    )}\n`,
  );
  printSummary([
    {
      bench: 'storage-memory',
      metric: `RSS gained, ${what}`,
      value: ours.rssGainMb,
      unit: 'MB',
      anchor: before.rssGainMb,
      ratio: ours.rssGainMb / before.rssGainMb,
      target: null,
      pass: null,
    },
    {
      bench: 'storage-memory',
      metric: `write cost, ${what}`,
      value: ours.usPerSample,
      unit: 'us/sample',
      anchor: before.usPerSample,
      ratio: ours.usPerSample / before.usPerSample,
      target: '<= 1.1x the 64 MiB cache',
      pass: ours.usPerSample <= before.usPerSample * 1.1,
    },
  ]);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
