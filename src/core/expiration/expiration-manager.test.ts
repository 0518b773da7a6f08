// Specification of the lease operations: register, lookup, list, renew, revoke, revoke-prefix,
// revoke-by-token, tidy and count.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CofferError } from '../../shared/index.js';
import { createHarness, secretLease } from './testkit.js';

const isCode = (code: string, message?: string) => (e: unknown): boolean => {
  assert.ok(e instanceof CofferError, `expected a CofferError, got ${String(e)}`);
  assert.equal(e.code, code);
  if (message !== undefined) assert.equal(e.message, message);
  return true;
};

describe('expiration manager: register, lookup, list', () => {
  it('creates ids as <request path>/<random url-safe id> and persists the terms', async () => {
    const h = createHarness();
    await h.mgr.start();
    const t0 = h.clock.now();
    const lease = await h.mgr.register(secretLease({ ttl: 120, maxTtl: 3600 }));
    assert.match(lease.id, /^database\/creds\/ro\/[A-Za-z0-9_-]{24}$/);
    assert.equal(lease.issueTime, t0);
    assert.equal(lease.expireTime, t0 + 120_000);
    assert.equal(lease.lastRenewal, null);
    assert.deepEqual(await h.mgr.lookup(lease.id), lease);
    assert.equal(await h.mgr.lookup('database/creds/ro/nope'), undefined);
    assert.equal(await h.mgr.lookup('../count'), undefined);
  });

  it('lists one level of lease ids, folders ending in "/"', async () => {
    const h = createHarness();
    await h.mgr.start();
    const a = await h.mgr.register(secretLease());
    const b = await h.mgr.register(secretLease());
    await h.mgr.register(secretLease({ idPrefix: 'database/creds/rw', path: 'database/creds/rw' }));
    assert.deepEqual(await h.mgr.list('database/'), ['creds/']);
    assert.deepEqual(await h.mgr.list('database/creds/'), ['ro/', 'rw/']);
    const suffixes = [a.id, b.id].map((id) => id.split('/').pop()!).sort();
    assert.deepEqual(await h.mgr.list('database/creds/ro/'), suffixes);
    assert.deepEqual(await h.mgr.list('nothing/'), []);
    await assert.rejects(h.mgr.list('database'), isCode('invalid_request'));
  });

  it('indexes secret leases by expiry bucket and by token, token leases by expiry only', async () => {
    const h = createHarness();
    await h.mgr.start();
    const s = await h.mgr.register(secretLease());
    const t = await h.mgr.register(secretLease({ idPrefix: 'auth/token/create', path: 'auth/token/create', kind: 'token', tokenId: 'tok-self' }));
    const keys = h.storage.keys();
    assert.ok(keys.includes(`id/${s.id}`));
    assert.ok(keys.includes(`id/${t.id}`));
    assert.equal(keys.filter((k) => k.startsWith('bucket/')).length, 2);
    assert.deepEqual(keys.filter((k) => k.startsWith('by-token/')), [`by-token/tok-a/${s.id.replace(/\//g, '%2F')}`]);
  });

  it('counts leases cheaply and persists the count', async () => {
    const h = createHarness();
    await h.mgr.start();
    for (let i = 0; i < 5; i++) await h.mgr.register(secretLease());
    const one = await h.mgr.register(secretLease());
    await h.mgr.revoke(one.id);
    assert.equal(await h.mgr.count(), 5);
    await h.mgr.whenIdle();
    const again = h.restart();
    assert.equal(await again.count(), 5);
  });

  it('throws and leaves nothing behind when the lease cannot be stored', async () => {
    const h = createHarness();
    await h.mgr.start();
    h.storage.failPuts((k) => k.startsWith('id/'));
    await assert.rejects(h.mgr.register(secretLease()));
    h.storage.failPuts(undefined);
    await h.mgr.whenIdle();
    assert.deepEqual(h.storage.keys().filter((k) => k !== 'count'), []);
    assert.equal(await h.mgr.count(), 0);
  });
});

