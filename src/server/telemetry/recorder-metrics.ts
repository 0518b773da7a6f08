// prom-client metrics with a cheap hot path. prom-client validates and hashes the label set on
// every observe/inc (about a microsecond each, several times per request); these subclasses hand
// out a recorder per label set instead, which only bumps numbers, and report their series through
// prom-client's own get() so registries, text and JSON output work unchanged.

import { Counter, Histogram } from 'prom-client';
import type { CounterConfiguration, HistogramConfiguration, MetricObjectWithValues, MetricValue } from 'prom-client';

type Labels<T extends string> = Partial<Record<T, string>>;

/** What prom-client's registry reads from a metric (its typings give `type` as a numeric enum; at run time it is this string). */
interface PromStringMetric {
  name: string;
  help: string;
  type: 'histogram';
  values: PromStringValue[];
  aggregator: 'sum';
}

interface PromStringValue {
  labels: Record<string, string | number>;
  sharedLabels: Record<string, string>;
  value: number;
  metricName: string;
  /** prom-client sets null on buckets and leaves it undefined on _sum and _count. */
  exemplar: null | undefined;
}

interface HistogramSeries {
  labels: Record<string, string>;
  /** Observations per bucket (not cumulative); the last slot is above every bound (+Inf). */
  buckets: Float64Array;
  sum: number;
  count: number;
}

const seriesKey = (names: readonly string[], labels: Record<string, string | undefined>): string => JSON.stringify(names.map((n) => labels[n] ?? ''));

function cleanLabels<T extends string>(names: readonly string[], labels: Labels<T>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const n of names) {
    const v = (labels as Record<string, string | undefined>)[n];
    if (v !== undefined) out[n] = v;
  }
  return out;
}

/** A Histogram whose `recorder(labels)` returns an observe function for that label set. */
export class RecorderHistogram<T extends string> extends Histogram<T> {
  private readonly bounds: readonly number[];
  private readonly names: readonly string[];
  private readonly series = new Map<string, HistogramSeries>();
  private readonly metricName: string;
  private readonly metricHelp: string;

  constructor(config: HistogramConfiguration<T> & { buckets: number[] }) {
    super(config);
    this.metricName = config.name;
    this.metricHelp = config.help;
    this.bounds = [...config.buckets].sort((a, b) => a - b);
    this.names = [...(config.labelNames ?? [])];
  }

  /** The observe function of one label set (create it once, call it on every event). */
  recorder(labels: Labels<T> = {}): (value: number) => void {
    const key = seriesKey(this.names, labels);
    let s = this.series.get(key);
    if (s === undefined) {
      s = { labels: cleanLabels(this.names, labels), buckets: new Float64Array(this.bounds.length + 1), sum: 0, count: 0 };
      this.series.set(key, s);
    }
    const series = s;
    const bounds = this.bounds;
    return (value) => {
      if (!Number.isFinite(value)) return;
      let i = 0;
      while (i < bounds.length && value > (bounds[i] ?? 0)) i++;
      series.buckets[i] = (series.buckets[i] ?? 0) + 1;
      series.sum += value;
      series.count += 1;
    };
  }

  /**
   * The series as prom-client's registry reads them: its text output calls this, and the
   * inherited get() (JSON output) calls it too before flattening labels.
   */
  async getForPromString(): Promise<PromStringMetric> {
    // The shape prom-client's own histograms give: `le` in labels, the series' labels shared.
    const values: PromStringValue[] = [];
    const bucket = `${this.metricName}_bucket`;
    for (const s of this.series.values()) {
      let cumulative = 0;
      this.bounds.forEach((bound, i) => {
        cumulative += s.buckets[i] ?? 0;
        values.push({ labels: { le: bound }, sharedLabels: s.labels, value: cumulative, metricName: bucket, exemplar: null });
      });
      values.push({ labels: { le: '+Inf' }, sharedLabels: s.labels, value: s.count, metricName: bucket, exemplar: null });
      values.push({ labels: {}, sharedLabels: s.labels, value: s.sum, metricName: `${this.metricName}_sum`, exemplar: undefined });
      values.push({ labels: {}, sharedLabels: s.labels, value: s.count, metricName: `${this.metricName}_count`, exemplar: undefined });
    }
    return Promise.resolve({ name: this.metricName, help: this.metricHelp, type: 'histogram', values, aggregator: 'sum' });
  }
}

/** A Counter whose `recorder(labels)` returns an increment function for that label set. */
export class RecorderCounter<T extends string> extends Counter<T> {
  private readonly names: readonly string[];
  private readonly series = new Map<string, { labels: Record<string, string>; value: number }>();

  constructor(config: CounterConfiguration<T>) {
    super(config);
    this.names = [...(config.labelNames ?? [])];
  }

  /** The increment-by-one function of one label set. */
  recorder(labels: Labels<T> = {}): () => void {
    const key = seriesKey(this.names, labels);
    let s = this.series.get(key);
    if (s === undefined) {
      s = { labels: cleanLabels(this.names, labels), value: 0 };
      this.series.set(key, s);
    }
    const series = s;
    return () => {
      series.value += 1;
    };
  }

  override async get(): Promise<MetricObjectWithValues<MetricValue<T>>> {
    const base = await super.get();
    const values: MetricValue<T>[] = [...base.values];
    for (const s of this.series.values()) values.push({ labels: { ...s.labels } as MetricValue<T>['labels'], value: s.value });
    return { ...base, values };
  }
}
