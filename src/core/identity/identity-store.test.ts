// Specification of the identity store's login bookkeeping: alias metadata refresh and external
// group membership fed by an auth method's group claims.

import { beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createMemoryStorage } from '../../sdk/index.js';
import { createManualClock } from '../../shared/index.js';
import type { IdentityStore } from './identity-store.js';
import { createIdentityStore } from './identity-store.js';

describe('identity store logins', () => {
  let store: IdentityStore;
  const storage = createMemoryStorage();
  beforeEach(async () => {
    for (const k of await storage.list('entity/')) await storage.delete('entity/' + k);
    for (const k of await storage.list('group/')) await storage.delete('group/' + k);
    store = createIdentityStore({ storage, clock: createManualClock(Date.UTC(2026, 0, 1)), accessorExists: (a) => a.startsWith('auth_') });
    await store.load();
  });

  it('refreshes alias metadata at each login so templated policies see the latest claims', async () => {
    const e = await store.loginEntity({ mountAccessor: 'auth_jwt_1', alias: { name: 'sub-1', metadata: { ns: 'a' } } });
    await store.loginEntity({ mountAccessor: 'auth_jwt_1', alias: { name: 'sub-1', metadata: { ns: 'b' } } });
    assert.deepEqual(store.resolve(e.id)?.info.aliases['auth_jwt_1']?.metadata, { ns: 'b' });
  });

  it('puts the entity in exactly the external groups its group claim names on that mount', async () => {
    const admins = (await store.writeGroup({ name: 'admins', type: 'external', policies: ['admin'] }, {})).group;
    const devs = (await store.writeGroup({ name: 'devs', type: 'external', policies: ['dev'] }, {})).group;
    const other = (await store.writeGroup({ name: 'other-mount', type: 'external', policies: ['other'] }, {})).group;
    await store.writeGroupAlias({ name: 'admins-claim', mountAccessor: 'auth_jwt_1', canonicalId: admins.id });
    await store.writeGroupAlias({ name: 'devs-claim', mountAccessor: 'auth_jwt_1', canonicalId: devs.id });
    await store.writeGroupAlias({ name: 'admins-claim', mountAccessor: 'auth_jwt_2', canonicalId: other.id });

    const e = await store.loginEntity({ mountAccessor: 'auth_jwt_1', alias: { name: 'u' }, groupAliases: ['admins-claim', 'devs-claim', 'unknown'] });
    assert.deepEqual(store.resolve(e.id)?.policies, ['admin', 'dev']);

    await store.loginEntity({ mountAccessor: 'auth_jwt_1', alias: { name: 'u' }, groupAliases: ['devs-claim'] });
    assert.deepEqual(store.resolve(e.id)?.policies, ['dev']);
    assert.deepEqual(store.group(admins.id)?.memberEntityIds, []);

    // A method without group claims leaves external memberships alone.
    await store.loginEntity({ mountAccessor: 'auth_jwt_1', alias: { name: 'u' } });
    assert.deepEqual(store.resolve(e.id)?.policies, ['dev']);
  });

  it('reloads the same model from storage', async () => {
    const e = await store.loginEntity({ mountAccessor: 'auth_up', alias: { name: 'x' } });
    await store.writeGroup({ name: 'g', memberEntityIds: [e.id], policies: ['p'] }, {});
    const again = createIdentityStore({ storage, clock: createManualClock(0), accessorExists: () => true });
    await again.load();
    assert.equal(again.entityAliasByName('auth_up', 'x')?.entity.id, e.id);
    assert.deepEqual(again.resolve(e.id)?.policies, ['p']);
  });
});
