// Specification of the barrier's in-memory cache of decrypted entries: hot reads skip the
// cipher, writes and deletes are never hidden by it, a read racing a write never installs a stale
// value, and sealing zeroes it.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CofferError, createManualClock } from '../shared/index.js';
import { createPlaintextCache } from './plaintext-cache.js';
import { createSealManager } from './seal-manager.js';
import type { PhysicalBackend } from './physical.js';
import { createMapPhysical } from './test-physical.js';

const enc = new TextEncoder();
const dec = new TextDecoder();

async function unsealed(physical: PhysicalBackend = createMapPhysical()) {
  const manager = await createSealManager({ physical, clock: createManualClock() });
  const { shares } = await manager.initialize({ secretShares: 1, secretThreshold: 1 });
  await manager.submitUnsealKey(shares[0]!);
  return { manager, storage: manager.storage() };
}

/** A physical backend that counts reads and can hold one get until released. */
function countingPhysical() {
  const inner = createMapPhysical();
  let gets = 0;
  let hold: { key: string; release: Promise<void> } | undefined;
  const physical: PhysicalBackend = {
    async get(key) {
      gets++;
      const value = await inner.get(key);
      if (hold?.key === key) await hold.release;
      return value;
    },
    put: (k, v) => inner.put(k, v),
    delete: (k) => inner.delete(k),
    list: (p) => inner.list(p),
    close: () => inner.close(),
  };
  return {
    physical,
    inner,
    gets: () => gets,
    holdNextGet(key: string): () => void {
      let release = (): void => undefined;
      hold = { key, release: new Promise<void>((r) => (release = r)) };
      return () => {
        hold = undefined;
        release();
      };
    },
  };
}

void describe('barrier plaintext cache', () => {
  void it('answers a repeated read from memory, as a private copy the caller may change', async () => {
    const c = countingPhysical();
    const { storage } = await unsealed(c.physical);
    await storage.put('a', enc.encode('value'));
    const before = c.gets();
    const first = await storage.get('a');
    const second = await storage.get('a');
    assert.equal(c.gets() - before, 1);
    first!.fill(0);
    assert.equal(dec.decode(second), 'value');
    assert.equal(dec.decode(await storage.get('a')), 'value');
  });

  void it('never serves a value replaced or deleted through the barrier', async () => {
    const { storage } = await unsealed();
    await storage.put('a', enc.encode('one'));
    assert.equal(dec.decode(await storage.get('a')), 'one');
    await storage.put('a', enc.encode('two'));
    assert.equal(dec.decode(await storage.get('a')), 'two');
    await storage.delete('a');
    assert.equal(await storage.get('a'), undefined);
  });

  void it('does not install the old value when a read raced a write of the same key', async () => {
    const c = countingPhysical();
    const { storage } = await unsealed(c.physical);
    await storage.put('a', enc.encode('old'));
    const release = c.holdNextGet('a');
    const slowRead = storage.get('a');
    await storage.put('a', enc.encode('new'));
    release();
    assert.equal(dec.decode(await slowRead), 'old');
    assert.equal(dec.decode(await storage.get('a')), 'new');
  });

  void it('refuses cached reads once sealed and zeroes what it held', async () => {
    const { manager, storage } = await unsealed();
    await storage.put('a', enc.encode('secret'));
    await storage.get('a');
    manager.seal();
    await assert.rejects(storage.get('a'), (e: unknown) => e instanceof CofferError && e.code === 'sealed');
  });

  void it('zeroes entries it evicts and wipes, and caches nothing when disabled', () => {
    const cache = createPlaintextCache({ maxEntries: 1, maxBytes: 1024, maxEntryBytes: 1024 });
    const a = Uint8Array.from([1, 2, 3]);
    const handedOut = cache.offer('a', a, cache.generation);
    assert.notEqual(handedOut, a);
    assert.deepEqual(handedOut, Uint8Array.from([1, 2, 3]));
    cache.offer('b', Uint8Array.from([4]), cache.generation);
    assert.equal(cache.get('a'), undefined);
    assert.deepEqual(a, new Uint8Array(3));
    const b = cache.get('b');
    assert.deepEqual(b, Uint8Array.from([4]));
    cache.wipe();
    assert.equal(cache.get('b'), undefined);

    const off = createPlaintextCache({ maxEntries: 0, maxBytes: 0, maxEntryBytes: 0 });
    const x = Uint8Array.from([9]);
    assert.equal(off.offer('x', x, off.generation), x);
    assert.equal(off.get('x'), undefined);
  });

  void it('skips entries larger than the per-entry bound and offers made before a write', () => {
    const cache = createPlaintextCache({ maxEntries: 10, maxBytes: 1024, maxEntryBytes: 4 });
    cache.offer('big', new Uint8Array(5), cache.generation);
    assert.equal(cache.get('big'), undefined);
    const gen = cache.generation;
    cache.invalidate('other');
    cache.offer('late', Uint8Array.from([1]), gen);
    assert.equal(cache.get('late'), undefined);
  });
});
