/** Miner ids by address and by MAC, so duplicate checks stay O(1) in a fleet of thousands. */
import type { MinerRecord } from '../storage/Storage.js';
import { addressKey } from './MinerEntry.js';

export class MinerIndex {
  readonly #byAddress = new Map<string, string>();
  readonly #byMac = new Map<string, string>();

  /** Indexes `record`, first dropping what `previous` (its old version) had there. */
  set(record: MinerRecord, previous: MinerRecord | null = null): void {
    if (previous !== null) this.delete(previous);
    this.#byAddress.set(addressKey(record.host, record.port), record.id);
    if (record.mac !== null) this.#byMac.set(record.mac.toUpperCase(), record.id);
  }

  delete(record: MinerRecord): void {
    const key = addressKey(record.host, record.port);
    if (this.#byAddress.get(key) === record.id) this.#byAddress.delete(key);
    const mac = record.mac?.toUpperCase();
    if (mac !== undefined && this.#byMac.get(mac) === record.id) this.#byMac.delete(mac);
  }

  idByAddress(host: string, port: number): string | undefined {
    return this.#byAddress.get(addressKey(host, port));
  }

  idByMac(mac: string): string | undefined {
    return this.#byMac.get(mac.toUpperCase());
  }
}
