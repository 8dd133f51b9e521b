/** Pool addresses as the API writes them (`stratum+tcp://host:port`) and as devices keep them. */

export interface PoolAddress {
  /** `stratum+tcp`, `stratum+ssl`, `stratum2+tcp` ... */
  readonly scheme: string;
  readonly host: string;
  readonly port: number;
}

const POOL_URL = /^([a-z][a-z0-9+.-]*):\/\/([^\s/:?#]+|\[[0-9a-f:.]+\]):(\d{1,5})\/?$/i;

/** Parses `scheme://host:port`; null when it is not one (no port, a path, spaces...). */
export function parsePoolUrl(url: string): PoolAddress | null {
  const match = POOL_URL.exec(url.trim());
  if (match === null) return null;
  const port = Number(match[3]);
  if (!(port >= 1 && port <= 65535)) return null;
  return { scheme: (match[1] as string).toLowerCase(), host: match[2] as string, port };
}

export function formatPoolUrl(address: PoolAddress): string {
  return `${address.scheme}://${address.host}:${address.port}`;
}

/**
 * An ESP-Miner pool as a URL: the firmware keeps the host alone in `stratumURL` (some users type
 * a scheme in it) and the port apart.
 */
export function espMinerPoolUrl(stratumUrl: string, port: number, tls: boolean): string {
  const given = /^([a-z][a-z0-9+.-]*):\/\/(.*)$/i.exec(stratumUrl.trim());
  const scheme = given?.[1]?.toLowerCase() ?? (tls ? 'stratum+ssl' : 'stratum+tcp');
  const host = (given?.[2] ?? stratumUrl.trim()).replace(/:\d+\/?$/, '').replace(/\/$/, '');
  return `${scheme}://${host}:${port}`;
}

/** The same pool written two ways compares equal (case of scheme and host, a trailing slash). */
export function samePoolUrl(a: string, b: string): boolean {
  const pa = parsePoolUrl(a);
  const pb = parsePoolUrl(b);
  if (pa === null || pb === null) return a.trim() === b.trim();
  return pa.scheme === pb.scheme && pa.host.toLowerCase() === pb.host.toLowerCase() && pa.port === pb.port;
}
