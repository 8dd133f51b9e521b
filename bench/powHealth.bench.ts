/**
 * Proof-of-work health at fleet scale, on compressed time: 1,000 simulated miners of five classes
 * (the simulator's MinerModel: shares are a Poisson process at H / (D 2^32), hashrate reported with
 * its noise), polled every 10 s for a simulated day through the monitor's own reducer with the
 * app's default settings. 5 % become zombies at a random time (they keep reporting hashrate and
 * stop finding shares). Reports time to detect per class (median, p99, from the fault to the
 * first `not_hashing`), stalled miners missed, and false alarms per miner-day on the healthy 95 %.
 *
 *   node --import tsx bench/powHealth.bench.ts [--quick] [--hours 24] [--miners 1000] [--seed 1]
 */

import type { MinerSample } from '../src/miners/MinerSample.js';
import { resolveMonitorSettings } from '../src/monitor/monitorSettings.js';
import { initialMinerState, type MinerState } from '../src/monitor/state/MinerState.js';
import { reduce } from '../src/monitor/state/reduce.js';
import { MinerModel } from '../src/simulator/model.js';
import { isQuick } from './lib/args.js';
import { median, quantile, seededRandom } from './lib/stats.js';
import { infoRow, printSummary, type SummaryRow } from './lib/summary.js';
import { formatNumber, renderTable } from './lib/table.js';

const BENCH = 'pow-health';

interface DeviceClass {
  readonly name: string;
  readonly share: number;
  readonly asicCount: number;
  readonly poolDifficulty: number;
  readonly kind: MinerSample['kind'];
}

/** BM1370 at 525 MHz is 1.07 TH/s per chip; chip counts give each class its hashrate. */
const CLASSES: readonly DeviceClass[] = [
  { name: 'Bitaxe Gamma (1.1 TH/s, D 4096)', share: 0.4, asicCount: 1, poolDifficulty: 4096, kind: 'axeos' },
  { name: 'NerdQAxe++ (4.3 TH/s, D 4096)', share: 0.2, asicCount: 4, poolDifficulty: 4096, kind: 'nerdqaxe' },
  {
    name: 'Avalon Nano 3 (4.3 TH/s, D 8192)',
    share: 0.2,
    asicCount: 4,
    poolDifficulty: 8192,
    kind: 'cgminer',
  },
  {
    name: 'Antminer S19 (95 TH/s, D 16384)',
    share: 0.1,
    asicCount: 89,
    poolDifficulty: 16_384,
    kind: 'cgminer',
  },
  {
    name: 'Antminer S21 (200 TH/s, D 65536)',
    share: 0.1,
    asicCount: 187,
    poolDifficulty: 65_536,
    kind: 'cgminer',
  },
];

function flag(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  if (at < 0) return fallback;
  const value = Number(process.argv[at + 1]);
  if (!(value > 0)) throw new Error(`Expected \`--${name}\` to be followed by a number > 0`);
  return value;
}

const quick = isQuick();
const hours = flag('hours', quick ? 6 : 24);
const minerCount = flag('miners', 1000);
const seed = flag('seed', 1);
const intervalMs = 10_000;
const zombieShare = 0.05;
const start = 1_750_000_000_000;
let now = start;
const clock = { now: () => now };
const random = seededRandom(seed);
const settings = resolveMonitorSettings().reducer;

interface Sim {
  readonly cls: DeviceClass;
  readonly model: MinerModel;
  readonly zombieAt: number | null;
  state: MinerState;
  detectedAt: number | null;
  falseAlarms: number;
  falseBestFlags: number;
}

const TEMPLATE: MinerSample = {
  timestamp: 0,
  kind: 'axeos',
  hashrateGhs: null,
  expectedHashrateGhs: null,
  temperatureC: 55,
  maxChipTemperatureC: 55,
  chipTemperaturesC: [],
  boardTemperaturesC: [],
  chipTempLimitC: null,
  vrTempLimitC: null,
  vrTemperatureC: 50,
  powerW: null,
  inputVoltageV: null,
  currentA: null,
  fanRpm: [],
  fanPercent: null,
  sharesAccepted: null,
  sharesRejected: null,
  rejectReasons: [],
  bestDifficulty: null,
  sessionBestDifficulty: null,
  uptimeS: null,
  poolUrl: 'stratum+tcp://solo.example:3333',
  poolUser: 'bc1qbench.worker',
  poolDifficulty: null,
  firmware: null,
  asicModel: 'BM1370',
  deviceModel: null,
  hostname: null,
  mac: null,
  networkDifficulty: 1.2e14,
  blockHeight: null,
  blocksFound: null,
  resetReason: null,
  backfilled: false,
  raw: {},
  warnings: [],
};

function pickClass(u: number): DeviceClass {
  let acc = 0;
  for (const cls of CLASSES) {
    acc += cls.share;
    if (u < acc) return cls;
  }
  return CLASSES[CLASSES.length - 1] as DeviceClass;
}

