/**
 * What a user may ask discovery to scan: a CIDR block (`192.168.1.0/24`), a last-octet range
 * (`192.168.1.10-50`), a full range (`192.168.1.10-192.168.2.20`) or one host (address or
 * name). Anything larger than a /16 (65,536 addresses) is refused: that is not a LAN scan.
 */
export const MAX_SCAN_ADDRESSES = 65_536;

export class DiscoveryTargetError extends RangeError {
  override readonly name = 'DiscoveryTargetError';
}

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
const HOSTNAME =
  /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/i;

export function parseIpv4(text: string): number | null {
  const match = IPV4.exec(text.trim());
  if (match === null) return null;
  let value = 0;
  for (let i = 1; i <= 4; i += 1) {
    const octet = Number(match[i]);
    if (octet > 255) return null;
    value = value * 256 + octet;
  }
  return value;
}

export function formatIpv4(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}

export interface ScanTarget {
  /** Hosts to probe, in order. */
  readonly hosts: readonly string[];
}

function range(first: number, last: number, text: string): string[] {
  if (last < first) throw new DiscoveryTargetError(`Range ${JSON.stringify(text)} ends before it starts`);
  const count = last - first + 1;
  if (count > MAX_SCAN_ADDRESSES) {
    throw new DiscoveryTargetError(
      `Range ${JSON.stringify(text)} has ${count} addresses; scans are limited to a /16 (${MAX_SCAN_ADDRESSES} addresses)`,
    );
  }
  const hosts: string[] = [];
  for (let value = first; value <= last; value += 1) hosts.push(formatIpv4(value));
  return hosts;
}

/** Parses a scan target; throws DiscoveryTargetError naming what is wrong. */
export function parseScanTarget(input: string): ScanTarget {
  if (typeof input !== 'string' || input.trim() === '') {
    throw new DiscoveryTargetError(
      'Expected a scan target such as 192.168.1.0/24, 192.168.1.10-50 or a host',
    );
  }
  const text = input.trim();
  const slash = text.indexOf('/');
  if (slash !== -1) {
    const base = parseIpv4(text.slice(0, slash));
    const bitsText = text.slice(slash + 1);
    const bits = /^\d{1,2}$/.test(bitsText) ? Number(bitsText) : Number.NaN;
    if (base === null || !(bits >= 0 && bits <= 32)) {
      throw new DiscoveryTargetError(`Invalid CIDR block ${JSON.stringify(text)}`);
    }
    if (bits < 16) {
      throw new DiscoveryTargetError(
        `CIDR block ${JSON.stringify(text)} has ${2 ** (32 - bits)} addresses; scans are limited to a /16`,
      );
    }
    const size = 2 ** (32 - bits);
    const network = Math.floor(base / size) * size;
    // Network and broadcast addresses answer nobody in blocks that have them.
    const first = bits >= 31 ? network : network + 1;
    const last = bits >= 31 ? network + size - 1 : network + size - 2;
    return { hosts: range(first, last, text) };
  }
  const dash = text.indexOf('-');
  const start = dash === -1 ? null : parseIpv4(text.slice(0, dash));
  if (dash !== -1 && start !== null) {
    const endText = text.slice(dash + 1).trim();
    const fullEnd = parseIpv4(endText);
    if (fullEnd !== null) return { hosts: range(start, fullEnd, text) };
    if (/^\d{1,3}$/.test(endText) && Number(endText) <= 255) {
      const end = Math.floor(start / 256) * 256 + Number(endText);
      return { hosts: range(start, end, text) };
    }
    throw new DiscoveryTargetError(`Invalid address range ${JSON.stringify(text)}`);
  }
  if (parseIpv4(text) !== null || (HOSTNAME.test(text) && !/^[\d.]+$/.test(text))) return { hosts: [text] };
  throw new DiscoveryTargetError(
    `Invalid scan target ${JSON.stringify(text)}: expected a CIDR block, a range such as 192.168.1.10-50, or a host`,
  );
}
