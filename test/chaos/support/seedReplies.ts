/**
 * Real answers to mutate: collected once from the simulator (which plays the devices from their
 * API references, not from our drivers), so the fuzz starts from every release's true shape.
 */
import { connect } from 'node:net';
import {
  AXEOS_RELEASES,
  type CgminerVariant,
  startAxeosDevice,
  startCgminerDevice,
  startNerdQaxeDevice,
} from '../../../src/simulator/index.js';

export interface HttpSeed {
  readonly label: string;
  readonly kind: 'axeos' | 'nerdqaxe';
  readonly body: Record<string, unknown>;
}

export interface CgminerSeed {
  readonly label: string;
  readonly command: string;
  /** The reply without its trailing NUL. */
  readonly text: string;
}

const CLOCK = { now: () => 1_750_000_000_000 };

async function fetchJson(url: string): Promise<Record<string, unknown>> {
  const response = await fetch(url);
  return (await response.json()) as Record<string, unknown>;
}

/** One /api/system/info per AxeOS release, plus NerdQAxe. */
export async function collectHttpSeeds(): Promise<HttpSeed[]> {
  const seeds: HttpSeed[] = [];
  for (const firmware of AXEOS_RELEASES) {
    await using device = await startAxeosDevice({
      firmware,
      clock: CLOCK,
      seed: 3,
      firstJobDelayMs: 0,
      initialUptimeSeconds: 600,
    });
    const body = await fetchJson(`http://${device.host}:${device.port}/api/system/info`);
    seeds.push({ label: `axeos ${firmware}`, kind: 'axeos', body });
  }
  await using nerd = await startNerdQaxeDevice({
    clock: CLOCK,
    seed: 5,
    firstJobDelayMs: 0,
    initialUptimeSeconds: 600,
  });
  seeds.push({
    label: 'nerdqaxe',
    kind: 'nerdqaxe',
    body: await fetchJson(`http://${nerd.host}:${nerd.port}/api/system/info`),
  });
  return seeds;
}

export function tcpAsk(host: string, port: number, request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    const chunks: Buffer[] = [];
    socket.on('connect', () => socket.write(request));
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

function stripNuls(text: string): string {
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 0) end -= 1;
  return text.slice(0, end);
}

export const CGMINER_COMMANDS = [
  'summary',
  'pools',
  'devs',
  'stats',
  'estats',
  'version',
  'coin',
  // What CgminerDriver.readSample asks in one request.
  'summary+pools+devs+estats+coin+version',
] as const;

/** Every report command of every cgminer variant, in JSON mode. */
export async function collectCgminerSeeds(): Promise<CgminerSeed[]> {
  const seeds: CgminerSeed[] = [];
  const variants: CgminerVariant[] = ['cgminer', 'ghs', 'avalon'];
  for (const variant of variants) {
    await using device = await startCgminerDevice({
      variant,
      clock: CLOCK,
      seed: 7,
      initialUptimeSeconds: 600,
    });
    for (const command of CGMINER_COMMANDS) {
      const reply = await tcpAsk(device.host, device.port, JSON.stringify({ command }));
      seeds.push({ label: `${variant} ${command}`, command, text: stripNuls(reply) });
    }
  }
  return seeds;
}