describe('expiration manager: renew', () => {
  it('extends from now by the increment and moves the expiry index', async () => {
    const h = createHarness();
    await h.mgr.start();
    const lease = await h.mgr.register(secretLease({ ttl: 60 }));
    await h.advance(30_000);
    const renewed = await h.mgr.renew(lease.id, 300);
    assert.equal(renewed.expireTime, h.clock.now() + 300_000);
    assert.equal(renewed.ttl, 300);
    assert.equal(renewed.lastRenewal, h.clock.now());
    assert.deepEqual(h.renewCalls, [{ id: lease.id, increment: 300 }]);
    assert.deepEqual(await h.mgr.lookup(lease.id), renewed);
    assert.equal(h.storage.keys().filter((k) => k.startsWith('bucket/')).length, 1);
    // The old expiry passes without revocation; the new one revokes.
    await h.advance(60_000);
    assert.deepEqual(h.revokeCalls, []);
    await h.advance(240_000);
    assert.deepEqual(h.revokeCalls, [lease.id]);
  });

  it("uses the lease's ttl when the increment is 0", async () => {
    const h = createHarness();
    await h.mgr.start();
    const lease = await h.mgr.register(secretLease({ ttl: 90 }));
    await h.advance(10_000);
    const renewed = await h.mgr.renew(lease.id, 0);
    assert.equal(renewed.expireTime, h.clock.now() + 90_000);
    assert.equal(h.renewCalls[0]?.increment, 90);
  });

  it('never extends past issueTime + maxTtl', async () => {
    const h = createHarness();
    await h.mgr.start();
    const lease = await h.mgr.register(secretLease({ ttl: 60, maxTtl: 100 }));
    await h.advance(50_000);
    const renewed = await h.mgr.renew(lease.id, 3600);
    assert.equal(renewed.expireTime, lease.issueTime + 100_000);
    assert.equal(renewed.ttl, 50);
    assert.equal(h.renewCalls[0]?.increment, 50);
  });

  it('caps what the engine grants by maxTtl as well', async () => {
    const h = createHarness();
    await h.mgr.start();
    h.onRenew = async () => ({ ttl: 10_000, data: { password: 'new' } });
    const lease = await h.mgr.register(secretLease({ ttl: 60, maxTtl: 120 }));
    const renewed = await h.mgr.renew(lease.id, 60);
    assert.equal(renewed.expireTime, lease.issueTime + 120_000);
    assert.deepEqual(renewed.data, { password: 'new' });
  });

  it('rejects a lease that is not renewable, unknown or already expired', async () => {
    const h = createHarness();
    await h.mgr.start();
    const fixed = await h.mgr.register(secretLease({ renewable: false }));
    await assert.rejects(h.mgr.renew(fixed.id, 10), isCode('invalid_request', 'lease is not renewable'));
    await assert.rejects(h.mgr.renew('database/creds/ro/unknown', 10), isCode('invalid_request', 'invalid lease'));
    h.onRevoke = async () => {
      throw new Error('database down');
    };
    const pending = await h.mgr.register(secretLease({ ttl: 1 }));
    await h.advance(1_000);
    await assert.rejects(h.mgr.renew(pending.id, 10), isCode('invalid_request', 'lease expired'));
    assert.equal(h.renewCalls.length, 0);
  });

  it('propagates an engine renew error and leaves the lease unchanged', async () => {
    const h = createHarness();
    await h.mgr.start();
    h.onRenew = async () => {
      throw new CofferError('invalid_request', 'role no longer exists');
    };
    const lease = await h.mgr.register(secretLease());
    await assert.rejects(h.mgr.renew(lease.id, 10), isCode('invalid_request', 'role no longer exists'));
    assert.deepEqual(await h.mgr.lookup(lease.id), lease);
  });
});

describe('expiration manager: revoke', () => {
  it('calls the revoke handler, then deletes the record and every index entry', async () => {
    const h = createHarness();
    await h.mgr.start();
    const lease = await h.mgr.register(secretLease());
    await h.mgr.revoke(lease.id);
    assert.deepEqual(h.revokeCalls, [lease.id]);
    assert.equal(await h.mgr.lookup(lease.id), undefined);
    await h.mgr.whenIdle();
    assert.deepEqual(h.storage.keys(), ['count']);
    await h.advance(120_000);
    assert.deepEqual(h.revokeCalls, [lease.id]);
  });

  it('rejects an unknown lease with invalid lease', async () => {
    const h = createHarness();
    await h.mgr.start();
    await assert.rejects(h.mgr.revoke('database/creds/ro/unknown'), isCode('invalid_request', 'invalid lease'));
    await assert.rejects(h.mgr.revoke('a//b'), isCode('invalid_request', 'invalid lease'));
  });

  it('keeps the lease when the handler fails, and deletes it anyway with force', async () => {
    const h = createHarness();
    await h.mgr.start();
    h.onRevoke = async () => {
      throw new Error('database down');
    };
    const lease = await h.mgr.register(secretLease());
    await assert.rejects(h.mgr.revoke(lease.id), isCode('internal'));
    assert.ok(await h.mgr.lookup(lease.id));
    await h.mgr.revoke(lease.id, { force: true });
    assert.equal(await h.mgr.lookup(lease.id), undefined);
    assert.equal(await h.mgr.count(), 0);
  });

  it('keeps retrying a failed explicit revocation in the background until it succeeds', async () => {
    const h = createHarness();
    await h.mgr.start();
    let down = true;
    h.onRevoke = async () => {
      if (down) throw new Error('database down');
    };
    const lease = await h.mgr.register(secretLease({ ttl: 3600 }));
    await assert.rejects(h.mgr.revoke(lease.id), isCode('internal'));
    const pending = await h.mgr.lookup(lease.id);
    assert.equal(pending?.revokeAttempts, 1);
    assert.equal(pending?.expireTime, h.clock.now(), 'the lease is treated as expired');
    await h.advance(1_000);
    assert.ok(await h.mgr.lookup(lease.id), 'still failing: still there');
    down = false;
    await h.advance(2_000);
    assert.equal(await h.mgr.lookup(lease.id), undefined);
  });
});

