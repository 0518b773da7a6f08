// Specification of automatic expiry: timers, retries with backoff, the irrevocable state,
// restarts over the same storage, lazy loading of later buckets and revoke/expiry races.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Storage } from '../../sdk/index.js';
import { createHarness, createMemoryStorage, secretLease } from './testkit.js';

const MIN = 60_000;
const HOUR = 60 * MIN;

describe('expiry', () => {
  it('revokes a lease when its expire time passes, not before', async () => {
    const h = createHarness();
    await h.mgr.start();
    const lease = await h.mgr.register(secretLease({ ttl: 60 }));
    await h.advance(59_999);
    assert.deepEqual(h.revokeCalls, []);
    await h.advance(1);
    assert.deepEqual(h.revokeCalls, [lease.id]);
    assert.equal(await h.mgr.lookup(lease.id), undefined);
    assert.equal(await h.mgr.count(), 0);
    assert.deepEqual(h.storage.keys(), ['count']);
  });

  it('revokes many leases due at the same instant in batches', async () => {
    const h = createHarness({ deps: { batchSize: 7 } });
    await h.mgr.start();
    for (let i = 0; i < 100; i++) await h.mgr.register(secretLease({ ttl: 30 }));
    await h.advance(30_000);
    assert.equal(h.revokeCalls.length, 100);
    assert.equal(new Set(h.revokeCalls).size, 100);
    assert.equal(await h.mgr.count(), 0);
  });

  it('retries a failing revocation with exponential backoff, marks it irrevocable, and keeps retrying at the longest backoff', async () => {
    const h = createHarness(); // backoff 1 s, 2 s, 4 s (max 4 s), 4 attempts
    await h.mgr.start();
    let down = true;
    h.onRevoke = async () => {
      if (down) throw new Error('database down');
    };
    const lease = await h.mgr.register(secretLease({ ttl: 10 }));
    await h.advance(10_000);
    assert.equal(h.revokeCalls.length, 1);
    let rec = await h.mgr.lookup(lease.id);
    assert.equal(rec?.revokeAttempts, 1);
    assert.equal(rec?.retryAt, h.clock.now() + 1_000);
    await h.advance(999);
    assert.equal(h.revokeCalls.length, 1);
    await h.advance(1);
    assert.equal(h.revokeCalls.length, 2);
    await h.advance(2_000);
    assert.equal(h.revokeCalls.length, 3);
    await h.advance(3_999);
    assert.equal(h.revokeCalls.length, 3);
    await h.advance(1);
    assert.equal(h.revokeCalls.length, 4);
    rec = await h.mgr.lookup(lease.id);
    const since = h.clock.now();
    assert.deepEqual(rec?.irrevocable, { error: 'database down', since });
    assert.equal(rec?.revokeAttempts, 4);
    assert.deepEqual((await h.mgr.irrevocable()).map((l) => l.id), [lease.id]);
    // Irrevocable is what lookups show; attempts go on every 4 s, also across a restart.
    await h.advance(4_000);
    assert.equal(h.revokeCalls.length, 5);
    assert.equal((await h.mgr.lookup(lease.id))?.irrevocable?.since, since, 'the first failure time is kept');
    h.restart();
    await h.mgr.start();
    await h.advance(4_000);
    assert.ok(h.revokeCalls.length >= 6);
    // The database comes back: the next attempt revokes it and clears every index.
    down = false;
    await h.advance(4_000);
    assert.equal(await h.mgr.lookup(lease.id), undefined);
    assert.deepEqual(await h.mgr.irrevocable(), []);
    await h.mgr.whenIdle();
    assert.deepEqual(h.storage.keys(), ['count']);
  });

  it('stops retrying once a retry succeeds', async () => {
    const h = createHarness();
    await h.mgr.start();
    let failures = 2;
    h.onRevoke = async () => {
      if (failures-- > 0) throw new Error('flaky');
    };
    const lease = await h.mgr.register(secretLease({ ttl: 5 }));
    await h.advance(5_000);
    await h.advance(1_000);
    await h.advance(2_000);
    assert.equal(h.revokeCalls.length, 3);
    assert.equal(await h.mgr.lookup(lease.id), undefined);
  });

  it('after a restart revokes leases that expired while down and schedules the rest', async () => {
    const h = createHarness();
    await h.mgr.start();
    const ttls = [60, 30 * 60, 2 * 3600, 24 * 3600];
    const leases = [];
    for (const ttl of ttls) leases.push(await h.mgr.register(secretLease({ ttl })));
    await h.mgr.whenIdle();
    h.mgr.stop();
    assert.equal(h.timers.pending(), 0);
    h.clock.advance(HOUR);
    const mgr = h.restart();
    await mgr.start();
    await mgr.whenIdle();
    assert.deepEqual([...h.revokeCalls].sort(), [leases[0]!.id, leases[1]!.id].sort());
    assert.equal(await mgr.count(), 2);
    await h.advance(HOUR);
    assert.equal(h.revokeCalls.at(-1), leases[2]!.id);
    await h.advance(22 * HOUR);
    assert.equal(h.revokeCalls.at(-1), leases[3]!.id);
    assert.equal(await mgr.count(), 0);
  });

  it('does nothing while stopped (sealed)', async () => {
    const h = createHarness();
    await h.mgr.start();
    await h.mgr.register(secretLease({ ttl: 60 }));
    h.mgr.stop();
    assert.equal(h.timers.pending(), 0);
    await h.advance(HOUR);
    assert.deepEqual(h.revokeCalls, []);
  });

  it('loads only the near-future buckets at start and later ones as the clock advances', async () => {
    const storage = createMemoryStorage();
    const listed: string[] = [];
    const spy: typeof storage = {
      ...storage,
      list: async (prefix) => {
        listed.push(prefix);
        return storage.list(prefix);
      },
    };
    const h = createHarness({ storage: spy });
    await h.mgr.start();
    // 288 leases, one every 5 minutes over a day.
    for (let i = 1; i <= 288; i++) await h.mgr.register(secretLease({ ttl: i * 300 }));
    await h.mgr.whenIdle();
    const mgr = h.restart();
    listed.length = 0;
    await mgr.start();
    await mgr.whenIdle();
    const minuteLists = listed.filter((p) => /^bucket\/\d+\/\d+\/$/.test(p));
    assert.ok(minuteLists.length <= 12, `start listed ${minuteLists.length} minute buckets`);
    assert.ok(!listed.some((p) => p.startsWith('id/')), 'start must not scan lease records');
    // Step through the day: every lease is revoked within a minute-granular step of its expiry.
    for (let step = 1; step <= 288; step++) {
      await h.advance(5 * MIN);
      assert.equal(h.revokeCalls.length, step);
    }
    assert.equal(await mgr.count(), 0);
  });

  it('picks up a lease registered into an already loaded bucket', async () => {
    const h = createHarness();
    await h.mgr.start();
    await h.advance(5 * MIN);
    const lease = await h.mgr.register(secretLease({ ttl: 7 * 60 }));
    await h.advance(7 * MIN);
    assert.deepEqual(h.revokeCalls, [lease.id]);
  });

  it('revokes once when an explicit revoke races the expiry timer', async () => {
    const h = createHarness();
    await h.mgr.start();
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    let entered!: () => void;
    const inRevoke = new Promise<void>((r) => {
      entered = r;
    });
    h.onRevoke = () => {
      entered();
      return gate;
    };
    const lease = await h.mgr.register(secretLease({ ttl: 60 }));
    h.clock.advance(60_000);
    h.timers.runDue();
    await inRevoke; // the expiry is inside deps.revoke
    const explicit = h.mgr.revoke(lease.id);
    release();
    await assert.rejects(explicit, (e: unknown) => e instanceof Error && e.message === 'invalid lease');
    await h.mgr.whenIdle();
    assert.deepEqual(h.revokeCalls, [lease.id]);
  });

  it('revokes once when the expiry timer fires during an explicit revoke', async () => {
    const h = createHarness();
    await h.mgr.start();
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    let entered!: () => void;
    const inRevoke = new Promise<void>((r) => {
      entered = r;
    });
    h.onRevoke = () => {
      entered();
      return gate;
    };
    const lease = await h.mgr.register(secretLease({ ttl: 60 }));
    const explicit = h.mgr.revoke(lease.id);
    await inRevoke; // the explicit revoke is inside deps.revoke
    h.clock.advance(60_000);
    h.timers.runDue();
    release();
    await explicit;
    await h.mgr.whenIdle();
    assert.deepEqual(h.revokeCalls, [lease.id]);
    assert.deepEqual(h.storage.keys(), ['count']);
  });

  it('does not revoke a lease renewed while its expiry was waiting for the lock', async () => {
    const h = createHarness();
    await h.mgr.start();
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    let entered!: () => void;
    const inRenew = new Promise<void>((r) => {
      entered = r;
    });
    h.onRenew = async (_l, increment) => {
      entered();
      await gate;
      return { ttl: increment };
    };
    const lease = await h.mgr.register(secretLease({ ttl: 60 }));
    h.clock.advance(59_000);
    const renewing = h.mgr.renew(lease.id, 600);
    await inRenew; // the renewal holds the lease's lock
    h.clock.advance(1_000);
    h.timers.runDue();
    release();
    await renewing;
    await h.mgr.whenIdle();
    assert.deepEqual(h.revokeCalls, []);
    await h.advance(600_000);
    assert.deepEqual(h.revokeCalls, [lease.id]);
  });

  it('loads a bucket again after a storage failure while loading it', async () => {
    const h = createHarness();
    await h.mgr.start();
    const lease = await h.mgr.register(secretLease({ ttl: 3 * 3600 }));
    h.storage.failLists((p) => /^bucket\/\d+\/\d+\/$/.test(p));
    await h.advance(3 * HOUR);
    assert.deepEqual(h.revokeCalls, []);
    h.storage.failLists(undefined);
    await h.advance(5_000);
    assert.deepEqual(h.revokeCalls, [lease.id]);
  });

  it('resumes the overdue sweep after a storage failure', async () => {
    const h = createHarness();
    await h.mgr.start();
    const lease = await h.mgr.register(secretLease({ ttl: 60 }));
    await h.mgr.whenIdle();
    h.mgr.stop();
    h.clock.advance(HOUR);
    h.restart();
    h.storage.failLists((p) => p === 'bucket/');
    await h.mgr.start();
    await h.mgr.whenIdle();
    assert.deepEqual(h.revokeCalls, []);
    h.storage.failLists(undefined);
    await h.advance(5_000);
    assert.deepEqual(h.revokeCalls, [lease.id]);
  });

  it('rejects start() when storage fails, and can be started again', async () => {
    const h = createHarness();
    h.storage.failLists(() => true);
    await assert.rejects(h.mgr.start());
    h.storage.failLists(undefined);
    await h.mgr.start();
    const lease = await h.mgr.register(secretLease({ ttl: 60 }));
    await h.advance(60_000);
    assert.deepEqual(h.revokeCalls, [lease.id]);
  });

  it('drops a dangling expiry entry whose record is gone', async () => {
    const storage = createMemoryStorage();
    const h = createHarness({ storage });
    await h.mgr.start();
    const lease = await h.mgr.register(secretLease({ ttl: 60 }));
    await (storage as Storage).delete(`id/${lease.id}`);
    await h.advance(60_000);
    assert.deepEqual(h.revokeCalls, []);
    assert.deepEqual(storage.keys().filter((k) => k.startsWith('bucket/')), []);
  });
});
