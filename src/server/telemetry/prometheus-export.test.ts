import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Counter, Histogram, Registry } from 'prom-client';
import { StoreCounter, StoreHistogram } from './metric-store.js';
import { createMetricsExport, ExportedCounter, ExportedHistogram } from './prometheus-export.js';

const BUCKETS = [0.001, 0.01, 0.1, 1];
const observations: [string, string, number][] = [
  ['read', 'secret/', 0.0004],
  ['read', 'secret/', 0.001],
  ['read', 'secret/', 0.05],
  ['update', 'kv/', 3],
  ['read', 'secret/', 0.2],
  ['update', 'kv/', 0.0099],
];

/** The same observations through prom-client's own classes and through the stores. */
function bothRegistries(): { plain: Registry; fast: Registry } {
  const plain = new Registry();
  const fast = new Registry();
  for (const r of [plain, fast]) r.setDefaultLabels({ host: 'h1' });
  const ph = new Histogram({ name: 'lat_seconds', help: 'latency', labelNames: ['operation', 'mount'], buckets: BUCKETS, registers: [plain] });
  const pc = new Counter({ name: 'req_count', help: 'requests', labelNames: ['operation', 'mount'], registers: [plain] });
  const pn = new Counter({ name: 'failures', help: 'failures', registers: [plain] });
  const sh = new StoreHistogram('lat_seconds', 'latency', ['operation', 'mount'], BUCKETS);
  const sc = new StoreCounter('req_count', 'requests', ['operation', 'mount']);
  const sn = new StoreCounter('failures', 'failures');
  new ExportedHistogram(sh, fast);
  new ExportedCounter(sc, fast);
  new ExportedCounter(sn, fast);
  for (const [operation, mount, v] of observations) {
    ph.observe({ operation, mount }, v);
    pc.inc({ operation, mount });
    sh.recorder({ operation, mount })(v);
    sc.recorder({ operation, mount })();
  }
  pn.inc();
  sn.recorder()();
  return { plain, fast };
}

describe('metrics export', () => {
  it('prints exactly what prom-client prints for the same observations', async () => {
    const { plain, fast } = bothRegistries();
    assert.equal(await fast.metrics(), await plain.metrics());
  });

  it('gives the same JSON as prom-client', async () => {
    const { plain, fast } = bothRegistries();
    assert.deepEqual(await fast.getMetricsAsJSON(), await plain.getMetricsAsJSON());
  });

  it('shares one series between recorders of the same labels, and ignores non-finite values', async () => {
    const reg = new Registry();
    const h = new StoreHistogram('x_seconds', 'x', ['outcome'], [1]);
    new ExportedHistogram(h, reg);
    h.recorder({ outcome: 'ok' })(0.5);
    h.recorder({ outcome: 'ok' })(2);
    h.recorder({ outcome: 'ok' })(Number.NaN);
    const text = await reg.metrics();
    assert.match(text, /x_seconds_bucket\{le="1",outcome="ok"\} 1/);
    assert.match(text, /x_seconds_bucket\{le="\+Inf",outcome="ok"\} 2/);
    assert.match(text, /x_seconds_sum\{outcome="ok"\} 2\.5/);
    assert.match(text, /x_seconds_count\{outcome="ok"\} 2/);
  });

  it('adds the gauges read at scrape time and Node runtime metrics', async () => {
    const out = createMetricsExport({
      counters: [],
      histograms: [],
      gauges: () => ({ sealed: () => false, leaseCount: () => Promise.resolve(7), auditDevices: () => 2, mounts: () => 5 }),
      disableHostname: true,
    });
    const { body } = await out.prometheus();
    assert.match(body, /^vault_core_unsealed 1$/m);
    assert.match(body, /^vault_expire_num_leases 7$/m);
    assert.match(body, /^vault_audit_devices 2$/m);
    assert.match(body, /^vault_core_mount_table_num_entries 5$/m);
    assert.match(body, /^vault_runtime_nodejs_heap_size_used_bytes \d+/m);
    const json = JSON.parse((await out.json()).body) as { Gauges: { Name: string; Value: number }[] };
    assert.equal(json.Gauges.find((g) => g.Name === 'vault_expire_num_leases')?.Value, 7);
  });
});
