/**
 * Prometheus metrics. Values are read from the monitor and the breaker registry when scraped,
 * so nothing here keeps state except the poll-lateness histogram, fed by the monitor's scheduler
 * with every poll's true lateness.
 */
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { Monitor } from '../monitor/types.js';
import type { BreakerRegistry } from './deps.js';

export interface SolowatchMetrics {
  readonly registry: Registry;
  /** Stops listening to the monitor. */
  close(): void;
}

export interface MetricsOptions {
  readonly monitor: Monitor;
  readonly breakers: BreakerRegistry;
  /** Node process metrics (memory, event loop lag, ...). @default true */
  readonly processMetrics?: boolean;
}

const BREAKER_STATE_VALUE = { closed: 0, half_open: 1, open: 2 } as const;
const LINT_FAILING_DEFAULTS = [
  'nodejs_active_handles_total',
  'nodejs_active_requests_total',
  'nodejs_active_resources_total',
] as const;
// Paused is up: it answers and idles on purpose, so `up == 0` alerts stay about miners that are down.
const UP_STATUSES = new Set(['online', 'degraded', 'paused']);

export function createMetrics(options: MetricsOptions): SolowatchMetrics {
  const { monitor, breakers } = options;
  const registry = new Registry();
  const registers = [registry];
  if (options.processMetrics ?? true) {
    collectDefaultMetrics({ register: registry });
    // prom-client names these gauges `_total`, which `promtool check metrics` rejects.
    for (const name of LINT_FAILING_DEFAULTS) registry.removeSingleMetric(name);
  }

  // Per-miner and per-breaker values are rebuilt when the first metric of their group is
  // collected (the registry collects in registration order), so removed ones disappear.
  const info = new Gauge({
    name: 'solowatch_miner_info',
    help: 'Constant 1 per watched miner, with its name, kind and address as labels',
    labelNames: ['miner', 'name', 'kind', 'host'],
    registers,
    collect: () => rebuildMiners(),
  });
  const gauge = (name: string, help: string, labelNames: string[] = ['miner']) =>
    new Gauge({ name, help, labelNames, registers });
  const up = gauge(
    'solowatch_miner_up',
    '1 when the miner answered its last poll (online, degraded or paused), else 0',
  );
  const paused = gauge(
    'solowatch_miner_paused',
    '1 while the miner is paused (by a command or by itself), else 0',
  );
  const hashrate = gauge('solowatch_miner_hashrate_hashes_per_second', 'Reported hashrate');
  const expected = gauge(
    'solowatch_miner_expected_hashrate_hashes_per_second',
    'Hashrate the miner should reach at its settings',
  );
  const temperature = gauge('solowatch_miner_temperature_celsius', 'Temperatures by sensor', [
    'miner',
    'sensor',
  ]);
  const power = gauge('solowatch_miner_power_watts', 'Power drawn');
  const efficiency = gauge(
    'solowatch_miner_efficiency_joules_per_terahash',
    'Energy per terahash (W per TH/s)',
  );
  const bestDifficulty = gauge(
    'solowatch_miner_best_difficulty',
    'All-time best share difficulty, kept across device reboots',
  );
  const uptime = gauge('solowatch_miner_uptime_seconds', 'Seconds since the device last booted');
  const counter = (name: string, help: string, labelNames: string[]) =>
    new Counter({ name, help, labelNames, registers });
  const accepted = counter(
    'solowatch_miner_shares_accepted_total',
    'Shares accepted, as the device counts them',
    ['miner'],
  );
  const rejected = counter(
    'solowatch_miner_shares_rejected_total',
    'Shares rejected, as the device counts them',
    ['miner'],
  );

  const breakerState = new Gauge({
    name: 'solowatch_breaker_state',
    help: 'Circuit breaker state: 0 closed, 1 half-open, 2 open',
    labelNames: ['breaker'],
    registers,
    collect: () => rebuildBreakers(),
  });
  const breakerFailures = gauge(
    'solowatch_breaker_consecutive_failures',
    'Failures recorded since the breaker last succeeded',
    ['breaker'],
  );
  const retries = counter('solowatch_retries_total', 'Retries made through the breaker', ['breaker']);
  const giveUps = counter('solowatch_retry_give_ups_total', 'Calls that failed after their last attempt', [
    'breaker',
  ]);
  const refusals = counter('solowatch_breaker_refusals_total', 'Calls refused at once by an open breaker', [
    'breaker',
  ]);

  const dropped = new Counter({
    name: 'solowatch_storage_dropped_samples_total',
    help: 'Samples refused because the write queue was full while the database was unavailable',
    registers,
    async collect() {
      const health = await monitor.health();
      dropped.reset();
      dropped.inc(health.stats.dropped);
    },
  });
  const queued = new Gauge({
    name: 'solowatch_storage_queued_samples',
    help: 'Samples accepted and waiting to be written',
    registers,
    async collect() {
      queued.set((await monitor.health()).stats.queued);
    },
  });

  const lateness = new Histogram({
    name: 'solowatch_poll_lateness_seconds',
    help: 'How long after its due time each poll started, the wait for a free poll slot included',
    // Healthy polls start within milliseconds; seconds mean the concurrency cap is too low.
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers,
  });

  function rebuildMiners(): void {
    for (const metric of [
      info,
      up,
      paused,
      hashrate,
      expected,
      temperature,
      power,
      efficiency,
      bestDifficulty,
      uptime,
    ]) {
      metric.reset();
    }
    accepted.reset();
    rejected.reset();
    const miners = monitor.listMiners();
    for (const miner of miners) {
      const m = { miner: miner.id };
      info.set({ ...m, name: miner.name, kind: miner.kind, host: `${miner.host}:${miner.port}` }, 1);
      up.set(m, UP_STATUSES.has(miner.status) ? 1 : 0);
      paused.set(m, miner.status === 'paused' ? 1 : 0);
      if (miner.bestDifficulty !== null) bestDifficulty.set(m, miner.bestDifficulty);
      const s = miner.lastSample;
      if (s === null) continue;
      if (s.hashrateGhs !== null) hashrate.set(m, s.hashrateGhs * 1e9);
      if (s.expectedHashrateGhs !== null) expected.set(m, s.expectedHashrateGhs * 1e9);
      if (s.temperatureC !== null) temperature.set({ ...m, sensor: 'chip' }, s.temperatureC);
      if (s.maxChipTemperatureC !== null)
        temperature.set({ ...m, sensor: 'chip_max' }, s.maxChipTemperatureC);
      if (s.vrTemperatureC !== null) temperature.set({ ...m, sensor: 'vr' }, s.vrTemperatureC);
      if (s.powerW !== null) power.set(m, s.powerW);
      if (s.powerW !== null && s.hashrateGhs !== null && s.hashrateGhs > 0) {
        efficiency.set(m, s.powerW / (s.hashrateGhs / 1000));
      }
      if (s.uptimeS !== null) uptime.set(m, s.uptimeS);
      if (s.sharesAccepted !== null) accepted.inc(m, Math.max(0, s.sharesAccepted));
      if (s.sharesRejected !== null) rejected.inc(m, Math.max(0, s.sharesRejected));
    }
  }

  function rebuildBreakers(): void {
    for (const metric of [breakerState, breakerFailures]) metric.reset();
    for (const metric of [retries, giveUps, refusals]) metric.reset();
    const all = Object.values(breakers.getStats());
    for (const stats of all) {
      const b = { breaker: stats.name };
      breakerState.set(b, BREAKER_STATE_VALUE[stats.state] ?? 0);
      breakerFailures.set(b, stats.failureCount);
      const pairs = [
        [retries, stats.retries],
        [giveUps, stats.giveUps],
        [refusals, stats.refusals],
      ] as const;
      for (const [metric, value] of pairs) if (value !== undefined) metric.inc(b, Math.max(0, value));
    }
  }

  // A monitor without a scheduler (a fake, a read-only view) has no lateness: the histogram stays empty.
  const unsubscribe = monitor.onPollLateness?.((lateMs) => lateness.observe(lateMs / 1000)) ?? (() => {});

  return { registry, close: unsubscribe };
}
