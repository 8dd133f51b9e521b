/** Checks what callers hand the manager; every refusal names the field and the problem. */
import type { MinerKind } from '../miners/MinerSample.js';
import { MonitorError } from './errors.js';
import type { AddMinerInput, UpdateMinerInput } from './types.js';

const HOST =
  /^(?=.{1,253}$)[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9])?(?:\.[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9])?)*\.?$/i;
const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

export const MIN_INTERVAL_MS = 1000;
export const MAX_INTERVAL_MS = 86_400_000;
export const MAX_NAME_LENGTH = 64;

function invalid(message: string): never {
  throw new MonitorError('INVALID_INPUT', message);
}

export function checkHost(host: unknown): string {
  if (typeof host !== 'string' || host.trim() === '') invalid('`host` must be a non-empty string');
  const trimmed = host.trim();
  if (/^[a-z]+:\/\//i.test(trimmed))
    invalid(`\`host\` must be an address or name without a scheme, got ${JSON.stringify(trimmed)}`);
  const ipv4 = IPV4.exec(trimmed);
  if (ipv4 !== null) {
    if (ipv4.slice(1).some((octet) => Number(octet) > 255))
      invalid(`\`host\` ${JSON.stringify(trimmed)} is not a valid IPv4 address`);
    return trimmed;
  }
  if (!HOST.test(trimmed) || /^[\d.]+$/.test(trimmed)) {
    invalid(`\`host\` ${JSON.stringify(trimmed)} is not a valid IP address or host name`);
  }
  return trimmed.toLowerCase();
}

export function checkPort(port: unknown): number {
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65_535) {
    invalid(`\`port\` must be an integer from 1 to 65535, got ${JSON.stringify(port)}`);
  }
  return port;
}

export function checkName(name: unknown): string {
  if (typeof name !== 'string' || name.trim() === '') invalid('`name` must be a non-empty string');
  if (name.trim().length > MAX_NAME_LENGTH) invalid(`\`name\` must be at most ${MAX_NAME_LENGTH} characters`);
  return name.trim();
}

export function checkIntervalMs(value: unknown): number {
  if (
    typeof value !== 'number' ||
    !Number.isFinite(value) ||
    value < MIN_INTERVAL_MS ||
    value > MAX_INTERVAL_MS
  ) {
    invalid(
      `\`intervalMs\` must be a number from ${MIN_INTERVAL_MS} to ${MAX_INTERVAL_MS}, got ${JSON.stringify(value)}`,
    );
  }
  return Math.round(value);
}

export interface CheckedAddInput {
  readonly host: string;
  readonly port: number | null;
  readonly kind: MinerKind | null;
  readonly name: string | null;
  readonly verify: boolean;
}

export function checkAddInput(input: AddMinerInput, kinds: readonly MinerKind[]): CheckedAddInput {
  if (typeof input !== 'object' || input === null) invalid('Expected an object with at least `host`');
  const kind = input.kind ?? 'auto';
  if (kind !== 'auto' && !kinds.includes(kind)) {
    invalid(`\`kind\` must be one of auto, ${kinds.join(', ')}; got ${JSON.stringify(kind)}`);
  }
  if (input.verify !== undefined && typeof input.verify !== 'boolean') invalid('`verify` must be a boolean');
  const verify = input.verify ?? true;
  return {
    host: checkHost(input.host),
    port: input.port === undefined ? null : checkPort(input.port),
    kind: kind === 'auto' ? null : kind,
    name: input.name === undefined ? null : checkName(input.name),
    verify,
  };
}

export function checkUpdateInput(patch: UpdateMinerInput): UpdateMinerInput {
  if (typeof patch !== 'object' || patch === null)
    invalid('Expected an object with name, intervalMs or enabled');
  const known = new Set(['name', 'intervalMs', 'enabled']);
  for (const key of Object.keys(patch))
    if (!known.has(key)) invalid(`Unknown field \`${key}\`; expected name, intervalMs or enabled`);
  if (patch.enabled !== undefined && typeof patch.enabled !== 'boolean')
    invalid('`enabled` must be a boolean');
  return {
    ...(patch.name === undefined ? {} : { name: checkName(patch.name) }),
    ...(patch.intervalMs === undefined
      ? {}
      : { intervalMs: patch.intervalMs === null ? null : checkIntervalMs(patch.intervalMs) }),
    ...(patch.enabled === undefined ? {} : { enabled: patch.enabled }),
  };
}
