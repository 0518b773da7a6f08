// Specification of the compiled-ACL cache.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compileAcl, createAclCache, type Acl } from './index.js';

const counting = (): { build: () => Acl; count: () => number } => {
  let n = 0;
  return {
    build: () => {
      n++;
      return compileAcl([]);
    },
    count: () => n,
  };
};

describe('createAclCache', () => {
  it('builds once per policy set, ignoring order and duplicates', () => {
    const cache = createAclCache(10);
    const b = counting();
    const first = cache.get(['b', 'a'], '', b.build);
    assert.equal(cache.get(['a', 'b'], '', b.build), first);
    assert.equal(cache.get(['a', 'b', 'a'], '', b.build), first);
    assert.equal(b.count(), 1);
  });

  it('keeps separate entries per identity key', () => {
    const cache = createAclCache(10);
    const b = counting();
    const x = cache.get(['a'], 'entity-1', b.build);
    const y = cache.get(['a'], 'entity-2', b.build);
    assert.notEqual(x, y);
    assert.equal(b.count(), 2);
  });

  it('does not confuse policy names that join to the same text', () => {
    const cache = createAclCache(10);
    const b = counting();
    cache.get(['a,b'], '', b.build);
    cache.get(['a', 'b'], '', b.build);
    assert.equal(b.count(), 2);
  });

  it('invalidate() drops every entry', () => {
    const cache = createAclCache(10);
    const b = counting();
    cache.get(['a'], '', b.build);
    cache.invalidate();
    assert.equal(cache.size, 0);
    cache.get(['a'], '', b.build);
    assert.equal(b.count(), 2);
  });

  it('evicts the least recently used entry beyond maxEntries', () => {
    const cache = createAclCache(2);
    const b = counting();
    cache.get(['a'], '', b.build);
    cache.get(['b'], '', b.build);
    cache.get(['a'], '', b.build); // a is now most recent
    cache.get(['c'], '', b.build); // evicts b
    assert.equal(cache.size, 2);
    assert.equal(b.count(), 3);
    cache.get(['a'], '', b.build);
    assert.equal(b.count(), 3);
    cache.get(['b'], '', b.build);
    assert.equal(b.count(), 4);
  });

  it('does not cache a failed build', () => {
    const cache = createAclCache(2);
    assert.throws(() => cache.get(['a'], '', () => { throw new Error('boom'); }), /boom/);
    assert.equal(cache.size, 0);
  });

  it('with maxEntries 0 builds every time', () => {
    const cache = createAclCache(0);
    const b = counting();
    cache.get(['a'], '', b.build);
    cache.get(['a'], '', b.build);
    assert.equal(b.count(), 2);
  });
});
