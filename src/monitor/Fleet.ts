/**
 * The miners the monitor holds: their entries by id, and the address and MAC indexes that keep
 * duplicate checks O(1) in a fleet of thousands. Every change of a record's address or MAC goes
 * through `setRecord`, so the indexes cannot drift from the entries.
 */
import type { MinerKind } from '../miners/MinerSample.js';
import type { MinerRecord } from '../storage/Storage.js';
import { MonitorError } from './errors.js';
import type { MinerEntry } from './MinerEntry.js';
import { MinerIndex } from './MinerIndex.js';

export class Fleet {
  readonly #entries = new Map<string, MinerEntry>();
  readonly #index = new MinerIndex();

  get size(): number {
    return this.#entries.size;
  }

  values(): IterableIterator<MinerEntry> {
    return this.#entries.values();
  }

  get(id: string): MinerEntry | undefined {
    return this.#entries.get(id);
  }

  /** The entry, or MINER_NOT_FOUND. */
  require(id: string): MinerEntry {
    const entry = this.#entries.get(id);
    if (entry === undefined) {
      throw new MonitorError('MINER_NOT_FOUND', `No miner with id ${JSON.stringify(id)}`, { minerId: id });
    }
    return entry;
  }

  /** False once the miner was removed (or replaced) since `entry` was read. */
  isCurrent(entry: MinerEntry): boolean {
    return this.#entries.get(entry.record.id) === entry;
  }

  add(entry: MinerEntry): void {
    this.#entries.set(entry.record.id, entry);
    this.#index.set(entry.record);
  }

  remove(id: string): MinerEntry | undefined {
    const entry = this.#entries.get(id);
    if (entry === undefined) return undefined;
    this.#entries.delete(id);
    this.#index.delete(entry.record);
    return entry;
  }

  /** Replaces an entry's record, moving its place in the indexes. */
  setRecord(entry: MinerEntry, record: MinerRecord): void {
    const previous = entry.record;
    entry.record = record;
    if (this.isCurrent(entry)) this.#index.set(record, previous);
  }

  findByAddress(host: string, port: number): MinerEntry | undefined {
    const id = this.#index.idByAddress(host, port);
    return id === undefined ? undefined : this.#entries.get(id);
  }

  /** Identity is the MAC within a kind: another kind sharing a MAC is another miner. */
  findByMac(mac: string, kind: MinerKind): MinerEntry | undefined {
    const id = this.#index.idByMac(mac, kind);
    return id === undefined ? undefined : this.#entries.get(id);
  }
}
