/**
 * The cgminer API client (TCP 4028, JSON mode): one command per connection, commands to one
 * device sent one at a time, replies repaired and their STATUS checked, retries (no breaker: each
 * miner's one breaker, `miner_operations:<id>`, is the monitor's). Report commands can be joined with `+` (API 3.1+); a
 * device that refuses the join is remembered and asked one command at a time from then on.
 */
import { setMaxListeners } from 'node:events';
import {
  type Clock,
  MinerConnectionError,
  type RetryConfig,
  retry,
  systemClock,
  ValidationError,
} from '../../resilience/index.js';
import { linkSignals } from '../../resilience/linkedSignal.js';
import { MinerResponseError } from '../errors.js';
import { isRecord } from '../parse/FieldReader.js';
import { type CgminerStatus, checkStatus, readStatus } from './envelope.js';
import { parseCgminerJson, type Repaired, type RepairKind } from './repair.js';
import { tcpExchange } from './tcpExchange.js';

export interface CgminerEndpoint {
  readonly host: string;
  readonly port: number;
}

export interface CgminerClientOptions {
  /** @default 2000 */
  readonly connectTimeoutMs?: number;
  /** Total time for one command. @default 5000 */
  readonly timeoutMs?: number;
  /** @default 1048576 */
  readonly maxResponseBytes?: number;
  /** @default 3 attempts, 1 s base, 30 s cap (as retryMinerOperation's HTTP twin) */
  readonly retry?: Partial<RetryConfig>;
  readonly clock?: Clock;
  readonly random?: () => number;
}

export interface CommandOptions {
  readonly signal?: AbortSignal;
  readonly timeoutMs?: number;
  readonly maxAttempts?: number;
  /** Commands that change the device are sent once unless this says a resend is harmless. */
  readonly idempotent?: boolean;
  /**
   * `commands` joins with `+` where the device allows; false asks one at a time from the start
   * (btminer, whose answer to a join is not cgminer's "Invalid command"). @default true
   */
  readonly join?: boolean;
}

/** A checked reply: the whole object, its status, and what was repaired or warned. */
export interface CgminerReply {
  readonly command: string;
  readonly data: Readonly<Record<string, unknown>>;
  readonly status: CgminerStatus;
  readonly warnings: readonly string[];
}

/** Per command of a joined request: its reply, or why that one command failed. */
export type JoinedReplies = ReadonlyMap<string, CgminerReply | MinerResponseError>;

/** Commands that only read: safe to resend. */
const REPORT_COMMANDS = new Set([
  'version',
  'config',
  'summary',
  'pools',
  'devs',
  'edevs',
  'stats',
  'estats',
  'coin',
  'lcd',
  'devdetails',
  'notify',
  'asccount',
  'pgacount',
  'check',
  'usbstats',
  // Braiins OS (bosminer) and LuxOS report commands.
  'temps',
  'fans',
  'tempctrl',
  'power',
  // btminer (Whatsminer) read commands.
  'get_version',
  'get_miner_info',
  'get_psu',
]);

const COMMAND_NAME = /^[a-z][a-z0-9_-]*$/i;

/** cgminer's MSG_INVCMD: what a device without `+` support answers a joined request with. */
const INVALID_COMMAND_CODE = 14;

export class CgminerClient {
  readonly connectTimeoutMs: number;
  readonly timeoutMs: number;
  readonly maxResponseBytes: number;
  readonly #options: CgminerClientOptions;
  readonly #retry: Partial<RetryConfig>;
  readonly #clock: Clock;
  readonly #queues = new Map<string, Promise<unknown>>();
  readonly #noJoin = new Set<string>();
  readonly #closing = new AbortController();

