import { createSocket } from 'node:dgram';
import { decode, encode } from 'dns-packet';
import { describe, expect, it } from 'vitest';
import { FakeDriver, FakeRegistry, makeSample, NotAMinerError } from '../testing/FakeDriver.js';
import { discoverHosts } from './discover.js';
import { decodeResponse, encodeQuery, resolveServices, TYPE_PTR } from './dnsPacket.js';
import { AXEOS_SERVICE, browseMdns } from './mdns.js';
import { formatIpv4, parseIpv4, parseScanTarget } from './parseTarget.js';

describe('parseScanTarget', () => {
  it('expands CIDR blocks without network and broadcast addresses', () => {
    const { hosts } = parseScanTarget('192.168.1.0/30');
    expect(hosts).toEqual(['192.168.1.1', '192.168.1.2']);
    expect(parseScanTarget('10.0.0.7/32').hosts).toEqual(['10.0.0.7']);
    expect(parseScanTarget('10.0.0.0/24').hosts).toHaveLength(254);
    expect(parseScanTarget('10.1.2.3/16').hosts[0]).toBe('10.1.0.1');
  });

  it('expands last-octet and full ranges', () => {
    expect(parseScanTarget('192.168.1.10-12').hosts).toEqual([
      '192.168.1.10',
      '192.168.1.11',
      '192.168.1.12',
    ]);
    expect(parseScanTarget('10.0.0.254-10.0.1.1').hosts).toEqual([
      '10.0.0.254',
      '10.0.0.255',
      '10.0.1.0',
      '10.0.1.1',
    ]);
  });

  it('accepts a single address or host name', () => {
    expect(parseScanTarget(' 10.0.0.5 ').hosts).toEqual(['10.0.0.5']);
    expect(parseScanTarget('bitaxe.local').hosts).toEqual(['bitaxe.local']);
  });

  it('refuses anything larger than a /16 and nonsense, saying why', () => {
    expect(() => parseScanTarget('10.0.0.0/15')).toThrow(/limited to a \/16/);
    expect(() => parseScanTarget('10.0.0.0-10.2.0.0')).toThrow(/limited to a \/16/);
    expect(() => parseScanTarget('10.0.0.9-3')).toThrow(/ends before/);
    expect(() => parseScanTarget('10.0.0.0/33')).toThrow(/Invalid CIDR/);
    expect(() => parseScanTarget('300.1.1.1')).toThrow(/Invalid scan target/);
    expect(() => parseScanTarget('')).toThrow(/Expected a scan target/);
  });

  it('round-trips addresses', () => {
    expect(formatIpv4(parseIpv4('172.16.254.3') as number)).toBe('172.16.254.3');
    expect(parseIpv4('1.2.3')).toBeNull();
  });
});

describe('discoverHosts', () => {
  it('returns only what answered as a miner, with known ids by MAC, and reports progress', async () => {
    const driver = new FakeDriver('axeos', 80);
    driver.on('10.0.0.2', () => makeSample({ mac: 'AA:00:00:00:00:02', hostname: 'two' }));
    driver.on('10.0.0.3', () => {
      throw new NotAMinerError('a printer');
    });
    driver.on('10.0.0.4', () => makeSample({ mac: 'AA:00:00:00:00:04' }));
    const progress: number[] = [];
    const found = await discoverHosts(parseScanTarget('10.0.0.1-5').hosts, {
      drivers: new FakeRegistry(driver),
      concurrency: 2,
      onProgress: (p) => progress.push(p.scanned),
      knownMinerId: (mac) => (mac === 'AA:00:00:00:00:04' ? 'known-4' : null),
    });
    expect(found.map((m) => [m.host, m.port, m.hostname, m.knownMinerId])).toEqual([
      ['10.0.0.2', 80, 'two', null],
      ['10.0.0.4', 80, 'bitaxe', 'known-4'],
    ]);
    expect(progress).toEqual([1, 2, 3, 4, 5]);
    expect(driver.calls.every((c) => c.options?.maxAttempts === 1)).toBe(true);
  });

  it('never runs more probes at once than allowed', async () => {
    const driver = new FakeDriver('axeos', 80);
    let running = 0;
    let peak = 0;
    for (let i = 1; i <= 20; i += 1) {
      driver.on(`10.0.0.${i}`, async () => {
        running += 1;
        peak = Math.max(peak, running);
        await new Promise((resolve) => setImmediate(resolve));
        running -= 1;
        throw new Error('nothing');
      });
    }
    await discoverHosts(parseScanTarget('10.0.0.1-20').hosts, {
      drivers: new FakeRegistry(driver),
      concurrency: 3,
    });
    expect(peak).toBe(3);
  });
});

