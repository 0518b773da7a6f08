import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { maxOrNull, roundFigures, summariseTarget, throughputRatio } from './figures.js';
import type { ResourceFigures } from './figures.js';
import type { LoadRoundRaw } from './ipc-messages.js';

const resources: ResourceFigures = { startupRssKiB: 1500, idleRssKiB: 1000, loadedRssKiB: 2000, cpuPercent: 95, loadGeneratorCpuPercent: 60 };

function round(requests: number, durationSeconds: number, latencyBuckets: [number, number][], extra: Partial<LoadRoundRaw> = {}): LoadRoundRaw {
  return { requests, durationSeconds, non2xx: 0, errors: 0, timeouts: 0, statusCounts: { '200': requests }, latency: latencyBuckets, ...extra };
}

void describe('figures', () => {
  void it('takes throughput as all requests over all measured seconds', () => {
    const t = summariseTarget([round(1000, 10, [[50, 1000]]), round(3000, 10, [[60, 3000]])], resources);
    assert.equal(t.requestsPerSecond, 200);
    assert.deepEqual(t.roundRequestsPerSecond, [100, 300]);
    assert.equal(t.requests, 4000);
  });

  void it('adds up error counts and status codes across rounds', () => {
    const t = summariseTarget(
      [
        round(10, 1, [[50, 10]], { non2xx: 2, errors: 1, timeouts: 1, statusCounts: { '200': 8, '503': 2 } }),
        round(10, 1, [[50, 10]], { non2xx: 1, errors: 0, statusCounts: { '200': 9, '503': 1 } }),
      ],
      resources,
    );
    assert.equal(t.non2xx, 3);
    assert.equal(t.errors, 1);
    assert.equal(t.timeouts, 1);
    assert.deepEqual(t.statusCounts, { '200': 17, '503': 3 });
  });

  void it('takes percentiles from the merged latency of every round', () => {
    const t = summariseTarget([round(99, 1, [[10, 99]]), round(1, 1, [[100, 1]])], resources);
    assert.equal(t.p50Ms, 0.01);
    assert.equal(t.p99Ms, 0.01);
    assert.equal(summariseTarget([round(98, 1, [[10, 98]]), round(2, 1, [[100, 2]])], resources).p99Ms, 0.1);
  });

  void it('passes the resource figures through', () => {
    const t = summariseTarget([round(1, 1, [[1, 1]])], resources);
    assert.equal(t.idleRssKiB, 1000);
    assert.equal(t.loadedRssKiB, 2000);
    assert.equal(t.cpuPercent, 95);
  });

  void it('reports zero throughput and null percentiles when nothing was measured', () => {
    const t = summariseTarget([], resources);
    assert.equal(t.requestsPerSecond, 0);
    assert.equal(t.p50Ms, null);
    assert.equal(roundFigures('bare', 1, round(5, 0, [])).requestsPerSecond, 0);
  });

  void it('divides Coffer throughput by bare throughput, and gives null when bare served nothing', () => {
    assert.equal(throughputRatio(500, 1000), 0.5);
    assert.equal(throughputRatio(500, 0), null);
    assert.equal(throughputRatio(Number.NaN, 10), null);
  });

  void it('takes the largest sample, ignoring missing ones', () => {
    assert.equal(maxOrNull([null, 3, 7, null, 5]), 7);
    assert.equal(maxOrNull([null]), null);
  });
});
