// Telemetry: request counts and latencies by operation and mount, audit and storage latencies,
// seal state, lease and mount counts, and Node runtime metrics (heap, event-loop lag). Requests
// record into plain series (metric-store.ts); prom-client is loaded on the first sys/metrics
// request (prometheus-export.ts), so a server nobody scrapes never holds it in memory.

import type { CoreGauges, CoreTelemetry } from '../../core/index.js';
import { CofferError } from '../../shared/index.js';
import { StoreCounter, StoreHistogram } from './metric-store.js';
import type { MetricsExport } from './prometheus-export.js';

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
  const requests = new StoreCounter('vault_core_handle_request_count', 'Logical requests handled, by operation, mount and outcome.', ['operation', 'mount', 'outcome']);
  const requestLatency = new StoreHistogram('vault_core_handle_request_seconds', 'Time to handle a logical request.', ['operation', 'mount'], LATENCY_BUCKETS);
  const auditLatency = new StoreHistogram('vault_audit_log_request_seconds', 'Time to record one audit entry on the enabled devices.', ['outcome'], LATENCY_BUCKETS);
  const auditFailures = new StoreCounter('vault_audit_log_request_failure', 'Audit entries no device could record.');
  const storageLatency = new StoreHistogram('vault_storage_operation_seconds', 'Physical storage operation latency.', ['operation'], LATENCY_BUCKETS);

  const children = new Map<string, { count: () => void; latency: (seconds: number) => void }>();
  // Series appear on first use, as prom-client's own do.
  let auditOk: ((seconds: number) => void) | undefined;
  let auditFailed: ((seconds: number) => void) | undefined;
  const auditFailure = auditFailures.recorder();
  const storageOps = new Map<string, (seconds: number) => void>();
  let gauges: CoreGauges | undefined;
  let exporter: Promise<MetricsExport> | undefined;
  const exported = (): Promise<MetricsExport> =>
    (exporter ??= import('./prometheus-export.js').then((m) =>
      m.createMetricsExport({
        counters: [requests, auditFailures],
        histograms: [requestLatency, auditLatency, storageLatency],
        gauges: () => gauges,
        disableHostname: config.disableHostname,
      }),
    ));

  return {
    requestHandled(operation, mount, seconds, ok) {
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
        auditFailure();
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
        return (await exported()).prometheus();
      }
      return (await exported()).json();
    },
  };
}
