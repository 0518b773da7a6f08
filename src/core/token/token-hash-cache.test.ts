// Specification of the presented-token → hash memo and the record cache's bound.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createEntryCache } from './entry-cache.js';
import { createTokenHashCache } from './token-hash-cache.js';

describe('token hash cache', () => {
  it('remembers hashes and forgets a token by its hash', () => {
    const c = createTokenHashCache(10);
    c.set('hvs.a', 'h1');
    c.set('hvs.b', 'h2');
    assert.equal(c.get('hvs.a'), 'h1');
    c.forgetHash('h1');
    assert.equal(c.get('hvs.a'), undefined);
    assert.equal(c.get('hvs.b'), 'h2');
    c.clear();
    assert.equal(c.size, 0);
  });

  it('stays within its bound and drops the reverse index of what it evicts', () => {
    const c = createTokenHashCache(2);
    c.set('t1', 'h1');
    c.set('t2', 'h2');
    c.set('t3', 'h3');
    assert.equal(c.size, 2);
    assert.equal(c.get('t1'), undefined);
    c.forgetHash('h1'); // already gone: a no-op
    assert.equal(c.get('t2'), 'h2');
    assert.equal(c.get('t3'), 'h3');
  });
});

describe('token record cache', () => {
  it('evicts the oldest entry not used since it was last passed over', () => {
    const evicted: string[] = [];
    const c = createEntryCache<number>(2, (k) => evicted.push(k));
    c.set('a', 1);
    c.set('b', 2);
    c.get('a');
    c.set('c', 3);
    assert.deepEqual(evicted, ['b']);
    assert.equal(c.get('a'), 1);
    assert.equal(c.get('c'), 3);
    assert.equal(c.size, 2);
  });
});
