// The Prometheus side of telemetry, loaded on the first sys/metrics request: a prom-client
// registry whose counters and histograms read the plain series of metric-store.ts, plus the
// gauges read at scrape time and Node's runtime metrics (heap, event-loop lag, GC), which start
// being collected here. Renders Prometheus text or go-metrics-style JSON.

import { hostname } from 'node:os';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { MetricObjectWithValues, MetricValue } from 'prom-client';
import type { CoreGauges } from '../../core/index.js';
import type { StoreCounter, StoreHistogram } from './metric-store.js';

/** A prom-client Counter whose series are a StoreCounter's. */
export class ExportedCounter extends Counter {
  constructor(
    private readonly source: StoreCounter,
    registry: Registry,
  ) {
    super({ name: source.name, help: source.help, labelNames: [...source.labelNames], registers: [registry] });
  }

  override async get(): Promise<MetricObjectWithValues<MetricValue<string>>> {
    const base = await super.get();
    const values = [...this.source.series()].map((s) => ({ labels: { ...s.labels }, value: s.value }));
    return { ...base, values };
  }
}

/** What prom-client's registry reads from a histogram (its typings give `type` as a numeric enum; at run time it is this string). */
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

/** A prom-client Histogram whose series are a StoreHistogram's. */
export class ExportedHistogram extends Histogram {
  constructor(
    private readonly source: StoreHistogram,
    registry: Registry,
  ) {
    super({ name: source.name, help: source.help, labelNames: [...source.labelNames], buckets: [...source.buckets], registers: [registry] });
  }

  /**
   * The series as prom-client's registry reads them: its text output calls this, and the
   * inherited get() (JSON output) calls it too before flattening labels. The shape is the one
   * prom-client's own histograms give: `le` in labels, the series' labels shared.
   */
  async getForPromString(): Promise<PromStringMetric> {
    const { name, help, buckets } = this.source;
    const values: PromStringValue[] = [];
    for (const s of this.source.series()) {
      const shared = { ...s.labels };
      let cumulative = 0;
      buckets.forEach((bound, i) => {
        cumulative += s.buckets[i] ?? 0;
        values.push({ labels: { le: bound }, sharedLabels: shared, value: cumulative, metricName: `${name}_bucket`, exemplar: null });
      });
      values.push({ labels: { le: '+Inf' }, sharedLabels: shared, value: s.count, metricName: `${name}_bucket`, exemplar: null });
      values.push({ labels: {}, sharedLabels: shared, value: s.sum, metricName: `${name}_sum`, exemplar: undefined });
      values.push({ labels: {}, sharedLabels: shared, value: s.count, metricName: `${name}_count`, exemplar: undefined });
    }
    return Promise.resolve({ name, help, type: 'histogram', values, aggregator: 'sum' });
  }
}

export interface ExportSources {
  counters: readonly StoreCounter[];
  histograms: readonly StoreHistogram[];
  gauges: () => CoreGauges | undefined;
  disableHostname: boolean;
}

export interface MetricsExport {
  prometheus(): Promise<{ contentType: string; body: string }>;
  json(): Promise<{ contentType: string; body: string }>;
}

export function createMetricsExport(src: ExportSources): MetricsExport {
  const registry = new Registry();
  if (!src.disableHostname) registry.setDefaultLabels({ host: hostname() });
  collectDefaultMetrics({ register: registry, prefix: 'vault_runtime_' });
  for (const c of src.counters) new ExportedCounter(c, registry);
  for (const h of src.histograms) new ExportedHistogram(h, registry);
  const gauge = (name: string, help: string, read: (g: CoreGauges) => number | Promise<number>): void => {
    new Gauge({
      name,
      help,
      registers: [registry],
      async collect() {
        const g = src.gauges();
        this.set(g ? await read(g) : 0);
      },
    });
  };
  gauge('vault_core_unsealed', '1 while the server is unsealed.', (g) => (g.sealed() ? 0 : 1));
  gauge('vault_expire_num_leases', 'Live leases (secrets and tokens with a TTL).', (g) => g.leaseCount());
  gauge('vault_audit_devices', 'Enabled audit devices.', (g) => g.auditDevices());
  gauge('vault_core_mount_table_num_entries', 'Secrets engine and auth method mounts.', (g) => g.mounts());

  return {
    async prometheus() {
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
    async json() {
      return { contentType: 'application/json', body: JSON.stringify(goMetricsJson(await registry.getMetricsAsJSON())) };
    },
  };
}

type MetricJson = Awaited<ReturnType<Registry['getMetricsAsJSON']>>[number];

/** go-metrics' in-memory sink shape (Vault's default sys/metrics format). */
function goMetricsJson(metrics: MetricJson[]): Record<string, unknown> {
  const gauges: unknown[] = [];
  const counters: unknown[] = [];
  const samples: unknown[] = [];
  for (const m of metrics) {
    // prom-client's typings say enum, its runtime says 'counter' | 'gauge' | 'histogram' | 'summary'.
    const type: string = String(m.type);
    const values = (m as { values?: { value: number; labels: Record<string, string | number>; metricName?: string }[] }).values ?? [];
    for (const v of values) {
      const name = v.metricName ?? m.name;
      const labels = Object.entries(v.labels).map(([Name, Value]) => ({ Name, Value: String(Value) }));
      if (type === 'gauge') gauges.push({ Name: name, Value: v.value, Labels: Object.fromEntries(labels.map((l) => [l.Name, l.Value])) });
      else if (type === 'counter') counters.push({ Name: name, Count: v.value, Sum: v.value, Labels: Object.fromEntries(labels.map((l) => [l.Name, l.Value])) });
      else if (name.endsWith('_sum') || name.endsWith('_count')) samples.push({ Name: name, Value: v.value, Labels: Object.fromEntries(labels.map((l) => [l.Name, l.Value])) });
    }
  }
  return { Timestamp: new Date().toISOString(), Gauges: gauges, Counters: counters, Samples: samples, Points: [] };
}
