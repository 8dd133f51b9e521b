/**
 * Miner ids by address and by (kind, MAC), so duplicate checks stay O(1) in a fleet of thousands.
 * Identity is the MAC within a kind: devices of two kinds that share a MAC (cloned or zeroed) are
 * two miners, and neither is ever taken for the other.
 */
import type { MinerRecord } from '../storage/Storage.js';
import { addressKey } from './MinerEntry.js';

export class MinerIndex {
  readonly #byAddress = new Map<string, string>();
  readonly #byMac = new Map<string, string>();

  /** Indexes `record`, first dropping what `previous` (its old version) had there. */
  set(record: MinerRecord, previous: MinerRecord | null = null): void {
    if (previous !== null) this.delete(previous);
    this.#byAddress.set(addressKey(record.host, record.port), record.id);
    if (record.mac !== null) this.#byMac.set(macKey(record.kind, record.mac), record.id);
  }

  delete(record: MinerRecord): void {
    const key = addressKey(record.host, record.port);
    if (this.#byAddress.get(key) === record.id) this.#byAddress.delete(key);
    const mac = record.mac === null ? undefined : macKey(record.kind, record.mac);
    if (mac !== undefined && this.#byMac.get(mac) === record.id) this.#byMac.delete(mac);
  }

  idByAddress(host: string, port: number): string | undefined {
    return this.#byAddress.get(addressKey(host, port));
  }

  idByMac(mac: string, kind: string): string | undefined {
    return this.#byMac.get(macKey(kind, mac));
  }
}

function macKey(kind: string, mac: string): string {
  return `${kind} ${mac.toUpperCase()}`;
}
