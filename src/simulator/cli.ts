import { pathToFileURL } from 'node:url';
import type { CommonFault, FaultPlan } from './faults.js';
import { type Fleet, type FleetKind, startFleet } from './fleet.js';

export interface RunSimulatorOptions {
  /** @default 10 */
  count?: number;
  /** @default 'mixed' */
  kind?: FleetKind;
  /** AxeOS release, or 'mixed' for all of them in turn. @default '2.15' */
  firmware?: string;
  /** Probability per request of some fault, spread evenly over the common fault kinds. @default 0 */
  faultRate?: number;
  /** One address or a comma-separated list. @default '127.0.0.1' */
  host?: string;
  /** First port, 0 for free ports. @default 0 */
  basePort?: number;
  /** @default 1 */
  seed?: number;
  /** How long each HTTP device takes to answer, in ms (a real one on Wi-Fi: tens to hundreds). @default 0 */
  latencyMs?: number;
  /** The Basic login AxeOS and NerdQAxe devices ask for. @default none */
  auth?: { username: string; password: string };
  /** Where the table of addresses goes. @default process.stdout */
  write?: (text: string) => void;
  /** Stops the simulator when aborted; SIGINT and SIGTERM do too. */
  signal?: AbortSignal;
  /** Called once the fleet listens, before waiting for the stop signal. */
  onReady?: (fleet: Fleet) => void;
}

const RATE_FAULTS: readonly CommonFault[] = [
  'refuse',
  'reset',
  'hang',
  'slow',
  'http500',
  'http503',
  'malformed',
  'oversized',
  'wrongTypes',
];

const FLAGS: Readonly<Record<string, keyof RunSimulatorOptions>> = {
  '--count': 'count',
  '--kind': 'kind',
  '--firmware': 'firmware',
  '--fault-rate': 'faultRate',
  '--host': 'host',
  '--port': 'basePort',
  '--base-port': 'basePort',
  '--seed': 'seed',
  '--latency-ms': 'latencyMs',
};

/** Reads `--count 10 --kind mixed ...` (also `--count=10`). */
export function parseSimulatorArgs(argv: readonly string[]): RunSimulatorOptions {
  const out: Record<string, string | number> = {};
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] ?? '';
    const [flag = '', inline] = arg.split('=', 2);
    const key = FLAGS[flag];
    if (!key)
      throw new RangeError(
        `Unknown simulator option ${JSON.stringify(arg)}; known: ${Object.keys(FLAGS).join(', ')}`,
      );
    const value = inline ?? argv[++i];
    if (value === undefined) throw new RangeError(`Option ${flag} needs a value`);
    const numeric =
      key === 'count' || key === 'faultRate' || key === 'basePort' || key === 'seed' || key === 'latencyMs';
    if (numeric && !Number.isFinite(Number(value)))
      throw new RangeError(`Option ${flag} expects a number, got ${JSON.stringify(value)}`);
    out[key] = numeric ? Number(value) : value;
  }
  return out as RunSimulatorOptions;
}

function table(fleet: Fleet): string {
  const rows = fleet.devices.map((d) => [d.id, d.kind, `${d.host}:${d.port}`, d.firmware, d.hostname, d.mac]);
  const head = ['id', 'kind', 'address', 'firmware', 'hostname', 'mac'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return `${[line(head), ...rows.map(line)].join('\n')}\n`;
}

/**
 * Runs a fleet until SIGINT/SIGTERM (or `signal`), printing where each device listens, then
 * closes it. Resolves once everything is closed.
 */
export async function runSimulator(input: RunSimulatorOptions | readonly string[] = {}): Promise<void> {
  const options = Array.isArray(input) ? parseSimulatorArgs(input) : (input as RunSimulatorOptions);
  const rate = options.faultRate ?? 0;
  if (!(rate >= 0 && rate <= 1)) throw new RangeError(`Expected \`faultRate\` in [0, 1], got ${rate}`);
  const faults: FaultPlan | null =
    rate > 0 ? { rates: Object.fromEntries(RATE_FAULTS.map((f) => [f, rate / RATE_FAULTS.length])) } : null;
  const write = options.write ?? ((text: string) => void process.stdout.write(text));
  const fleet = await startFleet({
    count: options.count ?? 10,
    kind: options.kind ?? 'mixed',
    host: (options.host ?? '127.0.0.1').split(',').map((h) => h.trim()),
    basePort: options.basePort ?? 0,
    seed: options.seed ?? 1,
    faults,
    ...(options.firmware ? { firmware: options.firmware } : {}),
    ...(options.latencyMs ? { responseDelayMs: options.latencyMs } : {}),
    ...(options.auth ? { auth: options.auth } : {}),
  });
  write(table(fleet));
  options.onReady?.(fleet);
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      options.signal?.removeEventListener('abort', stop);
      resolve();
    };
    if (options.signal?.aborted) return stop();
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    options.signal?.addEventListener('abort', stop, { once: true });
  });
  await fleet.close();
}

const entry = process.argv[1];
if (entry && import.meta.url === pathToFileURL(entry).href) {
  runSimulator(process.argv.slice(2)).catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