function answer(): Buffer {
  // A hand-built mDNS answer: PTR -> instance, SRV -> host:port, A -> address, TXT board.
  const name = (text: string) =>
    Buffer.concat([
      ...text.split('.').map((l) => Buffer.concat([Buffer.from([l.length]), Buffer.from(l)])),
      Buffer.from([0]),
    ]);
  const record = (owner: Buffer, type: number, data: Buffer) => {
    const head = Buffer.alloc(10);
    head.writeUInt16BE(type, 0);
    head.writeUInt16BE(1, 2);
    head.writeUInt32BE(120, 4);
    head.writeUInt16BE(data.length, 8);
    return Buffer.concat([owner, head, data]);
  };
  const header = Buffer.alloc(12);
  header.writeUInt16BE(0x8400, 2);
  header.writeUInt16BE(1, 6);
  header.writeUInt16BE(3, 10);
  const srvData = Buffer.concat([Buffer.from([0, 0, 0, 0, 0x1f, 0x90]), name('gamma.local')]);
  const txt = Buffer.concat([Buffer.from([11]), Buffer.from('board=601.0')]);
  return Buffer.concat([
    header,
    record(name(AXEOS_SERVICE), TYPE_PTR, name('gamma._http._tcp.local')),
    record(name('gamma._http._tcp.local'), 33, srvData),
    record(name('gamma.local'), 1, Buffer.from([192, 168, 1, 50])),
    record(name('gamma._http._tcp.local'), 16, txt),
  ]);
}

describe('mDNS', () => {
  it('encodes a PTR query and decodes PTR/SRV/A/TXT answers into services', () => {
    const query = encodeQuery(AXEOS_SERVICE, TYPE_PTR);
    expect(query.readUInt16BE(4)).toBe(1);
    const services = resolveServices(decodeResponse(answer()), AXEOS_SERVICE);
    expect(services).toEqual([
      { instance: 'gamma._http._tcp.local', host: '192.168.1.50', port: 8080, txt: { board: '601.0' } },
    ]);
  });

  it('asks one PTR question a DNS library reads back, and keeps every TXT string', () => {
    const query = decode(encodeQuery(AXEOS_SERVICE, TYPE_PTR));
    expect(query.questions).toEqual([{ name: AXEOS_SERVICE, type: 'PTR', class: 'IN' }]);
    const txt = encode({
      type: 'response',
      answers: [
        { type: 'TXT', name: 'gamma._http._tcp.local', data: ['board=601.0', 'asic=BM1370', 'flag'] },
      ],
    });
    expect(decodeResponse(txt)).toEqual([
      {
        type: 'TXT',
        name: 'gamma._http._tcp.local',
        entries: { board: '601.0', asic: 'BM1370', flag: '' },
      },
    ]);
  });

  it('throws on malformed packets instead of reading past them', () => {
    expect(() => decodeResponse(Buffer.from([1, 2, 3]))).toThrow(RangeError);
    expect(() => decodeResponse(answer().subarray(0, 40))).toThrow(RangeError);
  });

  it('browses a local responder and returns nothing (no throw) when nobody answers', async () => {
    const responder = createSocket('udp4');
    responder.on('message', (_msg, from) => responder.send(answer(), from.port, from.address));
    await new Promise<void>((resolve) => responder.bind(0, '127.0.0.1', resolve));
    const port = responder.address().port;
    // Long enough for a loaded CI machine to answer over loopback (200 ms was not).
    const found = await browseMdns({ address: '127.0.0.1', port, durationMs: 1000 });
    expect(found.map((s) => `${s.host}:${s.port}`)).toEqual(['192.168.1.50:8080']);
    responder.close();
    const silent = await browseMdns({ address: '127.0.0.1', port, durationMs: 50 });
    expect(silent).toEqual([]);
    const aborted = new AbortController();
    aborted.abort();
    expect(await browseMdns({ signal: aborted.signal })).toEqual([]);
  });
});
