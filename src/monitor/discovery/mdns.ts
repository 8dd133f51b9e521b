/**
 * mDNS browsing for AxeOS devices (v2.15+ announce `_http._tcp` with subtype `_axeos`). A one-shot
 * "legacy unicast" query from an ephemeral port: responders answer straight to it (RFC 6762
 * section 6.7), so port 5353 need not be free. Optional and off by default; any failure
 * (no multicast route, no permission) yields an empty list, never an exception.
 */
import { createSocket } from 'node:dgram';
import {
  type DnsRecord,
  decodeResponse,
  encodeQuery,
  resolveServices,
  type ServiceInstance,
  TYPE_PTR,
} from './dnsPacket.js';

export const AXEOS_SERVICE = '_axeos._sub._http._tcp.local';
const MDNS_ADDRESS = '224.0.0.251';
const MDNS_PORT = 5353;

export interface BrowseOptions {
  /** How long to listen for answers. @default 2000 */
  readonly durationMs?: number;
  readonly service?: string;
  readonly signal?: AbortSignal;
  /** Where to send the query (tests point it at a local responder). */
  readonly address?: string;
  readonly port?: number;
}

export function browseMdns(options: BrowseOptions = {}): Promise<ServiceInstance[]> {
  const service = options.service ?? AXEOS_SERVICE;
  const records: DnsRecord[] = [];
  return new Promise((resolve) => {
    let done = false;
    let timer: NodeJS.Timeout | undefined;
    const socket = createSocket({ type: 'udp4', reuseAddr: true });
    const finish = (): void => {
      if (done) return;
      done = true;
      if (timer !== undefined) clearTimeout(timer);
      options.signal?.removeEventListener('abort', finish);
      try {
        socket.close();
      } catch {
        // Already closed after an error: nothing left to release.
      }
      resolve(resolveServices(records, service));
    };
    if (options.signal?.aborted) {
      done = true;
      resolve([]);
      return;
    }
    options.signal?.addEventListener('abort', finish, { once: true });
    socket.on('error', finish);
    socket.on('message', (message) => {
      try {
        records.push(...decodeResponse(message));
      } catch {
        // A malformed packet from some other responder on the LAN is not our failure.
      }
    });
    socket.bind(0, () => {
      try {
        socket.setMulticastTTL(255);
      } catch {
        // Without multicast options the query may still go out on the default route.
      }
      socket.send(
        encodeQuery(service, TYPE_PTR),
        options.port ?? MDNS_PORT,
        options.address ?? MDNS_ADDRESS,
        (error) => {
          if (error) finish();
        },
      );
      timer = setTimeout(finish, options.durationMs ?? 2000);
    });
  });
}
