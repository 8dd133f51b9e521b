/**
 * The contention model of the AWS Architecture Blog's "Exponential Backoff and Jitter" study
 * (Marc Brooker, 2015), rebuilt around our `computeDelay`: N clients each want to make one
 * write to a single row under optimistic concurrency. A client reads the row's version, then
 * writes with that version; the write succeeds only if no other write landed in between,
 * otherwise the client backs off by the jitter law under test and starts over. Every message
 * crosses a network with a delay of |normal(10 ms, 2 ms)|, as in the study. Time is simulated
 * with an event queue, so thousands of calls cost milliseconds and a seed fixes the run.
 */
import { computeDelay, type JitterMode } from '../../src/resilience/index.js';

export interface ContentionConfig {
  readonly clients: number;
  readonly jitter: JitterMode;
  /** @default 5 (the study's base) */
  readonly baseDelayMs?: number;
  /**
   * The study's exponential delay is `base * 2^n` for retry n, ours `base * factor * 2^(n-1)`:
   * a factor of 2 makes them the same law, while decorrelated jitter (which ignores the factor)
   * keeps the study's `base` as its floor.
   * @default 2
   */
  readonly backoffFactor?: number;
  /** @default 2000 (the study's cap) */
  readonly maxDelayMs?: number;
  /** Mean one-way network delay. @default 10 */
  readonly netMeanMs?: number;
  /** Standard deviation of the network delay. @default 2 */
  readonly netSdMs?: number;
  readonly random: () => number;
}

export interface ContentionResult {
  /** Writes sent by all clients together: the work the contended row had to do. */
  readonly calls: number;
  /** Simulated time when the last client learnt that its write succeeded. */
  readonly completionMs: number;
}

/** A message arriving at the server: a read, or a write carrying the version its read saw. */
interface Arrival {
  readonly at: number;
  readonly seq: number;
  readonly client: number;
  /** null for a read. */
  readonly version: number | null;
}

/** A binary min-heap on (at, seq): the simulation's event queue. */
class ArrivalQueue {
  readonly #items: Arrival[] = [];

  push(item: Arrival): void {
    const items = this.#items;
    let index = items.length;
    items.push(item);
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (!before(item, items[parent] as Arrival)) break;
      items[index] = items[parent] as Arrival;
      index = parent;
    }
    items[index] = item;
  }

  pop(): Arrival | undefined {
    const items = this.#items;
    const top = items[0];
    const last = items.pop();
    if (top === undefined || last === undefined || items.length === 0) return top;
    let index = 0;
    for (;;) {
      const left = 2 * index + 1;
      if (left >= items.length) break;
      const right = left + 1;
      const child =
        right < items.length && before(items[right] as Arrival, items[left] as Arrival) ? right : left;
      if (!before(items[child] as Arrival, last)) break;
      items[index] = items[child] as Arrival;
      index = child;
    }
    items[index] = last;
    return top;
  }
}

function before(a: Arrival, b: Arrival): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}

/** |normal(mean, sd)| by Box-Muller, from the seeded uniform source. */
function networkDelay(mean: number, sd: number, random: () => number): number {
  const u = 1 - random();
  const v = random();
  return Math.abs(mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v));
}

/** Runs the model until every client's write has succeeded and the client has heard so. */
export function simulateContention(config: ContentionConfig): ContentionResult {
  const { clients, jitter, random } = config;
  if (!Number.isSafeInteger(clients) || clients < 1) {
    throw new RangeError(`Expected \`clients\` to be a positive integer, got ${clients}`);
  }
  const mean = config.netMeanMs ?? 10;
  const sd = config.netSdMs ?? 2;
  const backoff = {
    baseDelayMs: config.baseDelayMs ?? 5,
    maxDelayMs: config.maxDelayMs ?? 2000,
    exponentialBase: 2,
    backoffFactor: config.backoffFactor ?? 2,
    jitter,
  };
  const net = (): number => networkDelay(mean, sd, random);
  const failures = new Array<number>(clients).fill(0);
  const previous = new Array<number | undefined>(clients).fill(undefined);
  const queue = new ArrivalQueue();
  let seq = 0;
  const arrive = (at: number, client: number, version: number | null): void => {
    queue.push({ at, seq: seq++, client, version });
  };
  // Every client starts at once: the thundering herd the study models.
  for (let client = 0; client < clients; client += 1) arrive(net(), client, null);

  let version = 0;
  let calls = 0;
  let completionMs = 0;
  for (let message = queue.pop(); message !== undefined; message = queue.pop()) {
    const { at, client } = message;
    if (message.version === null) {
      // The read's answer travels back, then the write travels out.
      arrive(at + net() + net(), client, version);
      continue;
    }
    calls += 1;
    const heardAt = at + net();
    if (message.version === version) {
      version += 1;
      completionMs = Math.max(completionMs, heardAt);
      continue;
    }
    const retry = (failures[client] as number) + 1;
    failures[client] = retry;
    const delayMs = computeDelay(retry, previous[client], backoff, random);
    previous[client] = delayMs;
    arrive(heardAt + delayMs + net(), client, null);
  }
  return { calls, completionMs };
}
