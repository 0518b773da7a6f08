// Specification of the lease storage keys and the in-memory due heap.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createDueHeap } from './due-heap.js';
import { bucketKey, escapeSegment, isValidLeaseId, parseBucketLeaf, recordKey, unescapeSegment } from './storage-layout.js';

describe('storage layout', () => {
  it('files an expiry entry under its hour and minute, carrying the due time and the escaped id', () => {
    const due = Date.UTC(2026, 0, 1, 10, 30, 15, 250);
    const key = bucketKey(due, 'database/creds/ro/abc');
    const hour = Math.floor(due / 3_600_000);
    const minute = Math.floor(due / 60_000);
    assert.equal(key, `bucket/${hour}/${minute}/${due}.database%2Fcreds%2Fro%2Fabc`);
    assert.deepEqual(parseBucketLeaf(key.split('/').pop()!), { due, id: 'database/creds/ro/abc' });
  });

  it('escapes ids reversibly, including percent signs', () => {
    for (const s of ['a/b', 'a%2Fb', '%', 'x/%25/y']) assert.equal(unescapeSegment(escapeSegment(s)), s);
    assert.ok(!escapeSegment('a/b/c').includes('/'));
  });

  it('rejects lease ids that could address keys outside the records folder', () => {
    for (const bad of ['', '/a', 'a/', 'a//b', '../count', 'a/./b', 'a/..']) {
      assert.equal(isValidLeaseId(bad), false, bad);
      assert.throws(() => recordKey(bad));
    }
    assert.equal(recordKey('auth/token/create/abc'), 'id/auth/token/create/abc');
  });

  it('ignores leaves that are not expiry entries', () => {
    assert.equal(parseBucketLeaf('junk'), undefined);
    assert.equal(parseBucketLeaf('.a'), undefined);
    assert.equal(parseBucketLeaf('12x.a'), undefined);
    assert.equal(parseBucketLeaf('12.a%2F%2Fb'), undefined);
  });
});

describe('due heap', () => {
  it('pops entries in due order', () => {
    const h = createDueHeap();
    const dues = [50, 10, 40, 10, 30, 20, 60, 0];
    dues.forEach((d, i) => h.push(d, `l${i}`));
    const out: number[] = [];
    for (let e = h.pop(); e; e = h.pop()) out.push(e.due);
    assert.deepEqual(out, [...dues].sort((a, b) => a - b));
    assert.equal(h.size, 0);
    assert.equal(h.peek(), undefined);
  });
});
