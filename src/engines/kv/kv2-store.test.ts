import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Storage } from '../../sdk/index.js';
import { createMemoryStorage } from '../../sdk/index.js';
import { newSecretMeta } from './kv2-records.js';
import { createKv2Store, READ_CACHE_BYTES, READ_CACHE_ENTRIES, READ_CACHE_MAX_ENTRY_BYTES } from './kv2-store.js';
import { addVersion } from './kv2-versions.js';

/** Memory storage whose reads can be held until the test releases them (to stage races). */
function gatedStorage(): { storage: Storage; holdReads(): () => void; reads: () => number } {
  const inner = createMemoryStorage();
  let gate: Promise<void> | undefined;
  let reads = 0;
  return {
    storage: {
      async get(key) {
        reads++;
        const value = await inner.get(key);
        if (gate !== undefined) await gate;
        return value;
      },
      put: (k, v) => inner.put(k, v),
      delete: (k) => inner.delete(k),
      list: (p) => inner.list(p),
    },
    holdReads() {
      let release = (): void => undefined;
      gate = new Promise((r) => (release = r));
      return () => {
        gate = undefined;
        release();
      };
    },
    reads: () => reads,
  };
}

async function writeSecret(store: ReturnType<typeof createKv2Store>, path: string, data: Record<string, unknown>): Promise<number> {
  const meta = (await store.getMeta(path)) ?? newSecretMeta(1000);
  const { version } = addVersion(meta, await store.getConfig(), 1000 + meta.currentVersion);
  await store.putVersion(path, version, data);
  await store.putMeta(path, meta);
  return version;
}

describe('KV v2 store read cache', () => {
  it('serves repeated reads without touching storage, and hands out frozen records', async () => {
    const g = gatedStorage();
    const store = createKv2Store(g.storage);
    await writeSecret(store, 'app', { password: 'one', nested: { a: [1] } });
    const before = g.reads();
    const first = await store.readVersion('app', 1);
    const meta = await store.readMeta('app');
    assert.equal(g.reads(), before + 2);
    assert.equal(await store.readVersion('app', 1), first);
    assert.equal(await store.readMeta('app'), meta);
    assert.equal(g.reads(), before + 2);
    assert.ok(Object.isFrozen(first) && Object.isFrozen((first as { nested: object }).nested));
    assert.throws(() => {
      (first as Record<string, unknown>)['password'] = 'changed';
    }, TypeError);
    assert.throws(() => {
      (meta as { currentVersion: number }).currentVersion = 9;
    }, TypeError);
  });

  it('returns fresh, mutable records from getMeta and getVersion for writers', async () => {
    const store = createKv2Store(createMemoryStorage());
    await writeSecret(store, 'app', { password: 'one' });
    await store.readMeta('app');
    const meta = await store.getMeta('app');
    assert.ok(meta !== undefined && !Object.isFrozen(meta));
    meta.currentVersion = 7;
    assert.equal((await store.readMeta('app'))?.currentVersion, 1);
  });

  it('sees every write at once: metadata, new versions and deletions', async () => {
    const store = createKv2Store(createMemoryStorage());
    await writeSecret(store, 'app', { password: 'one' });
    assert.equal((await store.readMeta('app'))?.currentVersion, 1);
    await writeSecret(store, 'app', { password: 'two' });
    assert.equal((await store.readMeta('app'))?.currentVersion, 2);
    assert.deepEqual(await store.readVersion('app', 2), { password: 'two' });
    await store.deleteVersion('app', 2);
    assert.equal(await store.readVersion('app', 2), undefined);
    await store.deleteMeta('app');
    assert.equal(await store.readMeta('app'), undefined);
  });

  it('drops a racing reader’s result when a write completed during its storage read', async () => {
    const g = gatedStorage();
    const store = createKv2Store(g.storage);
    await writeSecret(store, 'app', { password: 'one' });
    const fresh = await store.getMeta('app');
    assert.ok(fresh !== undefined);
    const release = g.holdReads();
    const racing = store.readMeta('app');
    addVersion(fresh, await store.getConfig(), 2000);
    await store.putMeta('app', fresh);
    release();
    assert.equal((await racing)?.currentVersion, 1, 'the racing reader saw the old record');
    assert.equal((await store.readMeta('app'))?.currentVersion, 2, 'but did not cache it');
  });

  it('forgets everything on clearCache (the backend is unloaded on seal)', async () => {
    const g = gatedStorage();
    const store = createKv2Store(g.storage);
    await writeSecret(store, 'app', { password: 'one' });
    await store.readVersion('app', 1);
    store.clearCache();
    const before = g.reads();
    await store.readVersion('app', 1);
    assert.equal(g.reads(), before + 1);
  });

  it(`keeps at most ${READ_CACHE_ENTRIES} records per cache`, async () => {
    const g = gatedStorage();
    const store = createKv2Store(g.storage);
    for (let i = 0; i <= READ_CACHE_ENTRIES; i++) await store.storage.put(`_kv2/versions/s${i}/1`, new TextEncoder().encode('{"data":{"v":1}}'));
    for (let i = 0; i <= READ_CACHE_ENTRIES; i++) await store.readVersion(`s${i}`, 1);
    const before = g.reads();
    await store.readVersion('s0', 1);
    await store.readVersion(`s${READ_CACHE_ENTRIES}`, 1);
    assert.equal(g.reads(), before + 1, 'the oldest entry was evicted, the newest kept');
  });

  it(`never caches a record over ${READ_CACHE_MAX_ENTRY_BYTES} bytes`, async () => {
    const g = gatedStorage();
    const store = createKv2Store(g.storage);
    await writeSecret(store, 'big', { blob: 'x'.repeat(READ_CACHE_MAX_ENTRY_BYTES) });
    await store.readVersion('big', 1);
    const before = g.reads();
    await store.readVersion('big', 1);
    assert.equal(g.reads(), before + 1);
  });

  it(`keeps at most ${READ_CACHE_BYTES} stored bytes per cache, evicting the oldest`, async () => {
    const g = gatedStorage();
    const store = createKv2Store(g.storage);
    const perRecord = READ_CACHE_MAX_ENTRY_BYTES - 100;
    const fit = Math.floor(READ_CACHE_BYTES / perRecord);
    const payload = new TextEncoder().encode(JSON.stringify({ data: { v: 'y'.repeat(perRecord - 20) } }));
    for (let i = 0; i <= fit; i++) await store.storage.put(`_kv2/versions/b${i}/1`, payload);
    for (let i = 0; i <= fit; i++) await store.readVersion(`b${i}`, 1);
    const before = g.reads();
    await store.readVersion(`b${fit}`, 1);
    assert.equal(g.reads(), before, 'the newest record is cached');
    await store.readVersion('b0', 1);
    assert.equal(g.reads(), before + 1, 'the oldest was evicted to stay within the byte bound');
  });
});
