/**
 * The dashboard at fleet scale, in a real browser: the real app (`startSolowatch`) watching N
 * simulated AxeOS miners polled every 10 s (the simulator in child processes), and Debian's
 * Chromium showing the dashboard. For 1,000 and 10,000 miners (1,000 only with --quick) it
 * measures: time from navigation to the first rows, the main thread's busy share and its longest
 * task over a window of live updates, bytes on the live stream per second and per miner update,
 * the page's JS heap after a collection, the time from a click on a sort header to the next
 * paint, and the size of GET /api/miners.
 *
 *   npm run build:web && node --import tsx bench/dashboard.bench.ts [--quick]
 *
 * The "before" column is what the issue measured on the first build at 1,000 miners.
 * `DASHBOARD_BENCH_CPU_PROFILE=name` writes the page's CPU profile of the window to
 * name.<miners>.cpuprofile; `DASHBOARD_BENCH_SIZES=1000,5000` and `DASHBOARD_BENCH_MEASURE_S=30`
 * change the runs.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CDPSession, Page } from 'playwright-core';
import { DEFAULT_CONFIG } from '../src/config/Config.js';
import { startSolowatch } from '../src/main.js';
import { RetryManager } from '../src/resilience/index.js';
import { launchChromium } from '../test/e2e/browser.js';
import { isQuick } from './lib/args.js';
import { startSimulatedFleet } from './lib/simulatorFleet.js';
import { printSummary, type SummaryRow } from './lib/summary.js';
import { formatNumber, renderTable } from './lib/table.js';

const BENCH = 'dashboard';
const quick = isQuick();
const SIZES = (process.env.DASHBOARD_BENCH_SIZES ?? (quick ? '1000' : '1000,10000')).split(',').map(Number);
const INTERVAL_MS = 10_000;
const MEASURE_MS = Number(process.env.DASHBOARD_BENCH_MEASURE_S ?? (quick ? 20 : 60)) * 1000;
const WEB_ROOT = fileURLToPath(new URL('../dist/web', import.meta.url));

/** The first build at 1,000 miners, as the issue measured it. */
const BEFORE_1000 = {
  busyPct: (20 / 30) * 100,
  longestTaskMs: 303,
  sortClickMs: 1800,
  heapMb: 150,
  streamBytesPerS: 280_000,
  listBytesPerMiner: 3400,
};

/** Targets at 10,000 miners. */
const TARGET = {
  firstRowsMs: 1500,
  busyPct: 15,
  longestTaskMs: 100,
  bytesPerUpdate: 100,
  heapMb: 100,
  sortClickMs: 200,
};

interface Figures {
  readonly miners: number;
  readonly firstRowsMs: number;
  readonly busyPct: number;
  readonly longestTaskMs: number;
  readonly streamBytesPerS: number;
  readonly bytesPerUpdate: number;
  readonly heapMb: number;
  readonly sortClickMs: number;
  readonly listBytesPerMiner: number;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Seconds the renderer's main thread spent in tasks so far (Chrome's TaskDuration). */
async function taskSeconds(cdp: CDPSession): Promise<number> {
  const { metrics } = await cdp.send('Performance.getMetrics');
  return metrics.find((m) => m.name === 'TaskDuration')?.value ?? 0;
}

/**
 * Clicks a sort header and resolves, in the page, with the ms until the frame after the table
 * shows the new order. A string, not a function: tsx's helpers do not exist inside the page.
 */
const CLICK_TO_PAINT = `(sort) => new Promise((resolve, reject) => {
  const button = document.querySelector('button[data-sort="' + sort + '"]');
  if (button === null) return reject(new Error('no sort header for ' + sort));
  const th = button.closest('th');
  const before = th.getAttribute('aria-sort');
  const started = performance.now();
  button.click();
  const check = () => {
    if (th.getAttribute('aria-sort') !== before) {
      requestAnimationFrame(() => setTimeout(() => resolve(performance.now() - started), 0));
    } else requestAnimationFrame(check);
  };
  check();
})`;

/** The slowest of a few sort clicks, from click to paint. */
async function sortClickMs(page: Page): Promise<number> {
  let slowest = 0;
  for (const column of ['hashrate', 'name', 'temperature', 'name']) {
    const ms = (await page.evaluate(`(${CLICK_TO_PAINT})(${JSON.stringify(column)})`)) as number;
    slowest = Math.max(slowest, ms);
  }
  return slowest;
}

