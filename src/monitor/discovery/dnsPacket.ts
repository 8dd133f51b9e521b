/**
 * The DNS wire format of an mDNS PTR browse, through `dns-packet` (the codec `multicast-dns`
 * and bonjour use): one query out, PTR/SRV/TXT/A back, joined into services.
 */
import { type Answer, decode, encode, type RecordType } from 'dns-packet';

export const TYPE_A = 1;
export const TYPE_PTR = 12;
export const TYPE_TXT = 16;
export const TYPE_SRV = 33;

const TYPE_NAMES: Readonly<Record<number, RecordType>> = {
  [TYPE_A]: 'A',
  [TYPE_PTR]: 'PTR',
  [TYPE_TXT]: 'TXT',
  [TYPE_SRV]: 'SRV',
};

export type DnsRecord =
  | { readonly type: 'PTR'; readonly name: string; readonly target: string }
  | { readonly type: 'SRV'; readonly name: string; readonly port: number; readonly target: string }
  | { readonly type: 'A'; readonly name: string; readonly address: string }
  | { readonly type: 'TXT'; readonly name: string; readonly entries: Readonly<Record<string, string>> };

/** A standard query for `name` of `type` (class IN). */
export function encodeQuery(name: string, type: number): Buffer {
  const typeName = TYPE_NAMES[type];
  if (typeName === undefined) throw new RangeError(`unsupported DNS record type ${type}`);
  return encode({ type: 'query', id: 0, flags: 0, questions: [{ type: typeName, name, class: 'IN' }] });
}

/** `key=value` strings of a TXT record (RFC 6763 section 6); a bare key means an empty value. */
function txtEntries(data: unknown): Record<string, string> {
  const entries: Record<string, string> = {};
  const chunks = Array.isArray(data) ? data : [data];
  for (const chunk of chunks) {
    const text = Buffer.isBuffer(chunk) ? chunk.toString('utf8') : String(chunk ?? '');
    if (text === '') continue;
    const eq = text.indexOf('=');
    entries[eq === -1 ? text : text.slice(0, eq)] = eq === -1 ? '' : text.slice(eq + 1);
  }
  return entries;
}

function toRecord(answer: Answer): DnsRecord | null {
  switch (answer.type) {
    case 'PTR':
      return { type: 'PTR', name: answer.name, target: answer.data };
    case 'SRV':
      return { type: 'SRV', name: answer.name, port: answer.data.port, target: answer.data.target };
    case 'A':
      return { type: 'A', name: answer.name, address: answer.data };
    case 'TXT':
      return { type: 'TXT', name: answer.name, entries: txtEntries(answer.data) };
    default:
      return null;
  }
}

/** Parses answers and additional records; throws RangeError on a malformed packet. */
export function decodeResponse(buf: Buffer): DnsRecord[] {
  let packet: ReturnType<typeof decode>;
  try {
    packet = decode(buf);
  } catch (error) {
    throw new RangeError(`malformed DNS packet: ${(error as Error).message}`, { cause: error });
  }
  const all = [...(packet.answers ?? []), ...(packet.authorities ?? []), ...(packet.additionals ?? [])];
  return all.map(toRecord).filter((r): r is DnsRecord => r !== null);
}

export interface ServiceInstance {
  readonly instance: string;
  readonly host: string;
  readonly port: number;
  readonly txt: Readonly<Record<string, string>>;
}

/** Joins PTR -> SRV -> A (and TXT) into services; instances without an SRV are skipped. */
export function resolveServices(records: readonly DnsRecord[], service: string): ServiceInstance[] {
  const lower = (s: string): string => s.toLowerCase();
  const byName = <T extends DnsRecord['type']>(type: T, name: string) =>
    records.find((r) => r.type === type && lower(r.name) === lower(name)) as
      | Extract<DnsRecord, { type: T }>
      | undefined;
  const instances = new Set(
    records
      .filter((r) => r.type === 'PTR' && lower(r.name) === lower(service))
      .map((r) => (r as { target: string }).target),
  );
  const out: ServiceInstance[] = [];
  for (const instance of instances) {
    const srv = byName('SRV', instance);
    if (srv === undefined) continue;
    const a = byName('A', srv.target);
    out.push({
      instance,
      host: a?.address ?? srv.target,
      port: srv.port,
      txt: byName('TXT', instance)?.entries ?? {},
    });
  }
  return out;
}
