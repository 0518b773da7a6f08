// Counters and histograms as plain numbers, recorded on the request path without prom-client.
// Each label set gets a recorder once; calling it only bumps numbers. prom-client (loaded on the
// first sys/metrics request, see prometheus-export.ts) reads these series when it renders.

export type LabelSet = Readonly<Record<string, string>>;

export interface CounterSeries {
  readonly labels: LabelSet;
  value: number;
}

export interface HistogramSeries {
  readonly labels: LabelSet;
  /** Observations per bucket (not cumulative); the last slot is above every bound (+Inf). */
  readonly buckets: Float64Array;
  sum: number;
  count: number;
}

interface MetricInfo {
  readonly name: string;
  readonly help: string;
  readonly labelNames: readonly string[];
}

const seriesKey = (names: readonly string[], labels: LabelSet): string => JSON.stringify(names.map((n) => labels[n] ?? ''));

function ownLabels(names: readonly string[], labels: LabelSet): LabelSet {
  const out: Record<string, string> = {};
  for (const n of names) {
    const v = labels[n];
    if (v !== undefined) out[n] = v;
  }
  return out;
}

export class StoreCounter implements MetricInfo {
  private readonly store = new Map<string, CounterSeries>();

  /** A counter without labels has its one series (at 0) from the start, as prom-client's does. */
  constructor(
    readonly name: string,
    readonly help: string,
    readonly labelNames: readonly string[] = [],
  ) {
    if (labelNames.length === 0) this.recorder();
  }

  /** The increment-by-one function of one label set. */
  recorder(labels: LabelSet = {}): () => void {
    const key = seriesKey(this.labelNames, labels);
    let s = this.store.get(key);
    if (s === undefined) {
      s = { labels: ownLabels(this.labelNames, labels), value: 0 };
      this.store.set(key, s);
    }
    const series = s;
    return () => {
      series.value += 1;
    };
  }

  series(): Iterable<Readonly<CounterSeries>> {
    return this.store.values();
  }
}

export class StoreHistogram implements MetricInfo {
  readonly buckets: readonly number[];
  private readonly store = new Map<string, HistogramSeries>();

  constructor(
    readonly name: string,
    readonly help: string,
    readonly labelNames: readonly string[],
    buckets: readonly number[],
  ) {
    this.buckets = [...buckets].sort((a, b) => a - b);
  }

  /** The observe function of one label set (non-finite values are ignored). */
  recorder(labels: LabelSet = {}): (value: number) => void {
    const key = seriesKey(this.labelNames, labels);
    let s = this.store.get(key);
    if (s === undefined) {
      s = { labels: ownLabels(this.labelNames, labels), buckets: new Float64Array(this.buckets.length + 1), sum: 0, count: 0 };
      this.store.set(key, s);
    }
    const series = s;
    const bounds = this.buckets;
    return (value) => {
      if (!Number.isFinite(value)) return;
      let i = 0;
      while (i < bounds.length && value > (bounds[i] ?? 0)) i++;
      series.buckets[i] = (series.buckets[i] ?? 0) + 1;
      series.sum += value;
      series.count += 1;
    };
  }

  series(): Iterable<Readonly<HistogramSeries>> {
    return this.store.values();
  }
}