const durationMs = hours * 3_600_000;
const sims: Sim[] = [];
for (let i = 0; i < minerCount; i += 1) {
  const cls = pickClass((i + 0.5) / minerCount);
  const model = new MinerModel({
    clock,
    random: seededRandom(seed * 100_003 + i),
    asicCount: cls.asicCount,
    poolDifficulty: cls.poolDifficulty,
    initialUptimeSeconds: 3600 + Math.floor(random() * 86_400),
    mac: `02:00:00:00:${((i >> 8) & 255).toString(16).padStart(2, '0')}:${(i & 255).toString(16).padStart(2, '0')}`,
    hostname: `sim-${i}`,
  });
  // Zombies start after the first hour and early enough to be found before the run ends.
  const zombie = random() < zombieShare;
  const zombieAt = zombie
    ? start + 3_600_000 + Math.floor(random() * Math.max(0, durationMs - 3 * 3_600_000))
    : null;
  sims.push({
    cls,
    model,
    zombieAt,
    state: initialMinerState(`sim-${i}`),
    detectedAt: null,
    falseAlarms: 0,
    falseBestFlags: 0,
  });
}

const startedAt = process.hrtime.bigint();
const offsets = sims.map(() => Math.floor(random() * intervalMs));
let polls = 0;
for (let t = 0; t < durationMs; t += intervalMs) {
  for (const [i, sim] of sims.entries()) {
    now = start + t + (offsets[i] as number);
    if (
      sim.zombieAt !== null &&
      now >= sim.zombieAt &&
      sim.model.miningFault === null &&
      sim.detectedAt === null
    ) {
      sim.model.setMiningFault('zombie');
    }
    const snap = sim.model.snapshot();
    const sample: MinerSample = {
      ...TEMPLATE,
      timestamp: now,
      kind: sim.cls.kind,
      hashrateGhs: snap.hashrate1mGh,
      expectedHashrateGhs: snap.expectedHashrateGh,
      sharesAccepted: snap.sharesAccepted,
      sharesRejected: snap.sharesRejected,
      bestDifficulty: snap.bestDiff,
      sessionBestDifficulty: snap.bestSessionDiff,
      uptimeS: snap.uptimeSeconds,
      poolDifficulty: snap.poolDifficulty,
    };
    const out = reduce(sim.state, { kind: 'sample', sample }, { now, settings });
    polls += 1;
    const zombieNow = sim.zombieAt !== null && now >= sim.zombieAt;
    for (const event of out.events) {
      if (event.type === 'not_hashing') {
        if (zombieNow && sim.detectedAt === null) sim.detectedAt = now;
        else if (!zombieNow) sim.falseAlarms += 1;
      }
      if (event.type === 'best_difficulty_implausible') sim.falseBestFlags += 1;
    }
    sim.state = out.state;
  }
}
const cpuS = Number(process.hrtime.bigint() - startedAt) / 1e9;

const rows: (string | number)[][] = [];
const summary: SummaryRow[] = [];
let missedTotal = 0;
let falseTotal = 0;
let healthyDays = 0;
for (const cls of CLASSES) {
  const members = sims.filter((s) => s.cls === cls);
  const zombies = members.filter((s) => s.zombieAt !== null);
  const found = zombies.filter((s) => s.detectedAt !== null);
  const delays = found.map((s) => ((s.detectedAt as number) - (s.zombieAt as number)) / 1000);
  const healthy = members.filter((s) => s.zombieAt === null);
  const days = (healthy.length * durationMs) / 86_400_000;
  const falseAlarms = members.reduce((sum, s) => sum + s.falseAlarms, 0);
  const falseBest = members.reduce((sum, s) => sum + s.falseBestFlags, 0);
  missedTotal += zombies.length - found.length;
  falseTotal += falseAlarms;
  healthyDays += days;
  const believedRate = (members[0]?.model.sharesPerSecond ?? 0) * settings.pow.hashrateCredit;
  rows.push([
    cls.name,
    members.length,
    `${found.length}/${zombies.length}`,
    delays.length === 0 ? '-' : formatNumber(median(delays)),
    delays.length === 0 ? '-' : formatNumber(quantile(delays, 0.99)),
    formatNumber(Math.log(1 / settings.pow.pValue) / believedRate),
    falseAlarms,
    formatNumber(days === 0 ? 0 : falseAlarms / days),
    falseBest,
  ]);
  if (delays.length > 0) {
    summary.push(infoRow(BENCH, `${cls.name}: detect median`, median(delays), 's'));
    summary.push(infoRow(BENCH, `${cls.name}: detect p99`, quantile(delays, 0.99), 's'));
  }
}

process.stdout.write(
  `${minerCount} miners, ${hours} h simulated at ${intervalMs / 1000} s polls (${polls.toLocaleString('en')} reductions, ${cpuS.toFixed(1)} s), seed ${seed}, pValue ${settings.pow.pValue}, hashrate credit ${settings.pow.hashrateCredit}\n\n`,
);
process.stdout.write(
  `${renderTable(
    [
      'class',
      'miners',
      'zombies found',
      'detect median (s)',
      'detect p99 (s)',
      'ln(1/p) / believed rate (s)',
      'false alarms',
      'per miner-day',
      'implausible-best flags',
    ],
    rows,
  )}\n`,
);
const zombiesTotal = sims.filter((s) => s.zombieAt !== null).length;
summary.push({
  bench: BENCH,
  metric: 'stalled miners found',
  value: zombiesTotal - missedTotal,
  unit: `of ${zombiesTotal}`,
  anchor: null,
  ratio: null,
  target: 'all',
  pass: missedTotal === 0,
});
summary.push({
  bench: BENCH,
  metric: `false alarms over ${formatNumber(healthyDays)} healthy miner-days`,
  value: falseTotal,
  unit: 'alarms',
  anchor: null,
  ratio: null,
  target: 0,
  pass: falseTotal === 0,
});
printSummary(summary);