  constructor(options: CgminerClientOptions = {}) {
    this.connectTimeoutMs = options.connectTimeoutMs ?? 2000;
    this.timeoutMs = options.timeoutMs ?? 5000;
    this.maxResponseBytes = options.maxResponseBytes ?? 1024 * 1024;
    for (const [name, value] of Object.entries({
      connectTimeoutMs: this.connectTimeoutMs,
      timeoutMs: this.timeoutMs,
      maxResponseBytes: this.maxResponseBytes,
    })) {
      if (!(value > 0) || !Number.isFinite(value)) {
        throw new ValidationError(`Expected \`${name}\` to be a positive number, got ${value}`, {
          field: name,
        });
      }
    }
    this.#options = options;
    this.#retry = { maxAttempts: 3, baseDelayMs: 1000, maxDelayMs: 30_000, ...options.retry };
    this.#clock = options.clock ?? systemClock;
    // Every command in flight listens on it (linkSignals): hundreds at once is normal, not a leak.
    setMaxListeners(0, this.#closing.signal);
  }

  /** The key of an endpoint's queue and of its join support. */
  static #key(endpoint: CgminerEndpoint): string {
    return `${endpoint.host}:${endpoint.port}`;
  }

  /** True once the endpoint refused a `+` join; it is then asked one command at a time. */
  joinRefused(endpoint: CgminerEndpoint): boolean {
    return this.#noJoin.has(CgminerClient.#key(endpoint));
  }

  /**
   * Sends one command and checks its STATUS. Rejects with MinerResponseError (bad reply, E/F),
   * MinerAccessDeniedError (code 45), ResponseTooLargeError, MinerConnectionError,
   * MinerTimeoutError, or the signal's reason.
   */
  async command(
    endpoint: CgminerEndpoint,
    command: string,
    parameter?: string,
    options: CommandOptions = {},
  ): Promise<CgminerReply> {
    const { value, repairs } = await this.#send(endpoint, command, parameter, options);
    return this.#checked(command, value, this.#what(endpoint, command), repairs);
  }

  /**
   * Report commands in one request (`summary+pools`), or one by one when the device refuses the
   * join. A command the device rejects is returned as its error; transport failures reject.
   */
  async commands(
    endpoint: CgminerEndpoint,
    names: readonly string[],
    options: CommandOptions = {},
  ): Promise<JoinedReplies> {
    const unique = [...new Set(names)];
    for (const name of unique) {
      if (!REPORT_COMMANDS.has(name))
        throw new ValidationError(`Only report commands can be joined, got "${name}"`);
    }
    const key = CgminerClient.#key(endpoint);
    if (unique.length > 1 && options.join !== false && !this.#noJoin.has(key)) {
      const joined = unique.join('+');
      const { value: data, repairs } = await this.#send(endpoint, joined, undefined, options);
      if (isRecord(data) && unique.some((name) => name in data)) {
        return new Map(unique.map((name) => [name, this.#section(endpoint, name, data[name], repairs)]));
      }
      // No per-command sections. "Invalid command" means the device read `a+b` as one unknown
      // command (cgminer before API 3.1, some Antminer firmwares): remember, and ask one by one.
      // Any other status is the device's answer to the request and is reported as such.
      const what = this.#what(endpoint, joined);
      const status = readStatus(data, what);
      if (status.status !== 'E' || status.code !== INVALID_COMMAND_CODE) {
        checkStatus(status, what);
        throw new MinerResponseError(`${what}: the joined answer has no per-command sections`, {
          target: what,
          status: 'shape',
        });
      }
      this.#noJoin.add(key);
    }
    const out = new Map<string, CgminerReply | MinerResponseError>();
    for (const name of unique) {
      try {
        out.set(name, await this.command(endpoint, name, undefined, options));
      } catch (error) {
        if (!(error instanceof MinerResponseError)) throw error;
        out.set(name, error);
      }
    }
    return out;
  }

  #section(
    endpoint: CgminerEndpoint,
    name: string,
    raw: unknown,
    repairs: readonly RepairKind[],
  ): CgminerReply | MinerResponseError {
    const what = this.#what(endpoint, name);
    // api.c opens each section as an array ("summary":[{...}]); the README's prose shows an object.
    const section = Array.isArray(raw) ? raw[0] : raw;
    if (section === undefined) {
      return new MinerResponseError(`${what}: the joined answer has no "${name}" section`, {
        target: what,
        status: 'shape',
      });
    }
    try {
      return this.#checked(name, section, what, repairs);
    } catch (error) {
      if (error instanceof MinerResponseError) return error;
      throw error;
    }
  }

  #checked(command: string, data: unknown, what: string, repairs: readonly RepairKind[]): CgminerReply {
    const status = readStatus(data, what);
    const warning = checkStatus(status, what);
    const warnings = repairs.map(
      (repair) => `${what}: repaired ${repair.replaceAll('_', ' ')} in the answer`,
    );
    if (warning !== null) warnings.push(warning);
    return { command, data: data as Record<string, unknown>, status, warnings };
  }

  #what(endpoint: CgminerEndpoint, command: string): string {
    return `cgminer ${endpoint.host}:${endpoint.port} ${command}`;
  }

