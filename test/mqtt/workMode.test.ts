/**
 * An Avalon's work mode in Home Assistant, against a real broker and a simulated Avalon Q over
 * real TCP: a `select` of its menu by name, whose state follows the device, and a choice made
 * there switches the device through the same checks as the API.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createControl } from '../../src/monitor/control/createControl.js';
import { systemTimers } from '../../src/monitor/timers.js';
import { MqttBridge, type MqttBridgeEvent, resolveMqttSettings } from '../../src/mqtt/index.js';
import { startCgminerDevice } from '../../src/simulator/index.js';
import { createRig } from '../monitor/helpers.js';
import { listenOnNewTopics, startTestBroker, type TestBroker } from './broker.js';
import { checkDiscoveryPayload } from './haDiscoverySchema.js';

const broker: TestBroker = await startTestBroker();
const open: { close(): Promise<void> }[] = [];

afterAll(() => broker.close());
afterEach(async () => {
  for (const thing of open.splice(0).reverse()) await thing.close();
});

describe(`work mode select against ${broker.kind}`, () => {
  it('offers the Avalon Q menu by name and a choice there switches the device', async () => {
    const device = await startCgminerDevice({ variant: 'avalon-q', seed: 3 });
    open.push(device);
    const rig = await createRig({ defaultIntervalMs: 300 });
    open.push(rig);
    const id = (await rig.manager.addMiner({ host: '127.0.0.1', port: device.port, kind: 'cgminer' })).id;
    const { names, topics, listener } = await listenOnNewTopics(broker.url);
    open.push(listener);
    const events: MqttBridgeEvent[] = [];
    const bridge = new MqttBridge({
      monitor: rig.manager,
      settings: resolveMqttSettings({ url: broker.url, ...names, commands: true }),
      dashboardUrl: 'http://127.0.0.1:8080',
      version: '9.9.9',
      timers: systemTimers,
      random: Math.random,
      onEvent: (event) => events.push(event),
      control: createControl(rig.manager),
    });
    open.push(bridge);
    await rig.manager.start();
    bridge.start();

    const selectTopic = topics.discovery('select', id, 'work_mode');
    await listener.until((m) => m.has(selectTopic), 8000, 'the work mode select');
    const select = listener.json(selectTopic) ?? {};
    expect(checkDiscoveryPayload('select', select)).toEqual([]);
    expect(select).toMatchObject({
      command_topic: topics.command(id, 'work_mode'),
      state_topic: topics.settings(id),
      options: ['Eco', 'Standard', 'Super'],
    });
    await listener.until(() => listener.json(topics.settings(id))?.work_mode === 0, 5000, 'work mode 0');

    // Not one of its names: nothing is sent, and the reason is given.
    await listener.client.publishAsync(topics.command(id, 'work_mode'), 'Turbo');
    await listener.until(() => events.some((e) => e.type === 'command_ignored'), 3000, 'ignored');
    expect(events).toContainEqual(
      expect.objectContaining({ reason: 'work_mode takes one of Eco, Standard, Super, got "Turbo"' }),
    );

    await listener.client.publishAsync(topics.command(id, 'work_mode'), 'Super');
    await listener.until(() => listener.json(topics.settings(id))?.work_mode === 2, 5000, 'the read-back');
    expect(device.model.commandsSeen.map((c) => c.detail)).toEqual(['0,workmode,set,2']);
    await listener.until(
      () => listener.json(topics.commandResult(id, 'work_mode')) !== undefined,
      3000,
      'the command result',
    );
    expect(listener.json(topics.commandResult(id, 'work_mode'))).toMatchObject({ ok: true });
  });
});
