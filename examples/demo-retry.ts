/**
 * `npm run demo:retry`: the resilience library on a live timeline, in real (short) time.
 *
 *   npm run demo:retry                 # about 6 s
 *   npm run demo:retry -- --fast       # the same story at 1/50 of the time (what the test runs)
 *   DEMO_TIME_SCALE=0.5 npm run demo:retry
 *
 * Every object gets the same scaled clock, so the timestamps read the same at any speed: this is
 * also the Clock seam at work (the library never reads time except through it).
 */
import { pathToFileURL } from 'node:url';
import {
  type CircuitBreaker,
  type Clock,
  type GiveUpReason,
  isCircuitOpenError,
  MinerConnectionError,
  RetryBudget,
  RetryManager,
  type RetryOptions,
  retry,
  type StateChangeEvent,
  systemClock,
} from '../src/resilience/index.js';

export interface DemoOptions {
  /** Real milliseconds per demo millisecond; 0.02 plays the demo 50 times faster. @default 1 */
  readonly timeScale?: number;
  /** Where lines go. @default process.stdout */
  readonly write?: (line: string) => void;
  /** ANSI colours. @default true only when stdout is a terminal and NO_COLOR is unset */
  readonly color?: boolean;
  /**
   * The clock every part of the demo reads and waits on; a `FakeClock` from
   * `solowatch/resilience/testing` plays it with no real waiting. Overrides `timeScale`.
   * @default real time scaled by `timeScale`
   */
  readonly clock?: Clock;
}

/** A clock whose milliseconds last `scale` real milliseconds. */
class ScaledClock implements Clock {
  readonly #scale: number;
  readonly #originEpoch = Date.now();
  readonly #origin = performance.now();

  constructor(scale: number) {
    this.#scale = scale;
  }

  now(): number {
    return this.#originEpoch + (performance.now() - this.#origin) / this.#scale;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return systemClock.sleep(ms * this.#scale, signal);
  }
}

type Paint = (text: string) => string;

interface Palette {
  readonly title: Paint;
  readonly note: Paint;
  readonly ok: Paint;
  readonly bad: Paint;
  readonly state: Paint;
}

function palette(color: boolean): Palette {
  const sgr =
    (open: number): Paint =>
    (text) =>
      color ? `\u001b[${open}m${text}\u001b[0m` : text;
  return { title: sgr(1), note: sgr(2), ok: sgr(32), bad: sgr(31), state: sgr(33) };
}

/** A seeded [0, 1) source, so the delays printed are the same on every run. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 4_294_967_296;
  };
}

/** A miner that is down (connection refused) while `down()` says so, and reports calls. */
class FakeMiner {
  calls = 0;
  down: () => boolean;

  constructor(
    readonly host: string,
    down: () => boolean,
  ) {
    this.down = down;
  }

  async read(): Promise<string> {
    this.calls += 1;
    if (this.down()) {
      throw new MinerConnectionError(`connect ECONNREFUSED ${this.host}:80`, { target: this.host });
    }
    return '1.21 TH/s';
  }
}

class Timeline {
  readonly clock: Clock;
  readonly paint: Palette;
  readonly #write: (line: string) => void;
  readonly #start: number;
  #scenario = 0;

  constructor(clock: Clock, paint: Palette, write: (line: string) => void) {
    this.clock = clock;
    this.paint = paint;
    this.#write = write;
    this.#start = clock.now();
  }

  /** Demo milliseconds since the start. */
  elapsed(): number {
    return this.clock.now() - this.#start;
  }

  /** A line stamped with the demo time. */
  at(text: string): void {
    this.#write(`${this.paint.note(`+${(this.elapsed() / 1000).toFixed(3)}s`)}  ${text}`);
  }

  /** An unstamped line under the last event. */
  plain(text: string): void {
    this.#write(`          ${text}`);
  }

  scenario(title: string, explanation: string): void {
    this.#scenario += 1;
    this.#write('');
    this.#write(this.paint.title(`${this.#scenario}. ${title}`));
    this.#write(this.paint.note(`   ${explanation}`));
  }

  transition(event: StateChangeEvent): void {
    this.at(this.paint.state(`breaker ${event.name}: ${event.from} -> ${event.to} (${event.reason})`));
  }
}

function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

