/**
 * The soak's fleet, in a process of its own so its CPU is not the app's:
 * `tsx fleetProcess.ts <options json>`. Prints `ready <devices json>`, then `outage start` and
 * `outage end` as the outage group goes down and comes back, and `requests <n>` every few
 * seconds. Stops on SIGTERM.
 */
import { type Fleet, startFleet } from '../../../src/simulator/index.js';
import { assignRoles, type DeviceRole, flakyPlan, outagePlan } from './plan.js';

export interface FleetProcessOptions {
  readonly count: number;
  readonly faultyRatio: number;
  readonly seed: number;
  /** ms after ready. */
  readonly outageFromMs: number;
  readonly outageToMs: number;
}

export interface FleetDevice extends DeviceRole {
  readonly id: string;
  readonly kind: string;
  readonly host: string;
  readonly port: number;
}

const options = JSON.parse(process.argv[2] ?? '{}') as FleetProcessOptions;
const hosts = Array.from({ length: Math.ceil(options.count / 1000) }, (_, i) => `127.0.0.${i + 1}`);
const fleet: Fleet = await startFleet({
  count: options.count,
  kind: 'mixed',
  firmware: 'mixed',
  seed: options.seed,
  host: hosts,
});
const roles = assignRoles(
  fleet.devices.map((d) => d.kind),
  options.faultyRatio,
);
fleet.devices.forEach((device, i) => {
  const role = roles[i] as DeviceRole;
  if (role.group === 'flaky' && role.fault !== null && role.fault !== 'offline')
    device.setFaults(flakyPlan(role.fault));
});
const devices: FleetDevice[] = fleet.devices.map((d, i) => ({
  id: d.id,
  kind: d.kind,
  host: d.host,
  port: d.port,
  ...(roles[i] as DeviceRole),
}));
process.stdout.write(`ready ${JSON.stringify(devices)}\n`);

const outage = fleet.devices.filter((_, i) => roles[i]?.group === 'outage');
setTimeout(() => {
  outage.forEach((device) => {
    device.setFaults(outagePlan(roles[fleet.devices.indexOf(device)]?.fault ?? 'offline'));
  });
  process.stdout.write('outage start\n');
}, options.outageFromMs);
setTimeout(() => {
  for (const device of outage) device.setFaults(null);
  process.stdout.write('outage end\n');
}, options.outageToMs);
setInterval(() => {
  const requests = fleet.devices.reduce((sum, d) => sum + d.requestCount, 0);
  process.stdout.write(`requests ${requests}\n`);
}, 5_000);

const stop = async (): Promise<void> => {
  await fleet.close();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
