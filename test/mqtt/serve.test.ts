/**
 * The bridge as `solowatch serve` builds it from the config file: the real app, a simulated
 * miner, the test broker. GET /api/health shows the bridge; Home Assistant sees the miner with a
 * link to its page on this server.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config/Config.js';
import { type SolowatchHandle, startSolowatch } from '../../src/main.js';
import { Topics } from '../../src/mqtt/index.js';
import { RetryManager } from '../../src/resilience/index.js';
import { type Fleet, startFleet } from '../../src/simulator/index.js';
import { Listener, startTestBroker, type TestBroker, uniqueTopics } from './broker.js';

const broker: TestBroker = await startTestBroker();
afterAll(() => broker.close());

let handle: SolowatchHandle | undefined;
let fleet: Fleet | undefined;
let listener: Listener | undefined;
afterEach(async () => {
  await handle?.close();
  await listener?.close();
  await fleet?.close();
});

interface Health {
  mqtt: { connected: boolean; broker: string; lastError: string | null } | null;
}

const health = async (url: string) => (await (await fetch(`${url}/api/health`)).json()) as Health;

const start = (mqtt: (typeof DEFAULT_CONFIG)['mqtt'], miners: typeof DEFAULT_CONFIG.miners = []) =>
  startSolowatch(
    {
      ...DEFAULT_CONFIG,
      port: 0,
      dataDir: mkdtempSync(join(tmpdir(), 'solowatch-mqtt-')),
      pollIntervalMs: 1000,
      token: 'mqtt-serve-token-0123456789abcdef',
      miners,
      mqtt,
    },
    { retryManager: new RetryManager(), webRoot: null, tuneHeap: false },
  );

describe(`solowatch serve with mqtt against ${broker.kind}`, () => {
  it('publishes the configured miners and shows the bridge on GET /api/health', async () => {
    fleet = await startFleet({ count: 1, kind: 'axeos', seed: 3 });
    const device = fleet.devices[0];
    const names = uniqueTopics();
    const topics = new Topics(names.baseTopic, names.discoveryPrefix);
    listener = await Listener.start(broker.url, [`${names.baseTopic}/#`, `${names.discoveryPrefix}/#`]);
    handle = await start({ url: broker.url, ...names }, [
      { host: '127.0.0.1', port: device?.port ?? 0, kind: 'axeos' },
    ]);
    const url = handle.url;
    await vi.waitFor(
      async () => expect((await health(url)).mqtt).toMatchObject({ connected: true, lastError: null }),
      {
        timeout: 5000,
      },
    );
    expect((await health(url)).mqtt?.broker).toBe(broker.url);
    const id = handle.monitor.listMiners()[0]?.id as string;
    await listener.until(
      () => typeof listener?.json(topics.state(id))?.hashrate_ghs === 'number',
      5000,
      'state',
    );
    await listener.until((m) => m.has(topics.discovery('sensor', id, 'hashrate')), 5000, 'discovery');
    const config = listener.json(topics.discovery('sensor', id, 'hashrate'));
    expect(config?.device).toMatchObject({ configuration_url: `${url}/#/miners/${id}` });
    await handle.close();
    await listener.until((m) => m.get(topics.status) === 'offline', 3000, 'offline after close');
  });

  it('without mqtt in the config, health says null; with the broker away, it says why', async () => {
    handle = await start(null);
    expect((await health(handle.url)).mqtt).toBeNull();
    await handle.close();
    handle = await start({ url: 'mqtt://someone:pa55word@127.0.0.1:1' });
    const url = handle.url;
    await vi.waitFor(async () => expect((await health(url)).mqtt?.lastError).toBeTruthy(), { timeout: 5000 });
    const { mqtt } = await health(url);
    expect(mqtt?.connected).toBe(false);
    expect(mqtt?.lastError).toMatch(/cannot reach the MQTT broker mqtt:\/\/someone@127\.0\.0\.1:1/);
    expect(JSON.stringify(mqtt)).not.toContain('pa55word');
  });
});
