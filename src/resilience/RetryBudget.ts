/**
 * A retry budget in the style of gRPC retry throttling: a token bucket shared by many call sites
 * so that when a whole fleet goes dark, retries stop multiplying the load. Failures cost a token,
 * successes earn back `tokenRatio`, and retries are allowed only while the bucket is more than
 * half full. First attempts are never refused: the budget limits retries, not traffic.
 */

export interface RetryBudgetOptions {
  /**
   * Bucket size; the bucket starts full.
   * @default 10
   */
  readonly maxTokens?: number;
  /**
   * Tokens a success puts back.
   * @default 0.1
   */
  readonly tokenRatio?: number;
}

export interface RetryBudgetStats {
  readonly tokens: number;
  readonly maxTokens: number;
  readonly tokenRatio: number;
  /** Retries are allowed while `tokens` is above this (half of `maxTokens`). */
  readonly threshold: number;
  /** True when a retry would be allowed now. */
  readonly retriesAllowed: boolean;
  readonly successes: number;
  readonly failures: number;
  /** Retries the budget let through. */
  readonly retriesGranted: number;
  /** Retries the budget refused. */
  readonly retriesDenied: number;
}

/** gRPC keeps tokens in thousandths so that repeated 0.1 refills do not drift. */
const SCALE = 1000;

export class RetryBudget {
  readonly maxTokens: number;
  readonly tokenRatio: number;
  #milliTokens: number;
  readonly #maxMilli: number;
  readonly #ratioMilli: number;
  #successes = 0;
  #failures = 0;
  #granted = 0;
  #denied = 0;

  constructor(options: RetryBudgetOptions = {}) {
    const maxTokens = options.maxTokens ?? 10;
    const tokenRatio = options.tokenRatio ?? 0.1;
    if (typeof maxTokens !== 'number' || !Number.isFinite(maxTokens) || maxTokens <= 0) {
      throw new TypeError(`Expected \`maxTokens\` to be a finite number > 0, got ${String(maxTokens)}`);
    }
    if (typeof tokenRatio !== 'number' || !Number.isFinite(tokenRatio) || tokenRatio <= 0) {
      throw new TypeError(`Expected \`tokenRatio\` to be a finite number > 0, got ${String(tokenRatio)}`);
    }
    // Tokens are kept in thousandths: a setting that rounds to zero would never refill, or never
    // allow a retry, so it is refused here rather than silently doing nothing.
    if (Math.round(maxTokens * SCALE) < 1) {
      throw new TypeError(`Expected \`maxTokens\` to be at least 0.001, got ${maxTokens}`);
    }
    if (Math.round(tokenRatio * SCALE) < 1) {
      throw new TypeError(
        `Expected \`tokenRatio\` to be at least 0.001 (tokens are kept in thousandths), got ${tokenRatio}`,
      );
    }
    this.maxTokens = maxTokens;
    this.tokenRatio = tokenRatio;
    this.#maxMilli = Math.round(maxTokens * SCALE);
    this.#ratioMilli = Math.round(tokenRatio * SCALE);
    this.#milliTokens = this.#maxMilli;
  }

  get tokens(): number {
    return this.#milliTokens / SCALE;
  }

  /** A call succeeded: earn back `tokenRatio`, up to `maxTokens`. */
  recordSuccess(): void {
    this.#successes += 1;
    this.#milliTokens = Math.min(this.#maxMilli, this.#milliTokens + this.#ratioMilli);
  }

  /** A call failed with a retryable error: spend one token, down to zero. */
  recordFailure(): void {
    this.#failures += 1;
    this.#milliTokens = Math.max(0, this.#milliTokens - SCALE);
  }

  /** True while the bucket is above half: a retry may go ahead. Does not change the bucket. */
  canRetry(): boolean {
    return this.#milliTokens * 2 > this.#maxMilli;
  }

  /** `canRetry()`, counted in the stats as granted or denied; what `retry` calls. */
  tryRetry(): boolean {
    const allowed = this.canRetry();
    if (allowed) this.#granted += 1;
    else this.#denied += 1;
    return allowed;
  }

  /** Fills the bucket and clears the counters. */
  reset(): void {
    this.#milliTokens = this.#maxMilli;
    this.#successes = 0;
    this.#failures = 0;
    this.#granted = 0;
    this.#denied = 0;
  }

  stats(): RetryBudgetStats {
    return {
      tokens: this.tokens,
      maxTokens: this.maxTokens,
      tokenRatio: this.tokenRatio,
      threshold: this.maxTokens / 2,
      retriesAllowed: this.canRetry(),
      successes: this.#successes,
      failures: this.#failures,
      retriesGranted: this.#granted,
      retriesDenied: this.#denied,
    };
  }
}