describe('expiration manager: revoke-prefix', () => {
  it('revokes every lease under the prefix, at any depth, and nothing else', async () => {
    const h = createHarness();
    await h.mgr.start();
    const ro = [await h.mgr.register(secretLease()), await h.mgr.register(secretLease())];
    const deep = await h.mgr.register(secretLease({ idPrefix: 'database/creds/ro/x' }));
    const other = await h.mgr.register(secretLease({ idPrefix: 'database/creds/rw' }));
    const res = await h.mgr.revokePrefix('database/creds/ro');
    assert.equal(res.revoked, 3);
    assert.deepEqual([...h.revokeCalls].sort(), [...ro.map((l) => l.id), deep.id].sort());
    assert.ok(await h.mgr.lookup(other.id));
    assert.equal(await h.mgr.count(), 1);
  });

  it('revokes the single lease whose id equals the prefix', async () => {
    const h = createHarness();
    await h.mgr.start();
    const a = await h.mgr.register(secretLease());
    const b = await h.mgr.register(secretLease());
    assert.deepEqual(await h.mgr.revokePrefix(a.id), { revoked: 1 });
    assert.deepEqual(h.revokeCalls, [a.id]);
    assert.ok(await h.mgr.lookup(b.id));
  });

  it('reports failures without force and ignores them with force', async () => {
    const h = createHarness({ deps: { batchSize: 2 } });
    await h.mgr.start();
    const bad = await h.mgr.register(secretLease({ internal: { fail: true } }));
    for (let i = 0; i < 4; i++) await h.mgr.register(secretLease());
    h.onRevoke = async (l) => {
      if (l.internal?.['fail'] === true) throw new Error('database down');
    };
    await assert.rejects(h.mgr.revokePrefix('database/'), isCode('invalid_request'));
    assert.deepEqual(await h.mgr.list('database/creds/ro/'), [bad.id.split('/').pop()!]);
    assert.deepEqual(await h.mgr.revokePrefix('database/', { force: true }), { revoked: 1 });
    assert.deepEqual(await h.mgr.list('database/'), []);
  });
});

describe('expiration manager: revoke-by-token', () => {
  it("revokes every secret lease the token created and only those", async () => {
    const h = createHarness();
    await h.mgr.start();
    const mine = [await h.mgr.register(secretLease({ tokenId: 'tok/a' })), await h.mgr.register(secretLease({ tokenId: 'tok/a', idPrefix: 'aws/creds/x' }))];
    const theirs = await h.mgr.register(secretLease({ tokenId: 'tok-b' }));
    assert.deepEqual(await h.mgr.revokeByToken('tok/a'), { revoked: 2, deferred: 0 });
    assert.deepEqual([...h.revokeCalls].sort(), mine.map((l) => l.id).sort());
    assert.ok(await h.mgr.lookup(theirs.id));
    assert.deepEqual(await h.mgr.revokeByToken('tok/a'), { revoked: 0, deferred: 0 });
  });

  it('expires a lease whose revocation fails and retries it with backoff', async () => {
    const h = createHarness();
    await h.mgr.start();
    let down = true;
    h.onRevoke = async () => {
      if (down) throw new Error('database down');
    };
    const lease = await h.mgr.register(secretLease({ ttl: 3600 }));
    assert.deepEqual(await h.mgr.revokeByToken('tok-a'), { revoked: 0, deferred: 1 });
    const pending = await h.mgr.lookup(lease.id);
    assert.equal(pending?.expireTime, h.clock.now());
    assert.equal(pending?.revokeAttempts, 1);
    down = false;
    await h.advance(1_000);
    assert.equal(await h.mgr.lookup(lease.id), undefined);
    assert.equal(h.revokeCalls.length, 2);
  });
});

describe('expiration manager: tidy', () => {
  it('removes dangling index entries, restores missing ones and recounts', async () => {
    const h = createHarness();
    await h.mgr.start();
    const keep = await h.mgr.register(secretLease());
    const gone = await h.mgr.register(secretLease());
    const bucketOf = (id: string): string => h.storage.keys().find((k) => k.startsWith('bucket/') && k.endsWith(id.split('/').pop()!))!;
    // Simulate crashes: a record without its expiry entry, and indexes without a record.
    const lostIndex = bucketOf(keep.id);
    await h.storage.delete(lostIndex);
    await h.storage.delete(`id/${gone.id}`);
    await h.storage.put('by-token/tok-z/x%2Fy', new Uint8Array(0));
    const report = await h.mgr.tidy();
    assert.deepEqual(report, { removed: 3, repaired: 1, leases: 1 });
    assert.ok(h.storage.keys().includes(lostIndex));
    assert.equal(await h.mgr.count(), 1);
    // The repaired lease still expires.
    await h.advance(60_000);
    assert.deepEqual(h.revokeCalls, [keep.id]);
  });
});