  async #send(
    endpoint: CgminerEndpoint,
    command: string,
    parameter: string | undefined,
    options: CommandOptions,
  ): Promise<Repaired> {
    if (!command.split('+').every((part) => part === '' || COMMAND_NAME.test(part))) {
      throw new ValidationError(`Not a cgminer command: ${JSON.stringify(command)}`, { field: 'command' });
    }
    if (this.#closing.signal.aborted) throw new ValidationError('The cgminer client is closed');
    const request = JSON.stringify(parameter === undefined ? { command } : { command, parameter });
    const what = this.#what(endpoint, command);
    const readOnly = command.split('+').every((part) => part === '' || REPORT_COMMANDS.has(part));
    const maxAttempts =
      readOnly || options.idempotent === true ? (options.maxAttempts ?? this.#retry.maxAttempts ?? 3) : 1;
    // Both sources may live as long as the process (the scheduler's signal, #closing): linked
    // per command and let go after it, as AbortSignal.any would not (src/resilience/linkedSignal.ts).
    const linked = linkSignals(options.signal, this.#closing.signal);
    const signal = linked.signal;
    const key = CgminerClient.#key(endpoint);
    try {
      return await retry(
        () =>
          this.#enqueue(key, async () => {
            const result = await tcpExchange({
              host: endpoint.host,
              port: endpoint.port,
              request,
              what,
              connectTimeoutMs: this.connectTimeoutMs,
              timeoutMs: options.timeoutMs ?? this.timeoutMs,
              maxResponseBytes: this.maxResponseBytes,
              signal,
            });
            return parseReply(result.text, result.terminated, what, endpoint);
          }),
        {
          ...this.#retry,
          maxAttempts,
          clock: this.#clock,
          signal,
          ...(this.#options.random === undefined ? {} : { random: this.#options.random }),
        },
      );
    } finally {
      linked.release();
    }
  }

  /** Runs `task` after every earlier task for the same device has settled. */
  #enqueue<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.#queues.get(key) ?? Promise.resolve();
    const run = previous.then(task, task);
    const tail = run.then(
      () => undefined,
      () => undefined,
    );
    this.#queues.set(key, tail);
    void tail.then(() => {
      if (this.#queues.get(key) === tail) this.#queues.delete(key);
    });
    return run;
  }

  /** Aborts every exchange in flight; later calls fail. */
  async close(): Promise<void> {
    this.#closing.abort(new ValidationError('The cgminer client is closed'));
    await Promise.all([...this.#queues.values()]);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}

function parseReply(text: string, terminated: boolean, what: string, endpoint: CgminerEndpoint): Repaired {
  if (text.trim() === '' && !terminated) {
    throw new MinerConnectionError(`${what}: the connection closed without an answer`, {
      target: `${endpoint.host}:${endpoint.port}`,
    });
  }
  try {
    return parseCgminerJson(text);
  } catch (error) {
    if (!terminated && text.trimStart().startsWith('{')) {
      // No NUL and a JSON answer cut short: the device closed mid-answer (a reboot, a dropped link).
      throw new MinerConnectionError(`${what}: the connection closed before the answer was complete`, {
        cause: error,
        target: `${endpoint.host}:${endpoint.port}`,
      });
    }
    const reason = error instanceof Error ? error.message : String(error);
    throw new MinerResponseError(
      `${what}: the answer is not JSON even after repair (${reason}; it starts ${JSON.stringify(text.slice(0, 60))})`,
      {
        cause: error,
        target: what,
        status: 'bad_json',
      },
    );
  }
}
