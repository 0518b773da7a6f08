// Specification of the auth/token/ backend: request fields, response shapes (auth object, lookup
// data, role data) and role-driven creation, including Nomad's legacy token-role flow.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CofferError } from '../../shared/index.js';
import { authOf, createHarness, dataOf } from './token-test-harness.js';

const HOUR = 3600;

function failsWith(code: string, message?: string | RegExp): (e: unknown) => boolean {
  return (e) => {
    assert.ok(e instanceof CofferError, `expected a CofferError, got ${String(e)}`);
    assert.equal(e.code, code);
    if (typeof message === 'string') assert.equal(e.message, message);
    else if (message) assert.match(e.message, message);
    return true;
  };
}

describe('auth/token/ backend', () => {
  describe('create', () => {
    it('returns data null and an auth object with every field clients read', async () => {
      const h = await createHarness();
      const res = await h.call('update', 'create', { policies: 'web,db', meta: { app: 'x' }, ttl: '1h', display_name: 'My App!' });
      assert.equal(res.kind, 'data');
      assert.equal(res.kind === 'data' ? res.data : 'x', null);
      const a = authOf(res);
      assert.deepEqual(Object.keys(a), ['clientToken', 'accessor', 'policies', 'tokenPolicies', 'metadata', 'leaseDuration', 'renewable', 'entityId', 'tokenType', 'orphan', 'mfaRequirement', 'numUses']);
      assert.match(a.clientToken, /^hvs\.[A-Za-z0-9]{24}$/);
      assert.match(a.accessor, /^[A-Za-z0-9]{24}$/);
      assert.deepEqual(a.policies, ['db', 'default', 'web']);
      assert.deepEqual(a.tokenPolicies, ['db', 'default', 'web']);
      assert.deepEqual(a.metadata, { app: 'x' });
      assert.equal(a.leaseDuration, HOUR);
      assert.equal(a.renewable, true);
      assert.equal(a.entityId, '');
      assert.equal(a.tokenType, 'service');
      assert.equal(a.orphan, false);
      assert.equal(a.mfaRequirement, null);
      assert.equal(a.numUses, 0);
      const look = dataOf(await h.call('read', 'lookup-self', undefined, a.clientToken));
      assert.equal(look['display_name'], 'token-My-App');
    });

    it('gives a root child with no TTL a non-expiring, non-renewable token', async () => {
      const h = await createHarness();
      const a = authOf(await h.call('update', 'create', {}));
      assert.deepEqual(a.policies, ['root']);
      assert.equal(a.leaseDuration, 0);
      assert.equal(a.renewable, false);
    });

    it('accepts the Go client body with empty type and entity_alias, and creates orphans via create-orphan', async () => {
      const h = await createHarness();
      const a = authOf(await h.call('update', 'create-orphan', { policies: ['web'], display_name: '', num_uses: 0, type: '', entity_alias: '' }));
      assert.equal(a.orphan, true);
      const look = dataOf(await h.call('read', 'lookup-self', undefined, a.clientToken));
      assert.equal(look['path'], 'auth/token/create-orphan');
      assert.equal(look['display_name'], 'token');
    });

    it('refuses entity_alias without a role and unknown roles', async () => {
      const h = await createHarness();
      await assert.rejects(h.call('update', 'create', { entity_alias: 'bob' }), failsWith('invalid_request', "'entity_alias' is only allowed in combination with token role"));
      await assert.rejects(h.call('update', 'create/nope', {}), failsWith('invalid_request', 'unknown role nope'));
    });

    it('issues batch tokens on request and reports them as such', async () => {
      const h = await createHarness();
      const a = authOf(await h.call('update', 'create', { policies: ['web'], type: 'batch', ttl: '10m' }));
      assert.match(a.clientToken, /^hvb\./);
      assert.equal(a.tokenType, 'batch');
      assert.equal(a.renewable, false);
      assert.equal(a.accessor, '');
      const look = dataOf(await h.call('read', 'lookup-self', undefined, a.clientToken));
      assert.equal(look['type'], 'batch');
      assert.equal(look['ttl'], 600);
      await assert.rejects(h.call('update', 'renew-self', {}, a.clientToken), failsWith('invalid_request', 'batch tokens cannot be renewed'));
      await assert.rejects(h.call('update', 'create', {}, a.clientToken), failsWith('invalid_request', 'batch tokens cannot create more tokens'));
    });

    it('warns about policies that do not exist when it can tell', async () => {
      const h = await createHarness({ backend: { policyExists: (n) => Promise.resolve(n === 'web') } });
      const res = await h.call('update', 'create', { policies: ['web', 'ghost'] });
      assert.deepEqual(res.warnings, ['Policy "ghost" does not exist']);
    });
  });

  describe('lookup', () => {
    it('returns exactly Vault\'s keys for the root token', async () => {
      const h = await createHarness();
      const d = dataOf(await h.call('read', 'lookup-self'));
      assert.deepEqual(Object.keys(d).sort(), [
        'accessor', 'creation_time', 'creation_ttl', 'display_name', 'entity_id', 'expire_time', 'explicit_max_ttl', 'id', 'meta',
        'num_uses', 'orphan', 'path', 'policies', 'ttl', 'type',
      ]);
      assert.equal(d['id'], h.rootToken);
      assert.equal(d['creation_time'], Math.floor(h.clock.now() / 1000));
      assert.equal(d['creation_ttl'], 0);
      assert.equal(d['display_name'], 'root');
      assert.equal(d['expire_time'], null);
      assert.equal(d['path'], 'auth/token/root');
      assert.deepEqual(d['policies'], ['root']);
      assert.equal(d['orphan'], true);
      assert.equal(d['meta'], null);
    });

    it('adds issue_time, renewable, period, role, bound_cidrs and renewal times when they apply', async () => {
      const h = await createHarness();
      await h.call('update', 'roles/svc', { token_period: '1h', token_bound_cidrs: '127.0.0.0/8', token_explicit_max_ttl: '5h' });
      const a = authOf(await h.call('update', 'create/svc', { policies: ['web'] }));
      h.clock.advance(600_000);
      await h.call('update', 'renew', { token: a.clientToken });
      const d = dataOf(await h.call('update', 'lookup', { token: a.clientToken }));
      assert.equal(d['id'], a.clientToken);
      assert.equal(d['period'], HOUR);
      assert.equal(d['role'], 'svc');
      assert.deepEqual(d['bound_cidrs'], ['127.0.0.0/8']);
      assert.equal(d['renewable'], true);
      assert.equal(d['explicit_max_ttl'], 5 * HOUR);
      assert.equal(d['creation_ttl'], HOUR);
      assert.equal(d['ttl'], HOUR);
      assert.equal(d['issue_time'], new Date(h.clock.now() - 600_000).toISOString());
      assert.equal(d['expire_time'], new Date(h.clock.now() + HOUR * 1000).toISOString());
      assert.equal(d['last_renewal_time'], Math.floor(h.clock.now() / 1000));
      assert.equal(typeof d['last_renewal'], 'string');
    });

    it('looks tokens up by body, legacy path and accessor; unknown ones are 403 bad token or 400 invalid accessor', async () => {
      const h = await createHarness();
      const a = authOf(await h.call('update', 'create', { policies: ['web'] }));
      assert.equal(dataOf(await h.call('read', `lookup/${a.clientToken}`))['accessor'], a.accessor);
      assert.equal(dataOf(await h.call('read', 'lookup', { token: a.clientToken }))['accessor'], a.accessor);
      assert.equal(dataOf(await h.call('update', 'lookup', {}))['id'], h.rootToken, 'an empty token means the caller');
      const byAcc = dataOf(await h.call('update', 'lookup-accessor', { accessor: a.accessor }));
      assert.equal(byAcc['id'], '');
      assert.deepEqual(byAcc['policies'], ['default', 'web']);
      await assert.rejects(h.call('update', 'lookup', { token: 'hvs.nope' }), failsWith('permission_denied', 'bad token'));
      await assert.rejects(h.call('update', 'lookup-accessor', { accessor: 'nope' }), failsWith('invalid_request', 'invalid accessor'));
    });
  });

  describe('uses, renewals and revocation', () => {
    it('counts num_uses down per request and refuses the token after the last one', async () => {
      const h = await createHarness();
      const a = authOf(await h.call('update', 'create', { policies: ['web'], num_uses: 2 }));
      assert.equal(a.numUses, 2);
      assert.equal(dataOf(await h.call('read', 'lookup-self', undefined, a.clientToken))['num_uses'], 1);
      assert.equal(dataOf(await h.call('read', 'lookup-self', undefined, a.clientToken))['num_uses'], 0);
      await assert.rejects(h.call('read', 'lookup-self', undefined, a.clientToken), failsWith('permission_denied'));
      assert.equal(h.storage.data.has(`id/${h.revoked.at(-1)?.idHash ?? ''}`), false);
      await assert.rejects(h.call('update', 'create', { num_uses: -1 }), failsWith('invalid_request', 'number of uses cannot be negative'));
    });

    it('renews by token, self and accessor; renew-accessor hides the token', async () => {
      const h = await createHarness();
      const a = authOf(await h.call('update', 'create', { policies: ['web'], ttl: '1h' }));
      const r1 = authOf(await h.call('update', 'renew', { token: a.clientToken, increment: '2h' }));
      assert.equal(r1.clientToken, a.clientToken);
      assert.equal(r1.leaseDuration, 2 * HOUR);
      const r2 = authOf(await h.call('update', 'renew-self', { increment: 600 }, a.clientToken));
      assert.equal(r2.leaseDuration, 600);
      const r3 = authOf(await h.call('update', 'renew-accessor', { accessor: a.accessor, increment: '30m' }));
      assert.equal(r3.clientToken, '');
      assert.equal(r3.accessor, a.accessor);
      assert.equal(r3.leaseDuration, 1800);
      await assert.rejects(h.call('update', 'renew', { token: 'hvs.nope' }), failsWith('invalid_request', 'token not found'));
      const fixed = authOf(await h.call('update', 'create', { policies: ['web'], renewable: false }));
      await assert.rejects(h.call('update', 'renew-self', {}, fixed.clientToken), failsWith('invalid_request', 'lease is not renewable'));
    });

    it('revokes by token, self and accessor; unknown tokens are fine, unknown accessors are not', async () => {
      const h = await createHarness();
      const a = authOf(await h.call('update', 'create', { policies: ['web'] }));
      const b = authOf(await h.call('update', 'create', { policies: ['web'] }));
      const c = authOf(await h.call('update', 'create', { policies: ['web'] }));
      assert.equal((await h.call('update', 'revoke', { token: 'hvs.unknown' })).kind, 'none');
      assert.equal((await h.call('update', 'revoke', { token: a.clientToken })).kind, 'none');
      assert.equal((await h.call('update', 'revoke-self', {}, b.clientToken)).kind, 'none');
      assert.equal((await h.call('update', 'revoke-accessor', { accessor: c.accessor })).kind, 'none');
      for (const t of [a, b, c]) assert.equal(await h.store.lookup(t.clientToken), undefined);
      await assert.rejects(h.call('update', 'revoke-accessor', { accessor: c.accessor }), failsWith('invalid_request', 'invalid accessor'));
    });

    it('revoke-orphan needs sudo and leaves the children as orphans', async () => {
      const h = await createHarness();
      const p = authOf(await h.call('update', 'create', { policies: ['web'] }));
      const kid = authOf(await h.call('update', 'create', {}, p.clientToken));
      await assert.rejects(h.call('update', 'revoke-orphan', { token: kid.clientToken }, p.clientToken), failsWith('invalid_request', 'root or sudo privileges required to revoke and orphan'));
      assert.equal((await h.call('update', 'revoke-orphan', { token: p.clientToken })).kind, 'none');
      assert.equal(dataOf(await h.call('read', 'lookup-self', undefined, kid.clientToken))['orphan'], true);
      await assert.rejects(h.call('update', 'revoke-orphan', { token: p.clientToken }), failsWith('invalid_request', 'token to revoke not found'));
    });

    it('lists accessors and starts a tidy in the background (202 with a warning)', async () => {
      const h = await createHarness();
      const a = authOf(await h.call('update', 'create', { policies: ['web'] }));
      const keys = dataOf(await h.call('list', 'accessors/'))['keys'];
      assert.deepEqual(keys, [h.root.accessor, a.accessor].sort());
      const t = await h.call('update', 'tidy', {});
      assert.equal(t.kind, 'none');
      assert.equal(t.kind === 'none' ? t.accepted : false, true, 'tidy answers 202 Accepted');
      assert.match(t.warnings?.[0] ?? '', /Tidy operation successfully started/);
      await h.store.tidy();
    });
  });

  describe('roles', () => {
    it('creates, reads, partially updates, lists and deletes roles', async () => {
      const h = await createHarness();
      assert.equal((await h.call('update', 'roles/Web-Role', { allowed_policies: 'web, db', period: '2h', token_type: 'default' })).kind, 'none');
      const d = dataOf(await h.call('read', 'roles/web-role'));
      assert.deepEqual(d, {
        allowed_entity_aliases: null,
        allowed_policies: ['web', 'db'],
        allowed_policies_glob: [],
        disallowed_policies: [],
        disallowed_policies_glob: [],
        explicit_max_ttl: 0,
        name: 'web-role',
        orphan: false,
        path_suffix: '',
        period: 2 * HOUR,
        renewable: true,
        token_explicit_max_ttl: 0,
        token_no_default_policy: false,
        token_period: 2 * HOUR,
        token_type: 'default-service',
      });
      await h.call('update', 'roles/web-role', { orphan: true, token_num_uses: 3 });
      const d2 = dataOf(await h.call('read', 'roles/web-role'));
      assert.equal(d2['orphan'], true);
      assert.deepEqual(d2['allowed_policies'], ['web', 'db'], 'fields not sent are kept');
      assert.equal(d2['token_num_uses'], 3);
      await h.call('update', 'roles/other', {});
      assert.deepEqual(dataOf(await h.call('list', 'roles/'))['keys'], ['other', 'web-role']);
      await h.call('delete', 'roles/other');
      assert.equal((await h.call('read', 'roles/other')).kind, 'none');
      await assert.rejects(h.call('update', 'roles/bad', { token_type: 'weird' }), failsWith('invalid_request'));
      await assert.rejects(h.call('update', 'roles/bad', { token_type: 'batch', token_period: '1h' }), failsWith('invalid_request', 'batch tokens cannot be periodic'));
    });

    it('runs Nomad\'s legacy flow: a periodic orphan server token mints periodic orphan task tokens from an allow-listed role', async () => {
      const h = await createHarness();
      await h.call('update', 'roles/nomad-cluster', { allowed_policies: ['web', 'db'], orphan: true, token_period: '72h', renewable: true, explicit_max_ttl: 0 });
      const role = dataOf(await h.call('read', 'roles/nomad-cluster'));
      assert.equal(role['token_period'], 259200);
      assert.equal(role['explicit_max_ttl'], 0);
      assert.equal(role['token_explicit_max_ttl'], 0);
      assert.equal(role['renewable'], true);

      const server = authOf(await h.call('update', 'create-orphan', { policies: ['nomad-server'], period: '72h' }));
      const self = dataOf(await h.call('read', 'lookup-self', undefined, server.clientToken));
      assert.equal(self['period'], 259200);
      assert.equal(self['renewable'], true);
      assert.equal(self['ttl'], 259200);
      assert.deepEqual(self['policies'], ['default', 'nomad-server']);

      const body = {
        policies: ['web'],
        meta: { AllocationID: 'a1', Task: 'server' },
        ttl: '72h',
        display_name: 'a1-server',
        num_uses: 0,
        type: '',
        entity_alias: '',
      };
      const task = authOf(await h.call('update', 'create/nomad-cluster', body, server.clientToken));
      assert.equal(task.orphan, true);
      assert.equal(task.renewable, true);
      assert.equal(task.leaseDuration, 259200);
      assert.deepEqual(task.policies, ['default', 'web']);
      const look = dataOf(await h.call('update', 'lookup', { token: task.clientToken }, server.clientToken));
      assert.equal(look['period'], 259200);
      assert.equal(look['role'], 'nomad-cluster');
      assert.equal(look['path'], 'auth/token/create/nomad-cluster');
      assert.equal(look['orphan'], true);

      await assert.rejects(
        h.call('update', 'create/nomad-cluster', { ...body, policies: ['admin'] }, server.clientToken),
        failsWith('invalid_request', 'token policies (["admin"]) must be subset of the role\'s allowed policies (["db" "web"]) or glob policies ([])'),
      );

      // Task tokens renew to their period whatever increment Nomad sends.
      h.clock.advance(3600_000);
      assert.equal(authOf(await h.call('update', 'renew-self', { increment: 30 }, task.clientToken)).leaseDuration, 259200);
      // They survive the server token (orphans) and die by accessor.
      await h.call('update', 'revoke-self', {}, server.clientToken);
      assert.ok(await h.store.lookup(task.clientToken));
      const other = authOf(await h.call('update', 'create/nomad-cluster', body));
      await h.call('update', 'revoke-accessor', { accessor: other.accessor });
      assert.equal(await h.store.lookup(other.clientToken), undefined);
    });

    it('with only disallowed policies, grants anything else, even beyond the caller\'s policies', async () => {
      const h = await createHarness();
      await h.call('update', 'roles/nc', { disallowed_policies: 'nomad-server', orphan: true, token_period: '72h' });
      const server = authOf(await h.call('update', 'create-orphan', { policies: ['nomad-server'] }));
      const t = authOf(await h.call('update', 'create/nc', { policies: ['anything'] }, server.clientToken));
      assert.deepEqual(t.policies, ['anything', 'default']);
      await assert.rejects(h.call('update', 'create/nc', { policies: ['nomad-server'] }, server.clientToken), failsWith('invalid_request', 'token policy "nomad-server" is disallowed by this role'));
      await assert.rejects(h.call('update', 'create/nc', {}, server.clientToken), failsWith('invalid_request', /disallowed/), 'inherited policies are checked too');
    });

    it('applies globs, defaults, no-default, suffixes, renewability, type and explicit max from the role', async () => {
      const h = await createHarness();
      await h.call('update', 'roles/g', {
        allowed_policies: 'base',
        allowed_policies_glob: 'app-*',
        disallowed_policies_glob: 'app-secret*',
        disallowed_policies: 'default',
        path_suffix: 'v1',
        renewable: false,
        token_explicit_max_ttl: '2h',
      });
      const t = authOf(await h.call('update', 'create/g', { policies: ['app-x'], ttl: '10h' }));
      assert.deepEqual(t.policies, ['app-x'], 'default is disallowed, so not added');
      assert.equal(t.renewable, false);
      assert.equal(t.leaseDuration, 2 * HOUR);
      assert.equal(dataOf(await h.call('read', 'lookup-self', undefined, t.clientToken))['path'], 'auth/token/create/g/v1');
      assert.deepEqual(authOf(await h.call('update', 'create/g', {})).policies, ['base'], 'no request: the allowed list, globs excluded');
      await assert.rejects(h.call('update', 'create/g', { policies: ['app-secret-1'] }), failsWith('invalid_request', /disallowed/));
      await assert.rejects(h.call('update', 'create/g', { policies: ['other'] }), failsWith('invalid_request', /must be subset of the role's allowed policies/));
      await h.call('update', 'roles/b', { token_type: 'batch', token_no_default_policy: true });
      const b = authOf(await h.call('update', 'create', { role_name: 'b', policies: ['web'] }));
      assert.equal(b.tokenType, 'batch');
      assert.deepEqual(b.policies, ['web']);
      await assert.rejects(h.call('update', 'create/b', { policies: ['web'], type: 'service' }), failsWith('invalid_request', /not allowed by the role/));
    });

    it('limits uses and accepts entity aliases only as the role allows', async () => {
      const h = await createHarness({ store: { resolveEntityAlias: (alias) => Promise.resolve(`entity-for-${alias}`) } });
      await h.call('update', 'roles/u', { token_num_uses: 2, allowed_entity_aliases: 'svc-*' });
      const t = authOf(await h.call('update', 'create/u', { policies: ['web'], num_uses: 10, entity_alias: 'SVC-a' }));
      assert.equal(t.numUses, 2);
      assert.equal(t.entityId, 'entity-for-SVC-a');
      await assert.rejects(h.call('update', 'create/u', { entity_alias: 'other' }), failsWith('invalid_request', "invalid 'entity_alias' value"));
    });
  });
});
