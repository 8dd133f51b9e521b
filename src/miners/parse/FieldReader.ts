/**
 * Typed reads from a device's JSON object. A field of the wrong type is reported in `warnings`
 * and read as absent (or coerced when the intent is plain, such as "12.5" for a number), never
 * thrown on: one odd field must not cost the whole sample. Keys read are remembered so the rest
 * can be kept in the sample's `raw` part.
 */
import { copyUnread } from './copyUnread.js';
import { parseDifficulty } from './difficulty.js';
import { parseBoolean } from './units.js';

type Json = Record<string, unknown>;

export function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string')
    return `string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value)}`;
  return typeof value === 'object' ? 'an object' : `${typeof value} ${String(value)}`;
}

export class FieldReader {
  readonly warnings: string[] = [];
  readonly #data: Json;
  readonly #used = new Set<string>();
  readonly #prefix: string;

  /** @param prefix put before field names in warnings, e.g. `SUMMARY.` */
  readonly #owned: boolean;

  /**
   * @param prefix put before field names in warnings, e.g. `SUMMARY.`
   * @param owned the reader may take `data` apart: `rest()` then deletes the read keys from it
   *   and returns it, instead of copying 100-odd keys on every poll. Only for freshly parsed JSON.
   */
  constructor(data: Json, prefix = '', warnings?: string[], owned = false) {
    this.#data = data;
    this.#prefix = prefix;
    this.#owned = owned;
    if (warnings !== undefined) this.warnings = warnings;
  }

  has(key: string): boolean {
    return Object.hasOwn(this.#data, key) && this.#data[key] !== undefined;
  }

  /** The first of `keys` present (aliases across releases: `fanspeed` / `fanSpeed`). */
  pick(...keys: string[]): string | undefined {
    let found: string | undefined;
    for (const key of keys) {
      this.#used.add(key);
      if (found === undefined && this.#data[key] !== undefined && Object.hasOwn(this.#data, key)) found = key;
    }
    return found;
  }

  /** Marks keys as read without reading them (mapped elsewhere, or deliberately dropped). */
  consume(...keys: string[]): void {
    for (const key of keys) this.#used.add(key);
  }

  value(...keys: string[]): unknown {
    const key = this.pick(...keys);
    return key === undefined ? undefined : this.#data[key];
  }

  warn(key: string, message: string): void {
    this.warnings.push(`${this.#prefix}${key}: ${message}`);
  }

  number(...keys: string[]): number | null {
    const key = this.pick(...keys);
    if (key === undefined) return null;
    const value = this.#data[key];
    if (typeof value === 'number') {
      if (Number.isFinite(value)) return value;
      this.warn(key, `expected a finite number, got ${describe(value)}`);
      return null;
    }
    if (value === null) return null;
    if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) {
      this.warn(key, `expected a number, got ${describe(value)}; read as ${Number(value)}`);
      return Number(value);
    }
    this.warn(key, `expected a number, got ${describe(value)}`);
    return null;
  }

  string(...keys: string[]): string | null {
    const key = this.pick(...keys);
    if (key === undefined) return null;
    const value = this.#data[key];
    if (typeof value === 'string') return value;
    if (value === null) return null;
    if (typeof value === 'number' && Number.isFinite(value)) return String(value);
    this.warn(key, `expected a string, got ${describe(value)}`);
    return null;
  }

  boolean(...keys: string[]): boolean | null {
    const key = this.pick(...keys);
    if (key === undefined) return null;
    const value = this.#data[key];
    const parsed = parseBoolean(value);
    if (parsed !== undefined) return parsed;
    if (value !== null) this.warn(key, `expected a boolean or 0/1, got ${describe(value)}`);
    return null;
  }

  difficulty(...keys: string[]): number | null {
    const key = this.pick(...keys);
    if (key === undefined) return null;
    const value = this.#data[key];
    const parsed = parseDifficulty(value);
    if (parsed !== undefined) return parsed;
    if (value !== null) this.warn(key, `expected a difficulty, got ${describe(value)}`);
    return null;
  }

  array(...keys: string[]): unknown[] | null {
    const key = this.pick(...keys);
    if (key === undefined) return null;
    const value = this.#data[key];
    if (Array.isArray(value)) return value;
    if (value !== null) this.warn(key, `expected an array, got ${describe(value)}`);
    return null;
  }

  /** Finite numbers of an array field; other items are reported and skipped. */
  numbers(...keys: string[]): number[] {
    const items = this.array(...keys);
    if (items === null) return [];
    const out: number[] = [];
    for (const [i, item] of items.entries()) {
      if (typeof item === 'number' && Number.isFinite(item)) out.push(item);
      else this.warn(`${this.pick(...keys) ?? keys[0]}[${i}]`, `expected a number, got ${describe(item)}`);
    }
    return out;
  }

  record(...keys: string[]): Json | null {
    const key = this.pick(...keys);
    if (key === undefined) return null;
    const value = this.#data[key];
    if (isRecord(value)) return value;
    if (value !== null) this.warn(key, `expected an object, got ${describe(value)}`);
    return null;
  }

  /**
   * The fields nobody read, as the device sent them, in a new object V8 keeps in its compact
   * form (JSON.parse may leave a 100-odd key answer in dictionary form, ~6.5 KB against ~1.1 KB
   * for AxeOS v2.15's 99 unread keys). A monitor keeps one per miner and makes one every poll;
   * `copyUnread` makes it in one allocation.
   */
  unread(): Record<string, unknown> {
    return copyUnread(this.#data, this.#used);
  }

  /** The fields nobody read, as the device sent them. */
  rest(): Record<string, unknown> {
    // Copy, then drop what was read: on a 100-key answer this is the cheapest of the ways
    // measured (a keyed loop, for-in), and it runs on every poll.
    const out: Record<string, unknown> = this.#owned ? this.#data : { ...this.#data };
    for (const key of this.#used) delete out[key];
    return out;
  }
}
