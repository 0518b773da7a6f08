// The read cache: shared conformance over inmem and sqlite, plus hit/evict/coherence behaviour.

import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { describePhysicalBackendConformance } from '../conformance.js';
import { createInmemBackend } from '../inmem/index.js';
import { createSqliteBackend } from '../sqlite/index.js';
import { hasTransactions } from '../types.js';
import type { Ciphertext, PhysicalBackend } from '../types.js';
import { createCachedBackend } from './index.js';

const text = (s: string): Ciphertext => new TextEncoder().encode(s) as Ciphertext;
const str = (v: Uint8Array | undefined): string | undefined => (v === undefined ? undefined : Buffer.from(v).toString());

/** An inner backend that counts gets and can hold them until the test releases them. */
function spyBackend() {
  const real = createInmemBackend();
  const held: (() => void)[] = [];
  let gets = 0;
  let holdGets = false;
  const backend: PhysicalBackend = {
    async get(key) {
      gets++;
      const v = await real.get(key); // read now: the value as of the call
      if (holdGets) await new Promise<void>((r) => held.push(r));
      return v;
    },
    put: (k, v) => real.put(k, v),
    delete: (k) => real.delete(k),
    list: (p) => real.list(p),
    close: () => real.close(),
  };
  return {
    backend,
    gets: () => gets,
    hold: (on: boolean) => (holdGets = on),
    releaseAll: () => held.splice(0).forEach((r) => r()),
  };
}

let root = '';
let n = 0;
before(async () => {
  root = await mkdtemp(join(tmpdir(), 'coffer-cache-test-'));
});
after(async () => {
  await rm(root, { recursive: true, force: true });
});

describePhysicalBackendConformance('cached(inmem)', () =>
  Promise.resolve({ backend: createCachedBackend(createInmemBackend(), { maxEntries: 64 }) }),
);
describePhysicalBackendConformance('cached(inmem, tiny cache)', () =>
  Promise.resolve({ backend: createCachedBackend(createInmemBackend(), { maxEntries: 2 }) }),
);
describePhysicalBackendConformance('cached(sqlite)', async () => ({
  backend: createCachedBackend(await createSqliteBackend({ path: join(root, `db-${++n}`, 'c.db') }), {
    maxEntries: 64,
  }),
}));

describe('cached backend', () => {
  it('serves a repeated get from the cache, including a repeated miss', async () => {
    const spy = spyBackend();
    const b = createCachedBackend(spy.backend, { maxEntries: 10 });
    await spy.backend.put('k', text('v'));
    assert.equal(str(await b.get('k')), 'v');
    assert.equal(str(await b.get('k')), 'v');
    assert.equal(await b.get('missing'), undefined);
    assert.equal(await b.get('missing'), undefined);
    assert.equal(spy.gets(), 2);
    await b.close();
  });

  it('evicts the least recently used key beyond maxEntries', async () => {
    const spy = spyBackend();
    const b = createCachedBackend(spy.backend, { maxEntries: 2 });
    for (const k of ['a', 'b', 'c']) await spy.backend.put(k, text(k));
    await b.get('a');
    await b.get('b');
    await b.get('a'); // a is now more recent than b
    await b.get('c'); // evicts b
    const before = spy.gets();
    await b.get('a');
    await b.get('c');
    assert.equal(spy.gets(), before, 'a and c were cached');
    await b.get('b');
    assert.equal(spy.gets(), before + 1, 'b was evicted');
    await b.close();
  });

  it('caches the state a put or delete leaves, without reading it back', async () => {
    const spy = spyBackend();
    const b = createCachedBackend(spy.backend, { maxEntries: 10 });
    await b.put('k', text('one'));
    assert.equal(str(await b.get('k')), 'one');
    await b.delete('k');
    assert.equal(await b.get('k'), undefined);
    assert.equal(spy.gets(), 0);
    await b.close();
  });

  it('does not cache a value read while a write to the same key was in flight', async () => {
    const spy = spyBackend();
    const b = createCachedBackend(spy.backend, { maxEntries: 10 });
    await spy.backend.put('k', text('old'));
    spy.hold(true);
    const slowRead = b.get('k'); // reads "old", then waits
    await b.put('k', text('new'));
    spy.releaseAll();
    spy.hold(false);
    assert.equal(str(await slowRead), 'old');
    assert.equal(str(await b.get('k')), 'new', 'the stale read did not overwrite the cache');
    await b.close();
  });

  it('invalidates a key whose write failed', async () => {
    const real = createInmemBackend();
    let failPuts = false;
    const inner: PhysicalBackend = {
      get: (k) => real.get(k),
      put: (k, v) => (failPuts ? Promise.reject(new Error('disk full')) : real.put(k, v)),
      delete: (k) => real.delete(k),
      list: (p) => real.list(p),
      close: () => real.close(),
    };
    const b = createCachedBackend(inner, { maxEntries: 10 });
    await b.put('k', text('kept'));
    failPuts = true;
    await assert.rejects(b.put('k', text('lost')));
    assert.equal(str(await b.get('k')), 'kept');
    await b.close();
  });

  it('offers transaction exactly when the inner backend does, and caches its outcome', async () => {
    const spy = spyBackend();
    assert.equal(hasTransactions(createCachedBackend(spy.backend, { maxEntries: 1 })), false);
    const inner = createInmemBackend();
    const b = createCachedBackend(inner, { maxEntries: 10 });
    assert.ok(hasTransactions(b));
    await b.put('t/a', text('a'));
    assert.equal(str(await b.get('t/a')), 'a');
    await b.transaction([
      { op: 'delete', key: 't/a' },
      { op: 'put', key: 't/b', value: text('b1') },
      { op: 'put', key: 't/b', value: text('b2') },
    ]);
    assert.equal(await b.get('t/a'), undefined);
    assert.equal(str(await b.get('t/b')), 'b2');
    await b.close();
  });

  it('caches nothing with maxEntries 0, and refuses a negative size', async () => {
    const spy = spyBackend();
    const b = createCachedBackend(spy.backend, { maxEntries: 0 });
    await b.put('k', text('v'));
    await b.get('k');
    await b.get('k');
    assert.equal(spy.gets(), 2);
    await b.close();
    assert.throws(() => createCachedBackend(createInmemBackend(), { maxEntries: -1 }));
  });
});
