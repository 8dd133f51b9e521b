/**
 * The connection's hard cases: a broker refusing the login, and a broker that goes away and comes
 * back (backoff on a fake clock, nothing kept while away, the whole picture sent again).
 */
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import type { MonitorTimers } from '../../src/monitor/timers.js';
import { systemTimers } from '../../src/monitor/timers.js';
import { MqttBridge, type MqttBridgeEvent, resolveMqttSettings, Topics } from '../../src/mqtt/index.js';
import { FakeClock } from '../../src/resilience/testing.js';
import { FakeMonitor, minerView, sample } from '../server/fakes.js';
import {
  CuttableLink,
  Listener,
  startAedes,
  startTestBroker,
  type TestBroker,
  uniqueTopics,
} from './broker.js';

const broker: TestBroker = await startTestBroker();
afterAll(() => broker.close());
const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const thing of open.splice(0).reverse()) await thing.close();
});

/** Backoff waits on the fake clock; the bridge's flush timers are real (they wait 0 ms). */
function fakeTimers(clock: FakeClock): MonitorTimers {
  return {
    now: () => clock.now(),
    sleep: (ms, signal) => clock.sleep(ms, signal),
    setTimer: systemTimers.setTimer,
  };
}

function bridgeFor(
  url: string,
  monitor: FakeMonitor,
  clock: FakeClock,
  extra: { username?: string; password?: string } = {},
) {
  const names = uniqueTopics();
  const events: MqttBridgeEvent[] = [];
  const bridge = new MqttBridge({
    monitor,
    settings: resolveMqttSettings({ url, ...names, ...extra }),
    dashboardUrl: 'http://127.0.0.1:8080',
    version: '0.0.0',
    timers: fakeTimers(clock),
    random: () => 0.5,
    tuning: { reconnectBaseDelayMs: 1000, maxReconnectDelayMs: 8000, fleetEveryMs: 0 },
    onEvent: (event) => events.push(event),
  });
  open.push(bridge);
  return { bridge, events, topics: new Topics(names.baseTopic, names.discoveryPrefix) };
}

describe(`MQTT connection against ${broker.kind}`, () => {
  it('a broker refusing the login gives a clear error naming the URL, never the password', async () => {
    const guarded = await startAedes({
      authenticate: (_client, _username, _password, done) => {
        const error = Object.assign(new Error('bad login'), { returnCode: 4 });
        done(error as Parameters<typeof done>[0], false);
      },
    });
    open.push(guarded);
    const clock = new FakeClock();
    const port = new URL(guarded.url).port;
    const { bridge } = bridgeFor(
      `mqtt://watcher:hunter2-in-url@127.0.0.1:${port}`,
      new FakeMonitor(),
      clock,
      {
        username: 'watcher',
        password: 'hunter2-in-settings',
      },
    );
    bridge.start();
    await vi.waitFor(() => expect(bridge.status().lastError).not.toBeNull(), { timeout: 3000 });
    const { lastError, broker: shown, connected, attempts } = bridge.status();
    expect(lastError).toMatch(`the MQTT broker mqtt://watcher@127.0.0.1:${port} refused the login:`);
    expect(lastError).not.toContain('hunter2');
    expect(shown).toBe(`mqtt://watcher@127.0.0.1:${port}`);
    expect(connected).toBe(false);
    // It waits for the backoff (on the clock) before trying again, instead of hammering.
    expect(attempts).toBe(1);
    await vi.waitFor(() => expect(clock.pendingSleeps).toBe(1));
    await clock.advance(500); // full jitter with random 0.5: half of the 1 s base
    await vi.waitFor(() => expect(bridge.status().attempts).toBe(2));
  });

  it('reconnects with backoff when the broker comes back, keeps nothing while away, then sends the whole picture', async () => {
    const link = await CuttableLink.start(broker.url);
    open.push(link);
    const monitor = new FakeMonitor();
    monitor.miners.set('m1', minerView('m1', { name: 'kept', lastSample: sample({ hashrateGhs: 500 }) }));
    monitor.miners.set('m2', minerView('m2', { name: 'removed while away' }));
    const clock = new FakeClock();
    const { bridge, events, topics } = bridgeFor(link.url, monitor, clock);
    const listener = await Listener.start(broker.url, [`${topics.base}/#`, `${topics.discoveryPrefix}/#`]);
    open.push(listener);
    bridge.start();
    await listener.until(
      (m) => m.has(topics.state('m1')) && m.has(topics.state('m2')) && m.get(topics.status) === 'online',
      3000,
      'online, and both states',
    );

    link.cut();
    // The broker publishes the last will when our connection drops without a goodbye.
    await listener.until((m) => m.get(topics.status) === 'offline', 3000, 'the last will');
    await vi.waitFor(() => expect(bridge.status().state).toBe('connecting'), { timeout: 3000 });
    expect(events).toContainEqual(expect.objectContaining({ type: 'disconnected' }));

    // While away: polls go on, nothing is kept or queued.
    monitor.miners.set('m1', minerView('m1', { name: 'kept', lastSample: sample({ hashrateGhs: 777 }) }));
    for (let i = 0; i < 1000; i += 1) monitor.emit({ type: 'sample', minerId: 'm1', sample: sample() });
    monitor.miners.delete('m2');
    monitor.emit({ type: 'miner', action: 'removed', minerId: 'm2' });
    expect(bridge.status().pending).toBe(0);

    // Refused while down: each attempt waits its backoff on the clock.
    await vi.waitFor(() => expect(clock.pendingSleeps).toBe(1), { timeout: 3000 });
    const before = bridge.status().attempts;
    await clock.advance(500);
    await vi.waitFor(() => expect(bridge.status().attempts).toBe(before + 1), { timeout: 3000 });
    await vi.waitFor(() => expect(clock.pendingSleeps).toBe(1), { timeout: 3000 });
    expect(bridge.status().lastError).toMatch(/MQTT broker mqtt:\/\/127\.0\.0\.1:\d+/);

    link.restore();
    await clock.advance(8000);
    await vi.waitFor(() => expect(bridge.status().connected).toBe(true), { timeout: 3000 });
    await listener.until(
      (m) => m.get(topics.status) === 'online' && !m.has(topics.state('m2')),
      3000,
      'online again, with the removed miner cleared',
    );
    await listener.until(
      () => listener.json(topics.state('m1'))?.hashrate_ghs === 777,
      3000,
      'the current state',
    );
    expect(listener.messages.has(topics.discovery('sensor', 'm2', 'hashrate'))).toBe(false);
    expect(listener.messages.has(topics.discovery('sensor', 'm1', 'hashrate'))).toBe(true);
    expect(events.filter((e) => e.type === 'retry').length).toBeGreaterThanOrEqual(1);
  });
});
