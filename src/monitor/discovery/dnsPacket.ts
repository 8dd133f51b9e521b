/** Just enough DNS wire format for an mDNS PTR browse: one query out, PTR/SRV/TXT/A back. */

export const TYPE_A = 1;
export const TYPE_PTR = 12;
export const TYPE_TXT = 16;
export const TYPE_SRV = 33;

export type DnsRecord =
  | { readonly type: 'PTR'; readonly name: string; readonly target: string }
  | { readonly type: 'SRV'; readonly name: string; readonly port: number; readonly target: string }
  | { readonly type: 'A'; readonly name: string; readonly address: string }
  | { readonly type: 'TXT'; readonly name: string; readonly entries: Readonly<Record<string, string>> };

function encodeName(name: string): Buffer {
  const parts = name.split('.').filter((label) => label !== '');
  const chunks: Buffer[] = [];
  for (const label of parts) {
    const bytes = Buffer.from(label, 'utf8');
    if (bytes.length > 63) throw new RangeError(`DNS label too long: ${label}`);
    chunks.push(Buffer.from([bytes.length]), bytes);
  }
  chunks.push(Buffer.from([0]));
  return Buffer.concat(chunks);
}

/** A standard query for `name` of `type` (class IN). */
export function encodeQuery(name: string, type: number): Buffer {
  const header = Buffer.alloc(12);
  header.writeUInt16BE(1, 4); // one question
  const tail = Buffer.alloc(4);
  tail.writeUInt16BE(type, 0);
  tail.writeUInt16BE(1, 2);
  return Buffer.concat([header, encodeName(name), tail]);
}

/** Reads a possibly compressed name at `offset`; returns it and the offset after it. */
function readName(buf: Buffer, start: number): { name: string; next: number } {
  const labels: string[] = [];
  let offset = start;
  let next = -1;
  for (let jumps = 0; jumps < 32; ) {
    if (offset >= buf.length) throw new RangeError('DNS name runs past the packet');
    const length = buf[offset] as number;
    if (length === 0) {
      if (next === -1) next = offset + 1;
      return { name: labels.join('.'), next };
    }
    if ((length & 0xc0) === 0xc0) {
      if (offset + 1 >= buf.length) throw new RangeError('DNS pointer runs past the packet');
      if (next === -1) next = offset + 2;
      offset = ((length & 0x3f) << 8) | (buf[offset + 1] as number);
      jumps += 1;
      continue;
    }
    labels.push(buf.toString('utf8', offset + 1, offset + 1 + length));
    offset += 1 + length;
  }
  throw new RangeError('DNS name has too many compression pointers');
}

function readTxt(buf: Buffer, start: number, end: number): Record<string, string> {
  const entries: Record<string, string> = {};
  let offset = start;
  while (offset < end) {
    const length = buf[offset] as number;
    const text = buf.toString('utf8', offset + 1, Math.min(end, offset + 1 + length));
    const eq = text.indexOf('=');
    if (text !== '') entries[eq === -1 ? text : text.slice(0, eq)] = eq === -1 ? '' : text.slice(eq + 1);
    offset += 1 + length;
  }
  return entries;
}

/** Parses answers and additional records; throws RangeError on a malformed packet. */
export function decodeResponse(buf: Buffer): DnsRecord[] {
  if (buf.length < 12) throw new RangeError('DNS packet shorter than its header');
  const questions = buf.readUInt16BE(4);
  const records = buf.readUInt16BE(6) + buf.readUInt16BE(8) + buf.readUInt16BE(10);
  let offset = 12;
  for (let i = 0; i < questions; i += 1) offset = readName(buf, offset).next + 4;
  const out: DnsRecord[] = [];
  for (let i = 0; i < records; i += 1) {
    const { name, next } = readName(buf, offset);
    if (next + 10 > buf.length) throw new RangeError('DNS record header runs past the packet');
    const type = buf.readUInt16BE(next);
    const length = buf.readUInt16BE(next + 8);
    const data = next + 10;
    if (data + length > buf.length) throw new RangeError('DNS record data runs past the packet');
    if (type === TYPE_PTR) out.push({ type: 'PTR', name, target: readName(buf, data).name });
    else if (type === TYPE_SRV && length >= 7) {
      out.push({ type: 'SRV', name, port: buf.readUInt16BE(data + 4), target: readName(buf, data + 6).name });
    } else if (type === TYPE_A && length === 4) {
      out.push({ type: 'A', name, address: [...buf.subarray(data, data + 4)].join('.') });
    } else if (type === TYPE_TXT) out.push({ type: 'TXT', name, entries: readTxt(buf, data, data + length) });
    offset = data + length;
  }
  return out;
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
