// Latency histogram with log-linear microsecond buckets (≤ 0.8 % relative error), small enough to
// send over IPC per round and mergeable across rounds, so percentiles cover every measured round.

/** Serialized form: [bucketIndex, count] pairs, ascending by bucket index. */
export type SerializedHistogram = readonly (readonly [number, number])[];

export interface LatencyHistogram {
  /** Records one latency in milliseconds (fractions allowed); negative values count as 0. */
  recordMs(ms: number): void;
  readonly count: number;
  serialize(): SerializedHistogram;
}

const EXACT_LIMIT = 128; // below this many microseconds every value has its own bucket
const SUB_BUCKETS = 64; // buckets per power of two above EXACT_LIMIT
const MAX_MICROS = 0xffff_ffff;

/** Maps a latency in whole microseconds to its bucket index (monotonic in the value). */
export function bucketOf(micros: number): number {
  const v = Math.min(MAX_MICROS, Math.max(0, Math.round(micros)));
  if (v < EXACT_LIMIT) return v;
  const highestBit = 31 - Math.clz32(v);
  const shift = highestBit - 6;
  const mantissa = v >>> shift; // 64..127
  return EXACT_LIMIT + (shift - 1) * SUB_BUCKETS + (mantissa - SUB_BUCKETS);
}

/** The representative value (microseconds) of a bucket: exact below 128 µs, else its midpoint. */
export function bucketValueMicros(index: number): number {
  if (index < EXACT_LIMIT) return index;
  const k = index - EXACT_LIMIT;
  const shift = Math.floor(k / SUB_BUCKETS) + 1;
  const mantissa = SUB_BUCKETS + (k % SUB_BUCKETS);
  const low = mantissa * 2 ** shift;
  const high = (mantissa + 1) * 2 ** shift - 1;
  return (low + high) / 2;
}

export function createHistogram(): LatencyHistogram {
  const buckets = new Map<number, number>();
  let count = 0;
  return {
    recordMs(ms: number): void {
      const index = bucketOf(ms * 1000);
      buckets.set(index, (buckets.get(index) ?? 0) + 1);
      count += 1;
    },
    get count(): number {
      return count;
    },
    serialize(): SerializedHistogram {
      return [...buckets.entries()].sort((a, b) => a[0] - b[0]);
    },
  };
}

/** Adds histograms bucket by bucket; the result is sorted by bucket index. */
export function mergeHistograms(histograms: readonly SerializedHistogram[]): SerializedHistogram {
  const sum = new Map<number, number>();
  for (const h of histograms) {
    for (const [index, n] of h) sum.set(index, (sum.get(index) ?? 0) + n);
  }
  return [...sum.entries()].sort((a, b) => a[0] - b[0]);
}

/**
 * Nearest-rank percentile in milliseconds: the smallest recorded bucket value v such that at least
 * p % of the samples are ≤ v. `p` must be in (0, 100]. Returns null for an empty histogram.
 */
export function percentileMs(histogram: SerializedHistogram, p: number): number | null {
  if (!(p > 0 && p <= 100)) throw new RangeError(`percentile must be in (0, 100], got ${p}`);
  const total = histogram.reduce((acc, [, n]) => acc + n, 0);
  if (total === 0) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * total));
  let seen = 0;
  for (const [index, n] of histogram) {
    seen += n;
    if (seen >= rank) return bucketValueMicros(index) / 1000;
  }
  const last = histogram[histogram.length - 1]!;
  return bucketValueMicros(last[0]) / 1000;
}
