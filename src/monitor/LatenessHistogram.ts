/**
 * Poll lateness (how long after its due time a poll started) in fixed log-spaced buckets: constant
 * memory whatever the fleet size, and quantiles good to a few percent.
 */
const BUCKETS_PER_DOUBLING = 8;
/** Covers 1 ms .. ~17 minutes; later values land in the last bucket. */
const DOUBLINGS = 20;
const BUCKET_COUNT = BUCKETS_PER_DOUBLING * DOUBLINGS + 1;

function bucketOf(ms: number): number {
  if (!(ms >= 1)) return 0;
  const index = Math.floor(Math.log2(ms) * BUCKETS_PER_DOUBLING) + 1;
  return Math.min(BUCKET_COUNT - 1, index);
}

/** Upper bound of a bucket, in ms. */
function upperOf(bucket: number): number {
  return bucket === 0 ? 1 : 2 ** (bucket / BUCKETS_PER_DOUBLING);
}

export interface LatenessSummary {
  readonly count: number;
  readonly maxMs: number;
  readonly meanMs: number;
  readonly p50Ms: number;
  readonly p90Ms: number;
  readonly p99Ms: number;
}

export class LatenessHistogram {
  readonly #counts = new Float64Array(BUCKET_COUNT);
  #count = 0;
  #sum = 0;
  #max = 0;

  record(ms: number): void {
    const value = Math.max(0, ms);
    const bucket = bucketOf(value);
    this.#counts[bucket] = (this.#counts[bucket] ?? 0) + 1;
    this.#count += 1;
    this.#sum += value;
    if (value > this.#max) this.#max = value;
  }

  /** The value below which a share `q` (0..1) of recorded values fall (bucket upper bound). */
  quantile(q: number): number {
    if (this.#count === 0) return 0;
    const rank = Math.max(1, Math.ceil(q * this.#count));
    let seen = 0;
    for (let bucket = 0; bucket < BUCKET_COUNT; bucket += 1) {
      seen += this.#counts[bucket] ?? 0;
      if (seen >= rank) return Math.min(this.#max, upperOf(bucket));
    }
    return this.#max;
  }

  summary(): LatenessSummary {
    return {
      count: this.#count,
      maxMs: this.#max,
      meanMs: this.#count === 0 ? 0 : this.#sum / this.#count,
      p50Ms: this.quantile(0.5),
      p90Ms: this.quantile(0.9),
      p99Ms: this.quantile(0.99),
    };
  }

  reset(): void {
    this.#counts.fill(0);
    this.#count = 0;
    this.#sum = 0;
    this.#max = 0;
  }
}
