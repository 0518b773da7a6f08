import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Counter, Histogram, Registry } from 'prom-client';
import { RecorderCounter, RecorderHistogram } from './recorder-metrics.js';

const BUCKETS = [0.001, 0.01, 0.1, 1];
const observations: [string, string, number][] = [
  ['read', 'secret/', 0.0004],
  ['read', 'secret/', 0.001],
  ['read', 'secret/', 0.05],
  ['update', 'kv/', 3],
  ['read', 'secret/', 0.2],
  ['update', 'kv/', 0.0099],
];

/** The same observations through prom-client's own classes and through the recorders. */
async function bothRegistries(): Promise<{ plain: Registry; fast: Registry }> {
  const plain = new Registry();
  const fast = new Registry();
  for (const r of [plain, fast]) r.setDefaultLabels({ host: 'h1' });
  const ph = new Histogram({ name: 'lat_seconds', help: 'latency', labelNames: ['operation', 'mount'], buckets: BUCKETS, registers: [plain] });
  const pc = new Counter({ name: 'req_count', help: 'requests', labelNames: ['operation', 'mount'], registers: [plain] });
  const fh = new RecorderHistogram({ name: 'lat_seconds', help: 'latency', labelNames: ['operation', 'mount'], buckets: BUCKETS, registers: [fast] });
  const fc = new RecorderCounter({ name: 'req_count', help: 'requests', labelNames: ['operation', 'mount'], registers: [fast] });
  for (const [operation, mount, v] of observations) {
    ph.observe({ operation, mount }, v);
    pc.inc({ operation, mount });
    fh.recorder({ operation, mount })(v);
    fc.recorder({ operation, mount })();
  }
  return { plain, fast };
}

describe('recorder metrics', () => {
  it('print exactly what prom-client prints for the same observations', async () => {
    const { plain, fast } = await bothRegistries();
    assert.equal(await fast.metrics(), await plain.metrics());
  });

  it('give the same JSON as prom-client', async () => {
    const { plain, fast } = await bothRegistries();
    assert.deepEqual(await fast.getMetricsAsJSON(), await plain.getMetricsAsJSON());
  });

  it('share one series between recorders of the same labels, and ignore non-finite values', async () => {
    const reg = new Registry();
    const h = new RecorderHistogram({ name: 'x_seconds', help: 'x', labelNames: ['outcome'], buckets: [1], registers: [reg] });
    h.recorder({ outcome: 'ok' })(0.5);
    h.recorder({ outcome: 'ok' })(2);
    h.recorder({ outcome: 'ok' })(Number.NaN);
    const text = await reg.metrics();
    assert.match(text, /x_seconds_bucket\{le="1",outcome="ok"\} 1/);
    assert.match(text, /x_seconds_bucket\{le="\+Inf",outcome="ok"\} 2/);
    assert.match(text, /x_seconds_sum\{outcome="ok"\} 2\.5/);
    assert.match(text, /x_seconds_count\{outcome="ok"\} 2/);
  });
});
