/**
 * The bridge against a real broker (Mosquitto when it answers, else aedes) and a real monitor
 * polling simulated miners: what Home Assistant sees (discovery, state, availability), renames,
 * removal, and the restart button.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createControl } from '../../src/monitor/control/createControl.js';
import { systemTimers } from '../../src/monitor/timers.js';
import {
  ANOTHER_INSTANCE,
  MINER_SENSORS,
  MqttBridge,
  type MqttBridgeEvent,
  resolveMqttSettings,
  type Topics,
} from '../../src/mqtt/index.js';
import { type Fleet, startFleet } from '../../src/simulator/index.js';
import { createRig, type Rig, waitForEvent } from '../monitor/helpers.js';
import { Listener, listenOnNewTopics, startTestBroker, type TestBroker } from './broker.js';
import { checkDiscoveryPayload, checkDiscoveryTopic, templateKeys } from './haDiscoverySchema.js';

const broker: TestBroker = await startTestBroker();
const open: { close(): Promise<void> }[] = [];

afterAll(() => broker.close());

afterEach(async () => {
  for (const thing of open.splice(0).reverse()) await thing.close();
});

interface Setup {
  readonly rig: Rig;
  readonly fleet: Fleet;
  readonly bridge: MqttBridge;
  readonly listener: Listener;
  readonly topics: Topics;
  readonly events: MqttBridgeEvent[];
  readonly ids: string[];
}

async function setUp(
  options: {
    miners?: number;
    commands?: boolean;
    control?: boolean;
    firmware?: string;
    runsHere?: (minerId: string) => boolean;
  } = {},
): Promise<Setup> {
  const fleet = await startFleet({
    count: options.miners ?? 2,
    kind: 'axeos',
    seed: 7,
    restartDelayMs: 200,
    ...(options.firmware === undefined ? {} : { firmware: options.firmware }),
  });
  open.push(fleet);
  const rig = await createRig({
    defaultIntervalMs: 300,
    restart: { cooldownMs: 60_000, confirmTimeoutMs: 10_000, confirmPollMs: 150 },
  });
  open.push(rig);
  const ids: string[] = [];
  for (const device of fleet.devices) {
    ids.push(
      (await rig.manager.addMiner({ host: '127.0.0.1', port: device.port, name: device.hostname })).id,
    );
  }
  const { names, topics, listener } = await listenOnNewTopics(broker.url);
  open.push(listener);
  const events: MqttBridgeEvent[] = [];
  const bridge = new MqttBridge({
    monitor: rig.manager,
    settings: resolveMqttSettings({ url: broker.url, ...names, commands: options.commands ?? false }),
    dashboardUrl: 'http://127.0.0.1:8080',
    version: '9.9.9',
    timers: systemTimers,
    random: Math.random,
    tuning: { fleetEveryMs: 100 },
    onEvent: (event) => events.push(event),
    ...(options.control === true ? { control: createControl(rig.manager) } : {}),
    ...(options.runsHere === undefined ? {} : { runsHere: options.runsHere }),
  });
  open.push(bridge);
  await rig.manager.start();
  bridge.start();
  return { rig, fleet, bridge, listener, topics, events, ids };
}

const withHashrate = (listener: Listener, topics: Topics, ids: readonly string[]) => () =>
  ids.every((id) => typeof listener.json(topics.state(id))?.hashrate_ghs === 'number');

describe(`MQTT bridge against ${broker.kind}`, () => {
  it('publishes availability, retained state after polls and discovery that Home Assistant accepts', async () => {
    const { listener, topics, ids, bridge, fleet, rig } = await setUp();
    await listener.until(withHashrate(listener, topics, ids), 5000, 'state with a hashrate for every miner');
    await listener.until(
      (m) => m.has(topics.fleetState) && m.get(topics.status) === 'online',
      5000,
      'fleet totals',
    );
    expect(bridge.status()).toMatchObject({ connected: true, state: 'connected', lastError: null });

    // Every discovery config, as Home Assistant would read it.
    const configs = [...listener.messages].filter(([topic]) =>
      topic.startsWith(`${topics.discoveryPrefix}/`),
    );
    expect(configs.length).toBe(ids.length * (MINER_SENSORS.length + 1) + 8);
    for (const [topic, text] of configs) {
      expect(checkDiscoveryTopic(topic, topics.discoveryPrefix)).toEqual([]);
      const component = topic.split('/').at(-4) as string;
      const config = JSON.parse(text) as Record<string, unknown>;
      expect(checkDiscoveryPayload(component, config), topic).toEqual([]);
      // Every key a template reads is in the state it points at.
      const state = listener.json(config.state_topic as string);
      expect(state, `${topic} reads ${String(config.state_topic)}`).toBeDefined();
      for (const key of templateKeys(config.value_template)) expect(state).toHaveProperty(key);
    }

    // One device per miner, identified by its MAC, with its model, firmware and page.
    const device = fleet.devices[0];
    const id = ids[0] as string;
    // The first config may predate the first poll; the one after it names the firmware.
    await listener.until(
      () =>
        (listener.json(topics.discovery('sensor', id, 'hashrate'))?.device as Record<string, unknown>)
          ?.sw_version !== undefined,
      3000,
      'the firmware in the device',
    );
    const hashrate = listener.json(topics.discovery('sensor', id, 'hashrate'));
    expect(hashrate?.device).toMatchObject({
      identifiers: [`solowatch_${device?.mac.replaceAll(':', '').toLowerCase()}`],
      connections: [['mac', device?.mac.toLowerCase()]],
      name: device?.hostname,
      manufacturer: 'Bitaxe (AxeOS)',
      sw_version: device?.firmware,
      configuration_url: `http://127.0.0.1:8080/#/miners/${id}`,
    });
    expect(listener.json(topics.discovery('sensor', id, 'temperature'))).toMatchObject({
      device_class: 'temperature',
      unit_of_measurement: '°C',
      state_class: 'measurement',
    });
    expect(listener.json(topics.discovery('binary_sensor', id, 'online'))).toMatchObject({
      device_class: 'connectivity',
    });
    // No command entities unless commands are on.
    expect(listener.messages.has(topics.discovery('button', id, 'restart'))).toBe(false);

    // The state is what the monitor saw.
    const view = rig.manager.getMiner(id);
    const state = listener.json(topics.state(id));
    expect(state).toMatchObject({ status: view?.status, online: true, name: device?.hostname });
    expect(state?.power_w).toBeGreaterThan(0);
    expect(listener.json(topics.fleetState)?.miners_total).toBe(2);

    // A clean shutdown says offline (the last will covers the unclean one).
    await bridge.close();
    await listener.until((m) => m.get(topics.status) === 'offline', 3000, 'offline');
  });

  it('a rename updates the device, a removal clears its retained state and discovery', async () => {
    const { listener, topics, ids, rig } = await setUp();
    const [gone, kept] = ids as [string, string];
    await listener.until(withHashrate(listener, topics, ids), 5000, 'state for every miner');
    await rig.manager.updateMiner(kept, { name: 'garage-bitaxe' });
    await listener.until(
      () =>
        (listener.json(topics.discovery('sensor', kept, 'power'))?.device as { name?: string })?.name ===
        'garage-bitaxe',
      3000,
      'the new name in the discovery config',
    );
    // The state follows in the same flush, but on another QoS: it may arrive a moment later.
    await listener.until(
      () => listener.json(topics.state(kept))?.name === 'garage-bitaxe',
      3000,
      'the new name in the state',
    );

    await rig.manager.removeMiner(gone);
    await listener.until(
      (m) => ![...m.keys()].some((topic) => topic.includes(gone)),
      3000,
      `every retained topic of ${gone} cleared`,
    );
    // Cleared on the broker, not just here: a new subscriber gets nothing retained for it.
    const late = await Listener.start(broker.url, [`${topics.base}/#`, `${topics.discoveryPrefix}/#`]);
    open.push(late);
    await late.until((m) => m.has(topics.state(kept)), 3000, 'the kept miner, retained');
    expect([...late.messages.keys()].filter((topic) => topic.includes(gone))).toEqual([]);
    expect(late.messages.has(topics.discovery('sensor', kept, 'hashrate'))).toBe(true);
  });

  it('leaves a command to the instance that polls the miner (several instances hear it)', async () => {
    const { listener, topics, ids, fleet, events } = await setUp({
      miners: 1,
      commands: true,
      runsHere: () => false,
    });
    const id = ids[0] as string;
    await listener.until(withHashrate(listener, topics, ids), 5000, 'state');
    const boots = fleet.devices[0]?.model.bootCount ?? 0;
    await listener.client.publishAsync(topics.command(id, 'restart'), 'PRESS');
    await listener.until(() => events.some((e) => e.type === 'command_ignored'), 3000, 'ignored');
    expect(events.filter((e) => e.type === 'command_ignored' || e.type === 'command')).toEqual([
      { type: 'command_ignored', topic: topics.command(id, 'restart'), reason: ANOTHER_INSTANCE },
    ]);
    expect(fleet.devices[0]?.model.bootCount).toBe(boots);
  });

  it('the restart button restarts the simulated device, through the monitor, and reports it', async () => {
    const { listener, topics, ids, fleet, rig, events } = await setUp({ miners: 1, commands: true });
    const id = ids[0] as string;
    const device = fleet.devices[0];
    await listener.until(withHashrate(listener, topics, ids), 5000, 'state');
    const button = listener.json(topics.discovery('button', id, 'restart'));
    expect(checkDiscoveryPayload('button', button ?? {})).toEqual([]);
    expect(button).toMatchObject({ device_class: 'restart', command_topic: topics.command(id, 'restart') });
    const boots = device?.model.bootCount ?? 0;
    await listener.client.subscribeAsync(topics.commandResult(id, 'restart'));

    // Bad payloads first: ignored with a reason, nothing restarts.
    await listener.client.publishAsync(topics.command(id, 'restart'), 'reboot please');
    await listener.client.publishAsync(topics.command('no-such-miner', 'restart'), 'PRESS');
    await listener.client.publishAsync(`${topics.base}/${id}/self-destruct/set`, 'PRESS');
    await listener.until(
      () => events.filter((e) => e.type === 'command_ignored').length >= 3,
      3000,
      'three ignored',
    );
    const reasons = events.flatMap((e) => (e.type === 'command_ignored' ? [e.reason] : []));
    expect(reasons).toEqual([
      'restart takes the payload PRESS, got "reboot please"',
      'no miner with id "no-such-miner"',
      'unknown command "self-destruct"',
    ]);
    expect(device?.model.bootCount).toBe(boots);

    // As Home Assistant presses it (payload_press, not retained).
    const confirmed = waitForEvent(
      rig.manager,
      (e) => e.type === 'restart' && e.restart.state === 'confirmed',
      10_000,
    );
    await listener.client.publishAsync(button?.command_topic as string, button?.payload_press as string);
    await confirmed;
    expect(device?.model.bootCount).toBe(boots + 1);
    await listener.until(
      () => listener.json(topics.commandResult(id, 'restart'))?.state === 'confirmed',
      3000,
      'the confirmed restart on the result topic',
    );
    expect(events).toContainEqual(expect.objectContaining({ type: 'command', command: 'restart', ok: true }));

    // A second press inside the cooldown is refused by the monitor, as the API would be.
    await listener.client.publishAsync(topics.command(id, 'restart'), 'PRESS');
    await listener.until(
      () => listener.json(topics.commandResult(id, 'restart'))?.code === 'RESTART_COOLDOWN',
      3000,
      'the refusal on the result topic',
    );
    expect(device?.model.bootCount).toBe(boots + 1);
  });

  it('the pause switch pauses and resumes the simulated device through the control, and shows it', async () => {
    const { listener, topics, ids, fleet, events } = await setUp({
      miners: 1,
      commands: true,
      control: true,
    });
    const id = ids[0] as string;
    const device = fleet.devices[0];
    await listener.until(withHashrate(listener, topics, ids), 5000, 'state');
    // Offered once the device's capabilities were read (v2.15 can pause).
    await listener.until((m) => m.has(topics.discovery('switch', id, 'pause')), 5000, 'the pause switch');
    const toggle = listener.json(topics.discovery('switch', id, 'pause'));
    expect(checkDiscoveryPayload('switch', toggle ?? {})).toEqual([]);
    expect(toggle).toMatchObject({ command_topic: topics.command(id, 'pause'), payload_on: 'ON' });
    expect(listener.json(topics.state(id))?.paused).toBe(false);

    await listener.client.publishAsync(topics.command(id, 'pause'), 'maybe');
    await listener.until(() => events.some((e) => e.type === 'command_ignored'), 3000, 'ignored');
    expect(events).toContainEqual(
      expect.objectContaining({ reason: 'pause takes the payload ON or OFF, got "maybe"' }),
    );
    expect(device?.model.paused).toBe(false);

    await listener.client.publishAsync(toggle?.command_topic as string, toggle?.payload_on as string);
    await listener.until(() => listener.json(topics.state(id))?.paused === true, 5000, 'paused state');
    expect(device?.model.paused).toBe(true);
    expect(listener.json(topics.commandResult(id, 'pause'))).toMatchObject({ ok: true });

    await listener.client.publishAsync(topics.command(id, 'pause'), 'OFF');
    await listener.until(() => listener.json(topics.state(id))?.paused === false, 5000, 'resumed state');
    expect(device?.model.paused).toBe(false);
  });

  it('offers frequency and fan numbers from the capabilities, and a frequency set there changes the device', async () => {
    const { listener, topics, ids, fleet, events } = await setUp({
      miners: 1,
      commands: true,
      control: true,
    });
    const id = ids[0] as string;
    const device = fleet.devices[0];
    const numberTopic = topics.discovery('number', id, 'frequency');
    await listener.until((m) => m.has(numberTopic), 5000, 'the frequency number');
    const frequency = listener.json(numberTopic) ?? {};
    expect(checkDiscoveryPayload('number', frequency)).toEqual([]);
    // The ranges come from the device: AxeOS v2.15 takes any MHz within its range.
    expect(frequency).toMatchObject({
      command_topic: topics.command(id, 'frequency'),
      state_topic: topics.settings(id),
      device_class: 'frequency',
      unit_of_measurement: 'MHz',
      mode: 'box',
    });
    expect(frequency.min).toBeLessThan(frequency.max as number);
    const fan = listener.json(topics.discovery('number', id, 'fan')) ?? {};
    expect(checkDiscoveryPayload('number', fan)).toEqual([]);
    expect(fan).toMatchObject({ device_class: 'temperature', unit_of_measurement: '°C' });
    // Its state shows what the device reports.
    await listener.until((m) => m.has(topics.settings(id)), 3000, 'the settings state');
    expect(listener.json(topics.settings(id))?.frequency_mhz).toBe(device?.model.frequencyMhz);

    // A payload that is not a number runs nothing and says why.
    await listener.client.publishAsync(topics.command(id, 'frequency'), 'fast');
    await listener.until(() => events.some((e) => e.type === 'command_ignored'), 3000, 'ignored');
    expect(events).toContainEqual(
      expect.objectContaining({ reason: 'frequency takes a number of MHz, got "fast"' }),
    );

    const wanted = (frequency.min as number) + 25;
    await listener.client.publishAsync(topics.command(id, 'frequency'), String(wanted));
    await listener.until(
      () => listener.json(topics.settings(id))?.frequency_mhz === wanted,
      5000,
      'the read-back frequency',
    );
    expect(device?.model.frequencyMhz).toBe(wanted);
    // The outcome goes out just after the read-back, on its own topic: it may arrive a moment later.
    await listener.until(
      () => listener.json(topics.commandResult(id, 'frequency')) !== undefined,
      3000,
      'the command result',
    );
    expect(listener.json(topics.commandResult(id, 'frequency'))).toMatchObject({ ok: true });

    // Out of the device's range: refused by the same check as the API, nothing sent.
    await listener.client.publishAsync(
      topics.command(id, 'frequency'),
      String((frequency.max as number) + 500),
    );
    await listener.until(
      () => listener.json(topics.commandResult(id, 'frequency'))?.code === 'INVALID_INPUT',
      3000,
      'the refusal',
    );
    expect(device?.model.frequencyMhz).toBe(wanted);
  });

  it('offers no pause switch to a device that cannot pause (AxeOS before v2.14)', async () => {
    const { listener, topics, ids } = await setUp({
      miners: 1,
      commands: true,
      control: true,
      firmware: '2.12',
    });
    const id = ids[0] as string;
    await listener.until((m) => m.has(topics.discovery('number', id, 'frequency')), 5000, 'its capabilities');
    expect(listener.messages.has(topics.discovery('switch', id, 'pause'))).toBe(false);
    expect(listener.messages.has(topics.discovery('button', id, 'restart'))).toBe(true);
  });
});
