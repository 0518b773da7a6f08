// Specification of the token store: trees and orphans, uses, TTLs, periods, batch tokens,
// accessors and what reaches storage.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CofferError } from '../../shared/index.js';
import type { CreateContext, CreateTokenParams } from './token-create.js';
import type { TokenEntry } from './token-entry.js';
import { createHarness } from './token-test-harness.js';
import type { Harness } from './token-test-harness.js';

const HOUR = 3600;
const MIN = 60;
const ctx = (extra: Partial<CreateContext> = {}): CreateContext => ({ path: 'auth/token/create', sudo: false, ...extra });

async function child(h: Harness, parent: TokenEntry, params: CreateTokenParams = {}, extra: Partial<CreateContext> = {}): Promise<{ token: string; entry: TokenEntry }> {
  return h.store.create(parent, params, ctx({ sudo: parent.policies.includes('root'), ...extra }));
}

function rejectsWith(message: string | RegExp): (e: unknown) => boolean {
  return (e) => {
    assert.ok(e instanceof CofferError, `expected a CofferError, got ${String(e)}`);
    if (typeof message === 'string') assert.equal(e.message, message);
    else assert.match(e.message, message);
    return true;
  };
}

describe('token store', () => {
  describe('trees and orphans', () => {
    it('revokes a token together with its children and grandchildren, leaves first', async () => {
      const h = await createHarness();
      const a = await child(h, h.root, { policies: ['web'] });
      const b = await child(h, a.entry, { policies: ['web'] });
      const c = await child(h, b.entry, {});
      await h.store.revoke(a.entry);
      for (const t of [a, b, c]) assert.equal(await h.store.lookup(t.token), undefined);
      assert.ok(await h.store.lookup(h.rootToken));
      assert.deepEqual(
        h.revoked.map((e) => e.idHash),
        [c.entry.idHash, b.entry.idHash, a.entry.idHash],
      );
      assert.equal([...h.storage.data.keys()].filter((k) => k.startsWith('parent/')).length, 0);
    });

    it('refuses a token at once after it is revoked, even one just looked up (and so remembered)', async () => {
      const h = await createHarness();
      const a = await child(h, h.root, { policies: ['web'] });
      const b = await child(h, a.entry, { policies: ['web'] });
      assert.ok(await h.store.lookup(a.token));
      assert.ok(await h.store.lookup(b.token));
      assert.ok(await h.store.lookup(b.token));
      await h.store.revoke(a.entry);
      assert.equal(await h.store.lookup(a.token), undefined);
      assert.equal(await h.store.lookup(b.token), undefined);
    });

    it('keeps orphans alive when their creator is revoked', async () => {
      const h = await createHarness();
      const a = await child(h, h.root, { policies: ['web'] });
      const orphan = await child(h, a.entry, { policies: ['web'] }, { path: 'auth/token/create-orphan', orphan: true });
      assert.equal(orphan.entry.orphan, true);
      assert.equal(orphan.entry.parent, '');
      await h.store.revoke(a.entry);
      assert.equal(await h.store.lookup(a.token), undefined);
      assert.ok(await h.store.lookup(orphan.token));
    });

    it('revoke-orphan revokes only the token and turns its children into orphans', async () => {
      const h = await createHarness();
      const a = await child(h, h.root, { policies: ['web'] });
      const b = await child(h, a.entry, {});
      const c = await child(h, b.entry, {});
      await h.store.revokeOrphan(a.entry);
      assert.equal(await h.store.lookup(a.token), undefined);
      const b2 = await h.store.lookup(b.token);
      assert.ok(b2);
      assert.equal(b2.parent, '');
      assert.equal(b2.orphan, true);
      assert.ok(await h.store.lookup(c.token));
      // b is now a tree root of its own: revoking it still takes c.
      await h.store.revoke(b2);
      assert.equal(await h.store.lookup(c.token), undefined);
    });

    it('refuses to create a child under a parent revoked meanwhile, leaving nothing behind', async () => {
      const h = await createHarness();
      const a = await child(h, h.root, { policies: ['web'] });
      await h.store.revoke(a.entry);
      const before = h.storage.data.size;
      await assert.rejects(child(h, a.entry, {}), (e) => e instanceof CofferError && e.code === 'permission_denied');
      assert.equal(h.storage.data.size, before);
    });

    it('requires root or sudo for no_parent but not for create-orphan', async () => {
      const h = await createHarness();
      const a = await child(h, h.root, { policies: ['web'] });
      await assert.rejects(child(h, a.entry, { noParent: true }), rejectsWith('root or sudo privileges required to create orphan token'));
      const o = await child(h, h.root, { noParent: true });
      assert.equal(o.entry.orphan, true);
    });
  });

  describe('policies', () => {
    it('refuses to let a non-root token grant policies it lacks', async () => {
      const h = await createHarness();
      const a = await child(h, h.root, { policies: ['web'] });
      await assert.rejects(child(h, a.entry, { policies: ['db'] }), rejectsWith('child policies must be subset of parent'));
      await assert.rejects(child(h, a.entry, { policies: ['root'] }), rejectsWith('child policies must be subset of parent'));
      const ok = await child(h, a.entry, { policies: ['web', 'default'] });
      assert.deepEqual(ok.entry.policies, ['default', 'web']);
      const bySudo = await child(h, a.entry, { policies: ['db'] }, { sudo: true });
      assert.deepEqual(bySudo.entry.policies, ['db', 'default']);
      await assert.rejects(child(h, a.entry, { policies: ['root'] }, { sudo: true }), rejectsWith('root tokens may not be created without parent token being root'));
    });

    it('inherits the parent policies when none are asked for; a root parent gives a non-expiring root child', async () => {
      const h = await createHarness();
      const r = await child(h, h.root, {});
      assert.deepEqual(r.entry.policies, ['root']);
      assert.equal(r.entry.ttl, 0);
      assert.equal(r.entry.expireTime, 0);
      const a = await child(h, h.root, { policies: ['web', 'web', ' db '] });
      assert.deepEqual(a.entry.policies, ['db', 'default', 'web']);
      const b = await child(h, a.entry, {});
      assert.deepEqual(b.entry.policies, ['db', 'default', 'web']);
    });

    it('adds the default policy unless no_default_policy is set', async () => {
      const h = await createHarness();
      const a = await child(h, h.root, { policies: ['web'], noDefaultPolicy: true });
      assert.deepEqual(a.entry.policies, ['web']);
      const b = await child(h, a.entry, {});
      assert.deepEqual(b.entry.policies, ['default', 'web']);
      const c = await child(h, b.entry, { noDefaultPolicy: true });
      assert.deepEqual(c.entry.policies, ['web']);
    });

    it('forbids an expiring root token from creating a non-expiring one', async () => {
      const h = await createHarness();
      const r = await child(h, h.root, { ttl: HOUR });
      assert.equal(r.entry.ttl, HOUR);
      await assert.rejects(child(h, r.entry, {}), rejectsWith('expiring root tokens cannot create non-expiring root tokens'));
    });

    it('allows a custom id only for root or sudo callers, and only once', async () => {
      const h = await createHarness();
      const a = await child(h, h.root, { policies: ['web'] });
      await assert.rejects(child(h, a.entry, { id: 'mine' }), rejectsWith('root or sudo privileges required to specify token id'));
      await assert.rejects(child(h, h.root, { id: 'has.dot' }), rejectsWith(/period/));
      const t = await child(h, h.root, { id: 'mine', policies: ['web'] });
      assert.equal(t.token, 'mine');
      assert.ok(await h.store.lookup('mine'));
      await assert.rejects(child(h, h.root, { id: 'mine' }), rejectsWith('cannot create a token with a duplicate ID'));
    });

    it('refuses a negative num_uses and period from callers without sudo', async () => {
      const h = await createHarness();
      const a = await child(h, h.root, { policies: ['web'] });
      await assert.rejects(child(h, h.root, { numUses: -1 }), rejectsWith('number of uses cannot be negative'));
      await assert.rejects(child(h, a.entry, { period: HOUR }), rejectsWith('root or sudo privileges required to create periodic token'));
    });
  });

  describe('uses', () => {
    it('counts num_uses down and kills the token after its last use', async () => {
      const h = await createHarness();
      const t = await child(h, h.root, { policies: ['web'], numUses: 3 });
      const u1 = await h.store.use(t.entry);
      assert.equal(u1.entry.numUses, 2);
      assert.equal(u1.exhausted, false);
      const u2 = await h.store.use((await h.store.lookup(t.token)) ?? assert.fail('token gone early'));
      assert.equal(u2.entry.numUses, 1);
      const u3 = await h.store.use((await h.store.lookup(t.token)) ?? assert.fail('token gone early'));
      assert.equal(u3.exhausted, true);
      // Unusable at once, before anyone revokes it.
      assert.equal(await h.store.lookup(t.token), undefined);
      await assert.rejects(h.store.use(t.entry), (e) => e instanceof CofferError && e.code === 'permission_denied');
      await h.store.revoke(t.entry);
      assert.equal(h.storage.data.has(`id/${t.entry.idHash}`), false);
    });

    it('never lets two concurrent requests spend the same last use', async () => {
      const h = await createHarness();
      const t = await child(h, h.root, { policies: ['web'], numUses: 1 });
      const results = await Promise.allSettled([h.store.use(t.entry), h.store.use(t.entry)]);
      assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
    });

    it('forbids limited-use tokens from creating children', async () => {
      const h = await createHarness();
      const t = await child(h, h.root, { policies: ['web'], numUses: 5 });
      await assert.rejects(child(h, t.entry, {}), rejectsWith('restricted use token cannot generate child tokens'));
    });
  });

  describe('TTLs', () => {
    it('treats a token as invalid the moment its TTL runs out, before any cleanup, and across restarts', async () => {
      const h = await createHarness();
      const t = await child(h, h.root, { policies: ['web'], ttl: HOUR });
      h.clock.advance((HOUR - 1) * 1000);
      assert.ok(await h.store.lookup(t.token));
      assert.ok(await h.restart().lookup(t.token));
      h.clock.advance(1000);
      assert.equal(await h.store.lookup(t.token), undefined);
      assert.equal(await h.restart().lookup(t.token), undefined);
      assert.ok(h.storage.data.has(`id/${t.entry.idHash}`), 'still stored: only tidy/expiry removes it');
    });

    it('defaults the TTL to the mount default and caps it at the mount max with a warning', async () => {
      const h = await createHarness();
      h.ttls.defaultLeaseTtl = 2 * HOUR;
      h.ttls.maxLeaseTtl = 4 * HOUR;
      const d = await child(h, h.root, { policies: ['web'] });
      assert.equal(d.entry.ttl, 2 * HOUR);
      const capped = await h.store.create(h.root, { policies: ['web'], ttl: 10 * HOUR }, ctx({ sudo: true }));
      assert.equal(capped.entry.ttl, 4 * HOUR);
      assert.deepEqual(capped.warnings, ['TTL of "10h0m0s" exceeded the effective max_ttl of "4h0m0s"; TTL value is capped accordingly']);
    });

    it('renews ordinary tokens up to the mount max counted from creation', async () => {
      const h = await createHarness();
      h.ttls.maxLeaseTtl = 3 * HOUR;
      const t = await child(h, h.root, { policies: ['web'], ttl: HOUR });
      h.clock.advance(50 * MIN * 1000);
      const r1 = await h.store.renew(t.entry, 0);
      assert.equal(r1.ttl, HOUR, 'no increment renews by the token TTL');
      assert.equal(r1.entry.lastRenewal, h.clock.now());
      h.clock.advance(50 * MIN * 1000);
      const r2 = await h.store.renew(r1.entry, 5 * HOUR);
      assert.equal(r2.ttl, 3 * HOUR - 100 * MIN);
      assert.equal(r2.warnings.length, 1);
      const looked = await h.store.lookup(t.token);
      assert.equal(looked?.expireTime, r2.entry.expireTime, 'the cache reflects the renewal');
      h.clock.advance(r2.ttl * 1000);
      assert.equal(await h.store.lookup(t.token), undefined);
      await assert.rejects(h.store.renew(r2.entry, 0), rejectsWith('token not found'));
    });

    it('caps renewals at explicit_max_ttl', async () => {
      const h = await createHarness();
      const t = await child(h, h.root, { policies: ['web'], ttl: HOUR, explicitMaxTtl: 90 * MIN });
      h.clock.advance(50 * MIN * 1000);
      const r = await h.store.renew(t.entry, HOUR);
      assert.equal(r.ttl, 40 * MIN);
      h.clock.advance(40 * MIN * 1000 - 1);
      assert.ok(await h.store.lookup(t.token));
      h.clock.advance(1);
      assert.equal(await h.store.lookup(t.token), undefined);
    });

    it('renews periodic tokens to their period, past the mount max, ignoring the increment', async () => {
      const h = await createHarness();
      h.ttls.maxLeaseTtl = 2 * HOUR;
      const t = await child(h, h.root, { policies: ['web'], period: HOUR, ttl: 5 * MIN });
      assert.equal(t.entry.ttl, HOUR);
      assert.equal(t.entry.period, HOUR);
      let entry = t.entry;
      for (let i = 0; i < 6; i++) {
        h.clock.advance(50 * MIN * 1000);
        const r = await h.store.renew(entry, 10 * HOUR);
        assert.equal(r.ttl, HOUR);
        entry = r.entry;
      }
      assert.ok(await h.store.lookup(t.token), 'alive after 5 hours, well past the 2h max');
      h.clock.advance(HOUR * 1000);
      assert.equal(await h.store.lookup(t.token), undefined, 'dies when not renewed within its period');
    });

    it('caps periodic tokens by explicit_max_ttl', async () => {
      const h = await createHarness();
      const t = await child(h, h.root, { policies: ['web'], period: HOUR, explicitMaxTtl: 90 * MIN });
      h.clock.advance(50 * MIN * 1000);
      const r = await h.store.renew(t.entry, 0);
      assert.equal(r.ttl, 40 * MIN);
      h.clock.advance(40 * MIN * 1000);
      await assert.rejects(h.store.renew(r.entry, 0), rejectsWith('token not found'));
    });

    it('refuses to renew non-renewable and non-expiring tokens', async () => {
      const h = await createHarness();
      const t = await child(h, h.root, { policies: ['web'], renewable: false });
      await assert.rejects(h.store.renew(t.entry, 0), rejectsWith('lease is not renewable'));
      await assert.rejects(h.store.renew(h.root, 0), rejectsWith('lease is not renewable'));
    });
  });

  describe('batch tokens', () => {
    it('issues hvb. tokens that are not stored, cannot be renewed, revoked or have children, and expire', async () => {
      const h = await createHarness();
      const before = new Set(h.storage.data.keys());
      const b = await h.store.create(h.root, { policies: ['web'], type: 'batch', ttl: HOUR }, ctx({ sudo: true }));
      assert.match(b.token, /^hvb\./);
      assert.equal(b.entry.type, 'batch');
      assert.equal(b.entry.accessor, '');
      assert.equal(b.entry.renewable, false);
      const added = [...h.storage.data.keys()].filter((k) => !before.has(k));
      assert.ok(added.every((k) => k === 'batch-key'), `unexpected keys ${added.join(',')}`);
      const looked = await h.store.lookup(b.token);
      assert.deepEqual(looked?.policies, ['default', 'web']);
      await assert.rejects(h.store.renew(b.entry, 0), rejectsWith('batch tokens cannot be renewed'));
      await assert.rejects(h.store.revoke(b.entry), rejectsWith('batch tokens cannot be revoked'));
      await assert.rejects(child(h, b.entry, {}), rejectsWith('batch tokens cannot create more tokens'));
      h.clock.advance(HOUR * 1000);
      assert.equal(await h.store.lookup(b.token), undefined);
    });

    it('rejects tampered batch tokens and root, periodic or limited-use batch tokens', async () => {
      const h = await createHarness();
      const b = await h.store.create(h.root, { policies: ['web'], type: 'batch' }, ctx({ sudo: true }));
      const flipped = b.token.slice(0, -2) + (b.token.endsWith('A') ? 'BB' : 'AA');
      assert.equal(await h.store.lookup(flipped), undefined);
      assert.equal(await h.store.lookup('hvb.garbage'), undefined);
      await assert.rejects(h.store.create(h.root, { type: 'batch' }, ctx({ sudo: true })), rejectsWith('batch tokens cannot be root tokens'));
      await assert.rejects(h.store.create(h.root, { policies: ['web'], type: 'batch', period: HOUR }, ctx({ sudo: true })), rejectsWith('batch tokens cannot be periodic'));
      await assert.rejects(h.store.create(h.root, { policies: ['web'], type: 'batch', numUses: 2 }, ctx({ sudo: true })), rejectsWith(/limited number of uses/));
    });

    it('invalidates a batch token when its parent is revoked', async () => {
      const h = await createHarness();
      const p = await child(h, h.root, { policies: ['web'] });
      const b = await h.store.create(p.entry, { type: 'batch' }, ctx());
      assert.ok(await h.store.lookup(b.token));
      await h.store.revoke(p.entry);
      assert.equal(await h.store.lookup(b.token), undefined);
    });
  });

  describe('accessors and storage', () => {
    it('finds, lists and revokes tokens by accessor', async () => {
      const h = await createHarness();
      const t = await child(h, h.root, { policies: ['web'] });
      const byAcc = await h.store.lookupAccessor(t.entry.accessor);
      assert.equal(byAcc?.idHash, t.entry.idHash);
      assert.deepEqual(await h.store.listAccessors(), [h.root.accessor, t.entry.accessor].sort());
      assert.equal(await h.store.lookupAccessor('nope'), undefined);
      await h.store.revoke(byAcc ?? assert.fail());
      assert.equal(await h.store.lookupAccessor(t.entry.accessor), undefined);
      assert.deepEqual(await h.store.listAccessors(), [h.root.accessor]);
    });

    it('never stores a token id in storage, in keys or values', async () => {
      const h = await createHarness();
      const tokens = [h.rootToken];
      const a = await child(h, h.root, { policies: ['web'], meta: { app: 'x' } });
      tokens.push(a.token, (await child(h, a.entry, {})).token);
      await h.store.writeRole('r', { allowedPolicies: ['web'] });
      tokens.push((await h.store.create(h.root, { policies: ['web'] }, ctx({ sudo: true, roleName: 'r', path: 'auth/token/create/r' }))).token);
      for (const [key, value] of h.storage.data) {
        const text = Buffer.from(value).toString('latin1');
        for (const t of tokens) {
          assert.ok(!key.includes(t), `token found in key ${key}`);
          assert.ok(!text.includes(t), `token found in the value of ${key}`);
          assert.ok(!text.includes(t.slice(4)), `token body found in the value of ${key}`);
        }
      }
    });

    it('binds tokens to CIDR blocks set by their role', async () => {
      const h = await createHarness();
      await h.store.writeRole('net', { tokenBoundCidrs: ['10.0.0.0/8', '192.168.1.7'] });
      const t = await h.store.create(h.root, { policies: ['web'] }, ctx({ sudo: true, roleName: 'net', path: 'auth/token/create/net' }));
      assert.deepEqual(t.entry.boundCidrs, ['10.0.0.0/8', '192.168.1.7']);
      assert.equal(await h.store.lookup(t.token, { remoteAddress: '127.0.0.1' }), undefined);
      assert.ok(await h.store.lookup(t.token, { remoteAddress: '10.20.30.40' }));
      assert.ok(await h.store.lookup(t.token, { remoteAddress: '::ffff:192.168.1.7' }));
      await assert.rejects(h.store.writeRole('net', { tokenBoundCidrs: ['10.0.0.0/40'] }), rejectsWith(/invalid CIDR/));
    });

    it('tidies dangling indexes and revokes expired and parentless tokens', async () => {
      const h = await createHarness();
      const expiring = await child(h, h.root, { policies: ['web'], ttl: HOUR });
      const keep = await child(h, h.root, { policies: ['web'] });
      const lost = await child(h, keep.entry, {});
      await h.storage.put('accessor/deadbeef', Buffer.from(JSON.stringify({ idHash: 'missing', accessor: 'x' })));
      // Simulate a crash that deleted a parent but not its child.
      h.storage.data.delete(`id/${keep.entry.idHash}`);
      h.clock.advance(HOUR * 1000);
      const report = await h.store.tidy();
      assert.equal(report.revoked, 2);
      assert.ok(report.indexesRemoved >= 2);
      assert.equal(h.storage.data.has(`id/${expiring.entry.idHash}`), false);
      assert.equal(h.storage.data.has(`id/${lost.entry.idHash}`), false);
      assert.ok(h.revoked.some((e) => e.idHash === expiring.entry.idHash), 'onRevoke ran for the expired token');
      assert.ok(await h.store.lookup(h.rootToken));
    });

    it('revokes a token whose onCreate hook failed', async () => {
      const h = await createHarness({ store: { onCreate: (e) => (e.policies.includes('root') ? Promise.resolve() : Promise.reject(new Error('no expiry'))) } });
      await assert.rejects(h.store.create(h.root, { policies: ['web'] }, ctx({ sudo: true })), /no expiry/);
      assert.equal([...h.storage.data.keys()].filter((k) => k.startsWith('id/')).length, 1, 'only the root token remains');
    });
  });

  describe('login grants', () => {
    it('mints orphan tokens for auth methods with the mount prefix, default policy and capped TTL', async () => {
      const h = await createHarness();
      const g = await h.store.createFromGrant(
        { policies: ['dev'], ttl: 10 * HOUR, maxTtl: 2 * HOUR, period: 0, numUses: 0, meta: { username: 'alice' }, displayName: 'alice', entityId: 'ent-1', tokenType: 'default' },
        { path: 'auth/userpass/login/alice', mountMaxTtl: 4 * HOUR, mountPath: 'auth/userpass/' },
      );
      assert.match(g.token, /^hvs\./);
      assert.equal(g.entry.orphan, true);
      assert.equal(g.entry.parent, '');
      assert.equal(g.entry.displayName, 'userpass-alice');
      assert.deepEqual(g.entry.policies, ['default', 'dev']);
      assert.equal(g.entry.ttl, 2 * HOUR);
      assert.equal(g.entry.entityId, 'ent-1');
      assert.equal(g.warnings.length, 1);
      h.clock.advance(HOUR * 1000);
      const r = await h.store.renew(g.entry, 5 * HOUR);
      assert.equal(r.ttl, HOUR, 'renewals stay within the grant max counted from login');
      const b = await h.store.createFromGrant(
        { policies: ['dev'], ttl: HOUR, maxTtl: 0, period: 0, numUses: 0, meta: null, displayName: 'bob', entityId: '', tokenType: 'batch' },
        { path: 'auth/userpass/login/bob', mountMaxTtl: 4 * HOUR },
      );
      assert.match(b.token, /^hvb\./);
      assert.equal((await h.store.lookup(b.token))?.path, 'auth/userpass/login/bob');
    });
  });
});
