/**
 * Does MQTT slow polling? 200 simulated AxeOS miners polled every second by the real monitor
 * (SQLite file, HTTP drivers), in three phases of one run: no bridge, the bridge connected to a
 * broker (Mosquitto at 127.0.0.1:1883 when it answers, else an in-process aedes), and the bridge
 * with its broker away (a port that refuses, so it keeps reconnecting). Reports poll lateness
 * (how long after its due time each poll started) per phase; the target is lateness with the
 * broker down no worse than with it up (ratio of p99s within 1.5, noise on a shared machine).
 *
 *   node --import tsx bench/mqtt.bench.ts [--quick] [--miners 200] [--seconds 15]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Aedes } from 'aedes';
import { createDriverRegistry } from '../src/miners/index.js';
import { createMonitor } from '../src/monitor/index.js';
import { systemTimers } from '../src/monitor/timers.js';
import { MqttBridge, resolveMqttSettings } from '../src/mqtt/index.js';
import { RetryManager } from '../src/resilience/index.js';
import { startFleet } from '../src/simulator/index.js';
import { SqliteStorage } from '../src/storage/index.js';
import { isQuick } from './lib/args.js';
import { median, quantile } from './lib/stats.js';
import { infoRow, printSummary, type SummaryRow } from './lib/summary.js';
import { formatNumber, renderTable } from './lib/table.js';

const BENCH = 'mqtt';
const argv = process.argv.slice(2);
const flag = (name: string, fallback: number) => {
  const i = argv.indexOf(name);
  return i === -1 ? fallback : Number(argv[i + 1]);
};
const MINERS = flag('--miners', 200);
const SECONDS = flag('--seconds', isQuick() ? 5 : 15);

function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
    socket.connect(port, '127.0.0.1');
  });
}

async function broker(): Promise<{ url: string; kind: string; close(): Promise<void> }> {
  if (await answers(1883)) return { url: 'mqtt://127.0.0.1:1883', kind: 'Mosquitto', close: async () => {} };
  const aedes = await Aedes.createBroker();
  const server = createServer(aedes.handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `mqtt://127.0.0.1:${port}`,
    kind: 'aedes (in-process)',
    close: async () => {
      await new Promise<void>((resolve) => aedes.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A port nothing listens on: connections are refused at once. */
async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const fleet = await startFleet({ count: MINERS, kind: 'axeos', seed: 11 });
const dir = await mkdtemp(join(tmpdir(), 'solowatch-bench-mqtt-'));
const storage = new SqliteStorage({ path: join(dir, 'solowatch.db') });
await storage.initialize();
const drivers = createDriverRegistry();
const monitor = createMonitor({
  storage,
  drivers,
  retryManager: new RetryManager(),
  defaultIntervalMs: 1000,
});
for (const device of fleet.devices) {
  await monitor.addMiner({ host: '127.0.0.1', port: device.port, kind: 'axeos', verify: false });
}
await monitor.start();
const mqtt = await broker();
const down = await deadPort();

let lateness: number[] = [];
monitor.onPollLateness?.((ms) => lateness.push(ms));

async function phase(url: string | null): Promise<{ lateness: number[]; published: string }> {
  let bridge: MqttBridge | null = null;
  if (url !== null) {
    bridge = new MqttBridge({
      monitor,
      settings: resolveMqttSettings({
        url,
        baseTopic: 'solowatch_bench',
        discoveryPrefix: 'solowatch_bench_ha',
      }),
      dashboardUrl: 'http://127.0.0.1:8080',
      version: 'bench',
      timers: systemTimers,
      random: Math.random,
      tuning: { reconnectBaseDelayMs: 50, maxReconnectDelayMs: 500 },
    });
    bridge.start();
  }
  await new Promise((resolve) => setTimeout(resolve, 2000)); // settle: connect, first snapshot
  lateness = [];
  await new Promise((resolve) => setTimeout(resolve, SECONDS * 1000));
  const taken = lateness;
  const status = bridge?.status();
  await bridge?.close();
  const published =
    status === undefined ? '-' : `${status.connected ? 'connected' : 'away'}, ${status.attempts} attempts`;
  return { lateness: taken, published };
}

const phases = [
  { name: 'no bridge', ...(await phase(null)) },
  { name: `broker up (${mqtt.kind})`, ...(await phase(mqtt.url)) },
  { name: 'broker down (refusing)', ...(await phase(`mqtt://127.0.0.1:${down}`)) },
];
await monitor.stop();
await drivers.close();
await storage.close();
await fleet.close();
await mqtt.close();
await rm(dir, { recursive: true, force: true });

const rows = phases.map((p) => [
  p.name,
  p.lateness.length,
  formatNumber(median(p.lateness)),
  formatNumber(quantile(p.lateness, 0.99)),
  formatNumber(Math.max(...p.lateness)),
  p.published,
]);
process.stdout.write(
  `${MINERS} miners polled every 1 s, ${SECONDS} s per phase, one process\n${renderTable(
    ['phase', 'polls', 'p50 late ms', 'p99 late ms', 'max late ms', 'bridge'],
    rows,
  )}\n`,
);
const [, up, away] = phases as [(typeof phases)[0], (typeof phases)[0], (typeof phases)[0]];
const p99Up = quantile(up.lateness, 0.99);
const p99Down = quantile(away.lateness, 0.99);
const ratio = p99Down / Math.max(p99Up, 1);
const summary: SummaryRow[] = [
  infoRow(BENCH, 'poll lateness p99, broker up', p99Up, 'ms'),
  {
    bench: BENCH,
    metric: 'poll lateness p99, broker down',
    value: p99Down,
    unit: 'ms',
    anchor: 'broker up',
    ratio,
    target: '<= 1.5 x broker up',
    pass: ratio <= 1.5,
  },
  infoRow(BENCH, 'polls per phase (broker down)', away.lateness.length, 'polls'),
];
printSummary(summary);
