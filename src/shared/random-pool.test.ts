// Specification of the pooled secure random source: every caller gets fresh bytes of the length
// asked for, across pool refills and for requests larger than the pool serves.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { secureRandomBytes, secureRandomFill } from './random-pool.js';

describe('secure random pool', () => {
  it('never hands out the same bytes twice, across several pool refills', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const b = secureRandomBytes(12);
      assert.equal(b.length, 12);
      const hex = b.toString('hex');
      assert.ok(!seen.has(hex), 'a 96-bit value repeated');
      seen.add(hex);
    }
  });

  it('fills only the requested window of a target buffer', () => {
    const target = Buffer.alloc(32, 0xaa);
    secureRandomFill(target, 8, 12);
    assert.deepEqual(target.subarray(0, 8), Buffer.alloc(8, 0xaa));
    assert.deepEqual(target.subarray(20), Buffer.alloc(12, 0xaa));
    assert.notDeepEqual(target.subarray(8, 20), Buffer.alloc(12, 0xaa));
  });

  it('serves requests larger than the pool directly', () => {
    const a = secureRandomBytes(8192);
    const b = secureRandomBytes(8192);
    assert.equal(a.length, 8192);
    assert.notDeepEqual(a, b);
  });
});
