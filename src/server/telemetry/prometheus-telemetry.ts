// Telemetry with prom-client: request counts and latencies by operation and mount, audit and
// storage latencies, seal state, lease and mount counts, and Node runtime metrics (heap, event-loop
// lag). Rendered for sys/metrics as Prometheus text or as go-metrics-style JSON.

import { hostname } from 'node:os';
import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import type { CoreGauges, CoreTelemetry } from '../../core/index.js';
import { CofferError } from '../../shared/index.js';
import { RecorderCounter, RecorderHistogram } from './recorder-metrics.js';

export interface TelemetryConfig {
  /** seconds; 0 disables the Prometheus format of sys/metrics (as in Vault). */
  prometheusRetentionTime: number;
  /** Leave the host name out of metric labels. */
  disableHostname: boolean;
}

export interface ServerTelemetry extends CoreTelemetry {
  /** Storage (physical backend) operation latency. */
  observeStorage(operation: string, seconds: number): void;
  /** Attaches the gauges read at scrape time (once the core exists). */
  bindGauges(gauges: CoreGauges): void;
}

const LATENCY_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

export function createPrometheusTelemetry(config: TelemetryConfig): ServerTelemetry {
  const registry = new Registry();
  if (!config.disableHostname) registry.setDefaultLabels({ host: hostname() });
  collectDefaultMetrics({ register: registry, prefix: 'vault_runtime_' });

  const requests = new RecorderCounter({ name: 'vault_core_handle_request_count', help: 'Logical requests handled, by operation, mount and outcome.', labelNames: ['operation', 'mount', 'outcome'], registers: [registry] });
  const requestLatency = new RecorderHistogram({ name: 'vault_core_handle_request_seconds', help: 'Time to handle a logical request.', labelNames: ['operation', 'mount'], buckets: LATENCY_BUCKETS, registers: [registry] });
  const auditLatency = new RecorderHistogram({ name: 'vault_audit_log_request_seconds', help: 'Time to record one audit entry on the enabled devices.', labelNames: ['outcome'], buckets: LATENCY_BUCKETS, registers: [registry] });
  const auditFailures = new Counter({ name: 'vault_audit_log_request_failure', help: 'Audit entries no device could record.', registers: [registry] });
  const storageLatency = new RecorderHistogram({ name: 'vault_storage_operation_seconds', help: 'Physical storage operation latency.', labelNames: ['operation'], buckets: LATENCY_BUCKETS, registers: [registry] });
  const children = new Map<string, { count: () => void; latency: (seconds: number) => void }>();
  // Series appear on first use, as prom-client's own do.
  let auditOk: ((seconds: number) => void) | undefined;
  let auditFailed: ((seconds: number) => void) | undefined;
  const storageOps = new Map<string, (seconds: number) => void>();
  let gauges: CoreGauges | undefined;
  new Gauge({
    name: 'vault_core_unsealed',
    help: '1 while the server is unsealed.',
    registers: [registry],
    collect() {
      this.set(gauges && !gauges.sealed() ? 1 : 0);
    },
  });
  new Gauge({
    name: 'vault_expire_num_leases',
    help: 'Live leases (secrets and tokens with a TTL).',
    registers: [registry],
    async collect() {
      this.set(gauges ? await gauges.leaseCount() : 0);
    },
  });
  new Gauge({
    name: 'vault_audit_devices',
    help: 'Enabled audit devices.',
    registers: [registry],
    collect() {
      this.set(gauges ? gauges.auditDevices() : 0);
    },
  });
  new Gauge({
    name: 'vault_core_mount_table_num_entries',
    help: 'Secrets engine and auth method mounts.',
    registers: [registry],
    collect() {
      this.set(gauges ? gauges.mounts() : 0);
    },
  });

  return {
    requestHandled(operation, mount, seconds, ok) {
      // Label lookups hash their values on every call; keep the children per label set.
      const key = `${operation}\u0000${mount}\u0000${ok ? 1 : 0}`;
      let c = children.get(key);
      if (c === undefined) {
        c = { count: requests.recorder({ operation, mount, outcome: ok ? 'success' : 'failure' }), latency: requestLatency.recorder({ operation, mount }) };
        if (children.size < 10_000) children.set(key, c);
      }
      c.count();
      c.latency(seconds);
    },
    auditLogged(seconds, ok) {
      if (ok) (auditOk ??= auditLatency.recorder({ outcome: 'success' }))(seconds);
      else {
        (auditFailed ??= auditLatency.recorder({ outcome: 'failure' }))(seconds);
        auditFailures.inc();
      }
    },
    observeStorage(operation, seconds) {
      let observe = storageOps.get(operation);
      if (observe === undefined) {
        observe = storageLatency.recorder({ operation });
        storageOps.set(operation, observe);
      }
      observe(seconds);
    },
    bindGauges(g) {
      gauges = g;
    },
    async render(format) {
      if (format === 'prometheus') {
        if (config.prometheusRetentionTime <= 0) throw new CofferError('invalid_request', 'prometheus is not enabled');
        return { contentType: registry.contentType, body: await registry.metrics() };
      }
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
