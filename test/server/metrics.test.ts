import { spawnSync } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { minerView, NOW, sample } from './fakes.js';
import { type Harness, harness } from './harness.js';

const promtool = spawnSync('promtool', ['--version'], { encoding: 'utf8' }).status === 0;

let h: Harness;
beforeEach(async () => {
  h = await harness();
  h.monitor.miners.set('m2', minerView('m2', { status: 'offline', lastSample: null, name: 'cellar "two"' }));
});
afterEach(async () => {
  await h.app.close();
});

async function scrape(): Promise<string> {
  const res = await h.app.inject({ url: '/metrics' });
  expect(res.statusCode).toBe(200);
  expect(res.headers['content-type']).toContain('text/plain');
  return res.body;
}

describe('GET /metrics', () => {
  it('exposes per-miner gauges from the last sample', async () => {
    const text = await scrape();
    expect(text).toContain('solowatch_miner_up{miner="m1"} 1');
    expect(text).toContain('solowatch_miner_up{miner="m2"} 0');
    expect(text).toContain('solowatch_miner_paused{miner="m1"} 0');
    expect(text).toContain('solowatch_miner_hashrate_hashes_per_second{miner="m1"} 1200000000000');
    expect(text).toContain('solowatch_miner_expected_hashrate_hashes_per_second{miner="m1"} 1250000000000');
    expect(text).toContain('solowatch_miner_temperature_celsius{miner="m1",sensor="vr"} 60');
    expect(text).toContain('solowatch_miner_power_watts{miner="m1"} 18');
    expect(text).toContain('solowatch_miner_efficiency_joules_per_terahash{miner="m1"} 15');
    expect(text).toContain('solowatch_miner_shares_accepted_total{miner="m1"} 1000');
    expect(text).toContain('solowatch_miner_shares_rejected_total{miner="m1"} 3');
    expect(text).toContain('solowatch_miner_best_difficulty{miner="m1"} 4200000000');
    expect(text).toContain(
      'solowatch_miner_info{miner="m2",name="cellar \\"two\\"",kind="axeos",host="10.0.0.5:80"} 1',
    );
  });

  it('exposes breaker state, retries, give-ups and dropped samples', async () => {
    h.monitor.health_ = {
      ...h.monitor.health_,
      stats: { ...h.monitor.health_.stats, dropped: 9, queued: 4 },
    };
    const text = await scrape();
    expect(text).toContain('solowatch_breaker_state{breaker="database"} 0');
    expect(text).toContain('solowatch_breaker_state{breaker="miner_operations:m1"} 2');
    expect(text).toContain('solowatch_breaker_state{breaker="http_requests:http://10.0.0.5"} 1');
    expect(text).toContain('solowatch_retries_total{breaker="database"} 4');
    expect(text).toContain('solowatch_retry_give_ups_total{breaker="database"} 1');
    expect(text).toContain('solowatch_storage_dropped_samples_total 9');
    expect(text).toContain('solowatch_storage_queued_samples 4');
  });

  it('drops series of a removed miner at the next scrape', async () => {
    expect(await scrape()).toContain('miner="m2"');
    h.monitor.miners.delete('m2');
    expect(await scrape()).not.toContain('miner="m2"');
  });

  it("records the scheduler's own lateness of every poll, not gaps between samples", async () => {
    h.monitor.emitLateness(3);
    h.monitor.emitLateness(2500, 'm2');
    // Samples say nothing about lateness any more: a 12.5 s gap at a 10 s interval adds nothing.
    h.monitor.emit({ type: 'sample', minerId: 'm1', sample: sample({ timestamp: NOW }) });
    h.monitor.emit({ type: 'sample', minerId: 'm1', sample: sample({ timestamp: NOW + 12_500 }) });
    const text = await scrape();
    expect(text).toContain('solowatch_poll_lateness_seconds_count 2');
    expect(text).toContain('solowatch_poll_lateness_seconds_sum 2.503');
    expect(text).toContain('solowatch_poll_lateness_seconds_bucket{le="0.001"} 0');
    expect(text).toContain('solowatch_poll_lateness_seconds_bucket{le="0.005"} 1');
    expect(text).toContain('solowatch_poll_lateness_seconds_bucket{le="1"} 1');
    expect(text).toContain('solowatch_poll_lateness_seconds_bucket{le="2.5"} 2');
  });

  it('stops listening to lateness when the app closes', async () => {
    expect(h.monitor.latenessListenerCount).toBe(1);
    await h.app.close();
    expect(h.monitor.latenessListenerCount).toBe(0);
  });

  it.runIf(promtool || process.env.CI === 'true')('passes `promtool check metrics`', async () => {
    h.monitor.emitLateness(0);
    h.monitor.emitLateness(120);
    const text = await scrape();
    const result = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
    expect(result.error, 'promtool must be installed in CI (Debian package prometheus)').toBeUndefined();
    expect(`${result.stdout}${result.stderr}`.trim()).toBe('');
    expect(result.status).toBe(0);
  });
});