async function transientFailure(t: Timeline): Promise<void> {
  t.scenario(
    'A transient failure, recovered with backoff',
    'The miner refuses twice, then answers; retry waits a little longer each time (equal jitter).',
  );
  const miner: FakeMiner = new FakeMiner('10.0.0.5', () => miner.calls <= 2);
  const started = t.elapsed();
  const value = await retry(
    async (attempt) => {
      t.at(`poll attempt ${attempt}`);
      return miner.read();
    },
    {
      maxAttempts: 4,
      baseDelayMs: 200,
      jitter: 'equal',
      clock: t.clock,
      random: seeded(7),
      onRetry: ({ attempt, delayMs, error }) => {
        t.at(`${t.paint.bad(`attempt ${attempt} failed`)}: ${describeError(error)}`);
        t.plain(`retrying in ${Math.round(delayMs)} ms`);
      },
    },
  );
  t.at(
    t.paint.ok(
      `recovered on attempt ${miner.calls}: ${value} (after ${((t.elapsed() - started) / 1000).toFixed(2)} s)`,
    ),
  );
}

/** Polls through the breaker until `until` says stop; prints each outcome. */
async function pollLoop(
  t: Timeline,
  breaker: CircuitBreaker,
  miner: FakeMiner,
  everyMs: number,
  until: () => boolean,
  maxPolls = 40,
): Promise<void> {
  for (let poll = 0; poll < maxPolls && !until(); poll += 1) {
    const before = miner.calls;
    try {
      const value = await breaker.execute(() => miner.read());
      t.at(`poll: ${t.paint.ok(`ok, ${value}`)}`);
    } catch (error) {
      if (isCircuitOpenError(error)) {
        const called = miner.calls > before ? 'called' : 'not called';
        t.at(
          `poll: ${t.paint.bad('refused at once')} (miner ${called}), next try in ${Math.ceil(error.retryAfterMs)} ms`,
        );
      } else {
        t.at(`poll: ${t.paint.bad('failed')}: ${describeError(error)}`);
      }
    }
    if (until()) break;
    await t.clock.sleep(everyMs);
  }
}

async function breakerLifecycle(t: Timeline, manager: RetryManager, name: string): Promise<void> {
  t.scenario(
    'A breaker opening, refusing, going half-open and closing',
    'Three failures in a row open it; while open, polls fail fast; after 1 s a trial is let through.',
  );
  const breaker = manager.getCircuitBreaker(name);
  const revivesAt = t.elapsed() + 900;
  const miner = new FakeMiner('10.0.0.7', () => t.elapsed() < revivesAt);
  let closedAgain = false;
  const stop = breaker.onStateChange((event) => {
    if (event.to === 'closed') closedAgain = true;
  });
  await pollLoop(t, breaker, miner, 150, () => closedAgain);
  stop();
  const stats = breaker.stats();
  t.plain(
    `stats: state ${stats.state}, ${stats.calls} calls let through, ${stats.refusals} refused, ${stats.failures} failures`,
  );
}

async function manualReset(t: Timeline, manager: RetryManager, name: string): Promise<void> {
  t.scenario(
    'A manual reset',
    'The miner fails again and its breaker opens; the operator resets it (POST /api/resilience/breakers/:name/reset).',
  );
  const breaker = manager.getCircuitBreaker(name);
  let down = true;
  const miner = new FakeMiner('10.0.0.7', () => down);
  await pollLoop(t, breaker, miner, 100, () => breaker.state === 'open');
  down = false;
  t.at(`operator: reset ${name} (the miner was power-cycled)`);
  const found = manager.reset(name);
  t.plain(`reset returned ${found}; failureCount is now ${breaker.stats().failureCount}`);
  await pollLoop(t, breaker, miner, 100, () => false, 1);
}

async function abortWait(t: Timeline): Promise<void> {
  t.scenario(
    'An abort cutting a wait short',
    'A 5 s backoff is in progress when the app shuts down; the signal ends it at once.',
  );
  const controller = new AbortController();
  const miner = new FakeMiner('10.0.0.9', () => true);
  let waitStartedAt = 0;
  const options: RetryOptions = {
    maxAttempts: 3,
    baseDelayMs: 5_000,
    jitter: 'none',
    clock: t.clock,
    signal: controller.signal,
    onRetry: ({ attempt, delayMs }) => {
      waitStartedAt = t.elapsed();
      t.at(`attempt ${attempt} failed; waiting ${delayMs} ms before attempt ${attempt + 1}`);
    },
    onGiveUp: ({ reason, attempts }) => t.plain(`gave up: ${reason} after ${attempts} attempt(s)`),
  };
  void t.clock.sleep(300).then(() => {
    t.at('app: shutting down, aborting');
    controller.abort(new Error('shutting down'));
  });
  try {
    await retry(() => miner.read(), options);
  } catch (error) {
    const waited = (t.elapsed() - waitStartedAt) / 1000;
    t.at(
      `${t.paint.ok(`aborted after ${waited.toFixed(2)} s of a 5.00 s wait`)}: ${describeError(error)} ` +
        `(${miner.calls} call made, no attempt 2)`,
    );
  }
}