async function measure(count: number): Promise<Figures> {
  process.stdout.write(`\n${count} miners: starting the simulator and the app\n`);
  const fleet = await startSimulatedFleet(count);
  const dataDir = await mkdtemp(join(tmpdir(), 'solowatch-dashboard-bench-'));
  const handle = await startSolowatch(
    { ...DEFAULT_CONFIG, port: 0, dataDir, logLevel: 'silent', pollIntervalMs: INTERVAL_MS },
    { retryManager: new RetryManager(), webRoot: WEB_ROOT },
  );
  const browser = await launchChromium();
  try {
    for (const address of fleet.addresses) {
      await handle.monitor.addMiner({ host: address.host, port: address.port, kind: 'axeos', verify: false });
    }
    // Every miner polled at least once before the page opens.
    await sleep(INTERVAL_MS + 2000);
    const list = await fetch(`${handle.url}/api/miners`);
    const listBytes = (await list.arrayBuffer()).byteLength;

    let updates = 0;
    const unsubscribe = handle.monitor.subscribe((event) => {
      if (event.type === 'sample') updates += 1;
    });
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.addInitScript(`window.longTasks = [];
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) window.longTasks.push(entry.duration);
      }).observe({ type: 'longtask', buffered: true });`);
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    await cdp.send('Network.enable');
    const streams = new Set<string>();
    let streamBytes = 0;
    cdp.on('Network.requestWillBeSent', (e) => {
      if (e.request.url.includes('/api/events')) streams.add(e.requestId);
    });
    cdp.on('Network.dataReceived', (e) => {
      if (streams.has(e.requestId)) streamBytes += e.encodedDataLength || e.dataLength;
    });

    const navigated = performance.now();
    await page.goto(handle.url);
    await page.locator('table.miners tbody tr[data-miner-id]').first().waitFor({ timeout: 60_000 });
    const firstRowsMs = performance.now() - navigated;
    await page.locator('[data-connection="live"]').waitFor({ timeout: 60_000 });
    await sleep(3000);

    await page.evaluate('window.longTasks = []');
    const profile = process.env.DASHBOARD_BENCH_CPU_PROFILE;
    if (profile !== undefined) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.start');
    }
    const busy0 = await taskSeconds(cdp);
    const wall0 = performance.now();
    const bytes0 = streamBytes;
    const updates0 = updates;
    await sleep(MEASURE_MS);
    const busy1 = await taskSeconds(cdp);
    const wall1 = performance.now();
    const bytes = streamBytes - bytes0;
    const windowUpdates = updates - updates0;
    const longTasks = (await page.evaluate('window.longTasks')) as number[];
    if (profile !== undefined) {
      const { profile: recorded } = await cdp.send('Profiler.stop');
      await writeFile(`${profile}.${count}.cpuprofile`, JSON.stringify(recorded));
    }

    await cdp.send('HeapProfiler.collectGarbage');
    const heap = await cdp.send('Runtime.getHeapUsage');
    const sortMs = await sortClickMs(page);
    unsubscribe();
    await context.close();

    const figures: Figures = {
      miners: count,
      firstRowsMs,
      busyPct: ((busy1 - busy0) / ((wall1 - wall0) / 1000)) * 100,
      longestTaskMs: longTasks.length === 0 ? 0 : Math.max(...longTasks),
      streamBytesPerS: bytes / ((wall1 - wall0) / 1000),
      bytesPerUpdate: windowUpdates === 0 ? 0 : bytes / windowUpdates,
      heapMb: heap.usedSize / 1e6,
      sortClickMs: sortMs,
      listBytesPerMiner: listBytes / count,
    };
    process.stdout.write(
      `  ${windowUpdates} miner updates in ${(MEASURE_MS / 1000).toFixed(0)} s, ${longTasks.length} tasks over 50 ms\n`,
    );
    return figures;
  } finally {
    await browser.close();
    await handle.close();
    fleet.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

function rows(f: Figures): SummaryRow[] {
  const at10k = f.miners >= 10_000;
  const before = f.miners === 1000 ? BEFORE_1000 : null;
  const row = (
    metric: string,
    value: number,
    unit: string,
    beforeValue: number | null,
    target: number | null,
  ): SummaryRow => ({
    bench: BENCH,
    metric: `${metric} @ ${f.miners.toLocaleString('en-US')}`,
    value,
    unit,
    anchor: beforeValue === null ? null : 'first build',
    ratio: beforeValue === null ? null : value / beforeValue,
    target: at10k ? target : null,
    pass: at10k && target !== null ? value <= target : null,
  });
  return [
    row('navigation to first rows', f.firstRowsMs, 'ms', null, TARGET.firstRowsMs),
    row('main thread busy (live updates)', f.busyPct, '%', before?.busyPct ?? null, TARGET.busyPct),
    row(
      'longest task (live updates)',
      f.longestTaskMs,
      'ms',
      before?.longestTaskMs ?? null,
      TARGET.longestTaskMs,
    ),
    row(
      'live stream',
      f.streamBytesPerS / 1000,
      'KB/s',
      before === null ? null : before.streamBytesPerS / 1000,
      null,
    ),
    row('live stream per miner update', f.bytesPerUpdate, 'bytes', null, TARGET.bytesPerUpdate),
    row('JS heap after GC', f.heapMb, 'MB', before?.heapMb ?? null, TARGET.heapMb),
    row(
      'sort click to paint (slowest of 4)',
      f.sortClickMs,
      'ms',
      before?.sortClickMs ?? null,
      TARGET.sortClickMs,
    ),
    row('GET /api/miners per miner', f.listBytesPerMiner, 'bytes', before?.listBytesPerMiner ?? null, null),
  ];
}

async function main(): Promise<void> {
  process.stdout.write(
    `dashboard bench: ${SIZES.join(' and ')} miners every ${INTERVAL_MS / 1000} s, ${MEASURE_MS / 1000} s of live updates each; ${cpus().length} cores, load ${loadavg()[0]?.toFixed(1)}\n`,
  );
  const all: SummaryRow[] = [];
  for (const size of SIZES) all.push(...rows(await measure(size)));
  process.stdout.write(
    `\n${renderTable(
      ['metric', 'value', 'unit', 'vs first build', 'target', ''],
      all.map((r) => [
        r.metric,
        formatNumber(r.value),
        r.unit,
        r.ratio === null ? '' : `${formatNumber(r.ratio)}x`,
        r.target === null ? '' : `<= ${r.target}`,
        r.pass === null ? '' : r.pass ? 'MET' : 'MISS',
      ]),
    )}\n`,
  );
  printSummary(all);
}

await main();
