import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { bucketOf, bucketValueMicros, createHistogram, mergeHistograms, percentileMs } from './histogram.js';

void describe('latency histogram', () => {
  void it('keeps every value below 128 µs exact', () => {
    for (const v of [0, 1, 57, 127]) assert.equal(bucketValueMicros(bucketOf(v)), v);
  });

  void it('keeps larger values within 1 % of the truth', () => {
    for (const v of [128, 129, 1000, 4321, 99_999, 1_234_567, 10_000_000]) {
      const back = bucketValueMicros(bucketOf(v));
      assert.ok(Math.abs(back - v) / v < 0.01, `${v} came back as ${back}`);
    }
  });

  void it('orders buckets as it orders values', () => {
    let previous = -1;
    for (let v = 0; v < 300_000; v += 7) {
      const b = bucketOf(v);
      assert.ok(b >= previous, `bucket of ${v} went backwards`);
      previous = b;
    }
  });

  void it('computes nearest-rank percentiles in milliseconds', () => {
    const h = createHistogram();
    for (let i = 1; i <= 100; i++) h.recordMs(i / 1000); // 1..100 µs, all exact
    const s = h.serialize();
    assert.equal(h.count, 100);
    assert.equal(percentileMs(s, 50), 0.05);
    assert.equal(percentileMs(s, 99), 0.099);
    assert.equal(percentileMs(s, 100), 0.1);
    assert.equal(percentileMs(s, 0.1), 0.001);
  });

  void it('answers null for an empty histogram and rejects percentiles outside (0, 100]', () => {
    assert.equal(percentileMs([], 50), null);
    assert.throws(() => percentileMs([[1, 1]], 0), RangeError);
    assert.throws(() => percentileMs([[1, 1]], 101), RangeError);
  });

  void it('merges rounds so percentiles cover all samples, not an average of percentiles', () => {
    const fast = createHistogram();
    const slow = createHistogram();
    for (let i = 0; i < 90; i++) fast.recordMs(0.01);
    for (let i = 0; i < 10; i++) slow.recordMs(0.1);
    const merged = mergeHistograms([fast.serialize(), slow.serialize()]);
    assert.deepEqual(merged, [
      [10, 90],
      [100, 10],
    ]);
    assert.equal(percentileMs(merged, 50), 0.01);
    assert.equal(percentileMs(merged, 90), 0.01);
    assert.equal(percentileMs(merged, 91), 0.1);
  });
});