async function budgetStorm(t: Timeline): Promise<void> {
  t.scenario(
    'A retry budget stopping a retry storm',
    'Twelve miners go dark at once; alone, each retries 3 times; sharing a budget, retries stop once it is half spent.',
  );
  const fleet = 12;
  const storm = async (
    budget: RetryBudget | undefined,
  ): Promise<{ calls: number; reasons: Map<GiveUpReason, number> }> => {
    const reasons = new Map<GiveUpReason, number>();
    const miners = Array.from({ length: fleet }, (_, i) => new FakeMiner(`10.0.1.${i + 1}`, () => true));
    const random = seeded(11);
    await Promise.allSettled(
      miners.map((miner) =>
        retry(() => miner.read(), {
          maxAttempts: 4,
          baseDelayMs: 40,
          clock: t.clock,
          random,
          ...(budget === undefined ? {} : { budget }),
          onGiveUp: ({ reason }) => reasons.set(reason, (reasons.get(reason) ?? 0) + 1),
        }),
      ),
    );
    return { calls: miners.reduce((sum, miner) => sum + miner.calls, 0), reasons };
  };
  const alone = await storm(undefined);
  t.at(`without a budget: ${t.paint.bad(`${alone.calls} calls`)} to ${fleet} dark miners`);
  const budget = new RetryBudget({ maxTokens: 10, tokenRatio: 0.1 });
  const shared = await storm(budget);
  const stats = budget.stats();
  t.at(
    `with a shared budget: ${t.paint.ok(`${shared.calls} calls`)} ` +
      `(${stats.retriesGranted} retries granted, ${stats.retriesDenied} denied by the budget)`,
  );
  const why = [...shared.reasons].map(([reason, count]) => `${count} ${reason}`).join(', ');
  t.plain(`give-ups: ${why}; tokens left ${stats.tokens} of ${stats.maxTokens}`);
}

/** Plays every scenario in order. */
export async function runDemo(options: DemoOptions = {}): Promise<void> {
  const scale = options.timeScale ?? 1;
  if (!(scale > 0) || !Number.isFinite(scale)) {
    throw new TypeError(`Expected \`timeScale\` to be a finite number > 0, got ${scale}`);
  }
  const write = options.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  const color = options.color ?? (process.stdout.isTTY === true && process.env.NO_COLOR === undefined);
  const clock = options.clock ?? new ScaledClock(scale);
  const t = new Timeline(clock, palette(color), write);
  write(t.paint.title('solowatch resilience demo'));
  write(
    t.paint.note(
      'timestamps are seconds since the start; one breaker per miner, named miner_operations:<id>',
    ),
  );

  const manager = new RetryManager({ clock });
  manager.onStateChange((event) => t.transition(event));
  const name = 'miner_operations:bitaxe-7';
  // Created up front with the demo's short settings; later lookups return this same breaker.
  manager.getCircuitBreaker(name, { failureThreshold: 3, recoveryTimeoutMs: 1_000, successThreshold: 2 });
  const pause = (): Promise<void> => clock.sleep(400);

  await transientFailure(t);
  await pause();
  await breakerLifecycle(t, manager, name);
  await pause();
  await manualReset(t, manager, name);
  await pause();
  await abortWait(t);
  await pause();
  await budgetStorm(t);
  write('');
  write(t.paint.note(`done in ${(t.elapsed() / 1000).toFixed(1)} s`));
}

/** `--fast` plays at 1/50; `DEMO_TIME_SCALE` sets any scale. */
function scaleFromEnvironment(argv: readonly string[]): number {
  if (argv.includes('--fast')) return 0.02;
  const fromEnv = process.env.DEMO_TIME_SCALE;
  return fromEnv === undefined || fromEnv === '' ? 1 : Number(fromEnv);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runDemo({ timeScale: scaleFromEnvironment(process.argv.slice(2)) }).catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  });
}
