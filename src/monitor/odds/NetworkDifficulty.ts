/**
 * Where the network difficulty comes from, best first: the miners themselves (they see every pool
 * job), then the operator's configuration, then an optional mempool-compatible API. The API is off
 * by default and the app works offline without it; its calls go through their own breaker.
 */
import type { CircuitBreaker } from '../../resilience/index.js';
import { linkSignals } from '../../resilience/linkedSignal.js';
import type { MonitorClock } from '../timers.js';
import type { KnownDifficulty } from './soloOdds.js';

/** Fetches JSON; the notifier/driver HTTP client fits this shape. */
export type JsonGetter = (
  url: string,
  options: { signal?: AbortSignal; timeoutMs: number },
) => Promise<unknown>;

export interface DifficultyApiOptions {
  /** Base URL of a mempool-compatible API, e.g. `https://mempool.space`. */
  readonly baseUrl: string;
  readonly getJson: JsonGetter;
  /** The breaker guarding the API (`difficulty_api`). */
  readonly breaker?: CircuitBreaker;
  /** @default 3600000 */
  readonly refreshMs?: number;
  /** @default 10000 */
  readonly timeoutMs?: number;
}

export interface NetworkDifficultyOptions {
  readonly clock: MonitorClock;
  /** A fixed difficulty from configuration, used when no miner reports one. */
  readonly configured?: number;
  readonly api?: DifficultyApiOptions;
  /** A miner-reported value older than this gives way to the next source. @default 7200000 */
  readonly minerMaxAgeMs?: number;
}

/**
 * The documented mempool.space endpoint that carries the current difficulty:
 * GET /api/v1/mining/hashrate/:timePeriod -> { currentHashrate, currentDifficulty, ... }.
 */
export function difficultyApiUrl(baseUrl: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/api/v1/mining/hashrate/3d`;
}

export function parseDifficultyResponse(body: unknown): number {
  const value =
    typeof body === 'object' && body !== null
      ? (body as Record<string, unknown>).currentDifficulty
      : undefined;
  if (typeof value !== 'number' || !(Number.isFinite(value) && value > 0)) {
    throw new TypeError('Difficulty API answered without a positive `currentDifficulty`');
  }
  return value;
}

export class NetworkDifficulty {
  readonly #clock: MonitorClock;
  readonly #configured: number | undefined;
  readonly #api: DifficultyApiOptions | undefined;
  readonly #minerMaxAgeMs: number;
  #fromMiner: KnownDifficulty | null = null;
  #fromApi: KnownDifficulty | null = null;
  #lastApiAttemptAt: number | null = null;
  #apiFailures = 0;
  #lastApiError: string | null = null;

  constructor(options: NetworkDifficultyOptions) {
    if (
      options.configured !== undefined &&
      !(Number.isFinite(options.configured) && options.configured > 0)
    ) {
      throw new RangeError(
        `Expected \`networkDifficulty\` to be a positive number, got ${String(options.configured)}`,
      );
    }
    this.#clock = options.clock;
    this.#configured = options.configured;
    this.#api = options.api;
    this.#minerMaxAgeMs = options.minerMaxAgeMs ?? 7_200_000;
  }

  /** A miner reported the difficulty of its current job. */
  observe(value: number | null, at: number): void {
    if (value === null || !(Number.isFinite(value) && value > 0)) return;
    if (this.#fromMiner === null || at >= this.#fromMiner.updatedAt) {
      this.#fromMiner = { value, source: 'miner', updatedAt: at };
    }
  }

  /** The best difficulty known now, or null. */
  current(): KnownDifficulty | null {
    const now = this.#clock.now();
    if (this.#fromMiner !== null && now - this.#fromMiner.updatedAt <= this.#minerMaxAgeMs)
      return this.#fromMiner;
    if (this.#configured !== undefined) return { value: this.#configured, source: 'config', updatedAt: now };
    return this.#fromApi ?? this.#fromMiner;
  }

  stats(): { apiFailures: number; lastApiError: string | null; lastApiAttemptAt: number | null } {
    return {
      apiFailures: this.#apiFailures,
      lastApiError: this.#lastApiError,
      lastApiAttemptAt: this.#lastApiAttemptAt,
    };
  }

  /**
   * Asks the API when it is configured, nothing better is known and the last answer is stale.
   * Never throws: being offline just leaves the odds without a difficulty.
   */
  async refresh(signal?: AbortSignal): Promise<void> {
    const api = this.#api;
    if (api === undefined) return;
    const now = this.#clock.now();
    const best = this.current();
    if (best !== null && best.source !== 'api') return;
    const refreshMs = api.refreshMs ?? 3_600_000;
    if (this.#lastApiAttemptAt !== null && now - this.#lastApiAttemptAt < refreshMs) return;
    this.#lastApiAttemptAt = now;
    const options = { timeoutMs: api.timeoutMs ?? 10_000, ...(signal === undefined ? {} : { signal }) };
    const call = (): Promise<unknown> => api.getJson(difficultyApiUrl(api.baseUrl), options);
    try {
      const body = api.breaker === undefined ? await call() : await api.breaker.execute(call);
      this.#fromApi = { value: parseDifficultyResponse(body), source: 'api', updatedAt: this.#clock.now() };
      this.#lastApiError = null;
    } catch (error) {
      this.#apiFailures += 1;
      this.#lastApiError = error instanceof Error ? error.message : String(error);
    }
  }
}

/** The default `JsonGetter`: Node's fetch with a timeout. */
export async function fetchJson(
  url: string,
  options: { signal?: AbortSignal; timeoutMs: number },
): Promise<unknown> {
  // The caller's signal may live as long as the process (src/resilience/linkedSignal.ts).
  using linked = linkSignals(options.signal, AbortSignal.timeout(options.timeoutMs));
  const response = await fetch(url, { signal: linked.signal, headers: { accept: 'application/json' } });
  if (!response.ok) throw new Error(`${url} answered HTTP ${response.status}`);
  return await response.json();
}
