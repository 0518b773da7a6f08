// Specification of the identity store over HTTP: logins create an entity and alias once and reuse
// them; entities, aliases and groups have Vault's CRUD endpoints; entity and group policies flow
// into tokens (dynamically); templated policies render from the token's identity; a disabled
// entity's tokens are refused; everything survives a seal/unseal.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { TestServer } from '../../testing/index.js';
import { startDevServer } from '../../testing/index.js';

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => {
  assert.ok(v !== null && typeof v === 'object', `expected an object, got ${JSON.stringify(v)}`);
  return v as Json;
};
const data = (v: unknown): Json => obj(obj(v)['data']);

describe('identity store', () => {
  let s: TestServer;
  let userpassAccessor = '';
  const login = async (user: string, mount = 'userpass'): Promise<{ token: string; auth: Json }> => {
    const r = await s.req('POST', `/v1/auth/${mount}/login/${user}`, { token: '', body: { password: `pw-${user}-123` } });
    assert.equal(r.status, 200, r.text);
    const auth = obj(obj(r.json)['auth']);
    return { token: String(auth['client_token']), auth };
  };
  const addUser = async (user: string, extra: Json = {}, mount = 'userpass'): Promise<void> => {
    const r = await s.req('POST', `/v1/auth/${mount}/users/${user}`, { body: { password: `pw-${user}-123`, ...extra } });
    assert.equal(r.status, 204, r.text);
  };

  before(async () => {
    s = await startDevServer();
    assert.equal((await s.req('POST', '/v1/sys/auth/userpass', { body: { type: 'userpass' } })).status, 204);
    userpassAccessor = String(obj(data((await s.req('GET', '/v1/sys/auth')).json)['userpass/'])['accessor']);
  });
  after(async () => {
    await s.close();
  });

  describe('logins', () => {
    it('creates an entity and alias on first login and reuses them afterwards', async () => {
      await addUser('alice');
      const first = await login('alice');
      const entityId = String(first.auth['entity_id']);
      assert.match(entityId, /^[0-9a-f-]{36}$/);
      const second = await login('alice');
      assert.equal(second.auth['entity_id'], entityId);

      const lookup = data((await s.req('GET', '/v1/auth/token/lookup-self', { token: second.token })).json);
      assert.equal(lookup['entity_id'], entityId);

      const entity = data((await s.req('GET', `/v1/identity/entity/id/${entityId}`)).json);
      assert.equal(entity['id'], entityId);
      assert.match(String(entity['name']), /^entity_[0-9a-f]{8}$/);
      const aliases = entity['aliases'] as Json[];
      assert.equal(aliases.length, 1);
      const alias = obj(aliases[0]);
      assert.equal(alias['name'], 'alice');
      assert.equal(alias['mount_accessor'], userpassAccessor);
      assert.equal(alias['mount_path'], 'auth/userpass/');
      assert.equal(alias['mount_type'], 'userpass');
      assert.equal(alias['canonical_id'], entityId);
      for (const k of ['creation_time', 'direct_group_ids', 'disabled', 'group_ids', 'inherited_group_ids', 'last_update_time', 'metadata', 'policies', 'namespace_id']) {
        assert.ok(k in entity, `entity read lacks ${k}`);
      }
    });

    it("lets the default policy read the caller's own entity and nobody else's", async () => {
      await addUser('reader');
      const { token, auth } = await login('reader');
      const own = await s.req('GET', `/v1/identity/entity/id/${String(auth['entity_id'])}`, { token });
      assert.equal(own.status, 200, own.text);
      const other = await s.req('GET', `/v1/identity/entity/id/00000000-0000-0000-0000-000000000000`, { token });
      assert.equal(other.status, 403);
    });

    it('gives a token role entity_alias an entity on the token mount', async () => {
      assert.equal((await s.req('POST', '/v1/auth/token/roles/svc', { body: { allowed_entity_aliases: ['svc-*'] } })).status, 204);
      const r = await s.req('POST', '/v1/auth/token/create/svc', { body: { entity_alias: 'svc-web' } });
      assert.equal(r.status, 200, r.text);
      const entityId = String(obj(obj(r.json)['auth'])['entity_id']);
      const again = await s.req('POST', '/v1/auth/token/create/svc', { body: { entity_alias: 'svc-web' } });
      assert.equal(obj(obj(again.json)['auth'])['entity_id'], entityId);
      const alias = obj((data((await s.req('GET', `/v1/identity/entity/id/${entityId}`)).json)['aliases'] as Json[])[0]);
      assert.equal(alias['mount_type'], 'token');
      assert.equal(alias['name'], 'svc-web');
    });
  });

  describe('entities', () => {
    it('creates, reads by id and name, updates, lists and deletes entities', async () => {
      const created = await s.req('POST', '/v1/identity/entity', { body: { name: 'web', metadata: { team: 'a' }, policies: ['p1'] } });
      assert.equal(created.status, 200, created.text);
      const id = String(data(created.json)['id']);
      assert.equal(data(created.json)['name'], 'web');

      const byName = data((await s.req('GET', '/v1/identity/entity/name/web')).json);
      assert.equal(byName['id'], id);
      assert.deepEqual(byName['metadata'], { team: 'a' });
      assert.deepEqual(byName['policies'], ['p1']);

      // Writing an existing name updates that entity (204), as Vault does.
      const updated = await s.req('POST', '/v1/identity/entity', { body: { name: 'web', policies: 'p1,p2' } });
      assert.equal(updated.status, 204);
      assert.deepEqual(data((await s.req('GET', `/v1/identity/entity/id/${id}`)).json)['policies'], ['p1', 'p2']);
      assert.equal((await s.req('POST', `/v1/identity/entity/id/${id}`, { body: { metadata: ['team=b', 'tier=1'] } })).status, 204);
      assert.deepEqual(data((await s.req('GET', `/v1/identity/entity/id/${id}`)).json)['metadata'], { team: 'b', tier: '1' });

      const listById = data((await s.req('LIST', '/v1/identity/entity/id')).json);
      assert.ok((listById['keys'] as string[]).includes(id));
      assert.equal(obj(obj(listById['key_info'])[id])['name'], 'web');
      assert.ok((data((await s.req('LIST', '/v1/identity/entity/name')).json)['keys'] as string[]).includes('web'));

      const lookup = await s.req('POST', '/v1/identity/lookup/entity', { body: { name: 'web' } });
      assert.equal(data(lookup.json)['id'], id);
      assert.equal((await s.req('POST', '/v1/identity/lookup/entity', { body: { name: 'nobody' } })).status, 204);

      assert.equal((await s.req('DELETE', '/v1/identity/entity/name/web')).status, 204);
      assert.equal((await s.req('GET', `/v1/identity/entity/id/${id}`)).status, 404);
    });

    it('creates an entity by name with POST identity/entity/name/:name', async () => {
      const r = await s.req('POST', '/v1/identity/entity/name/batch-job', { body: { policies: ['x'] } });
      assert.equal(r.status, 200, r.text);
      assert.equal(data(r.json)['name'], 'batch-job');
    });

    it('refuses to rename an entity to a name another entity holds', async () => {
      await s.req('POST', '/v1/identity/entity', { body: { name: 'one' } });
      const two = String(data((await s.req('POST', '/v1/identity/entity', { body: { name: 'two' } })).json)['id']);
      const r = await s.req('POST', `/v1/identity/entity/id/${two}`, { body: { name: 'one' } });
      assert.equal(r.status, 400);
      assert.match(String((obj(r.json)['errors'] as string[])[0]), /entity name is already in use/);
    });

    it('answers 400 for an update of an unknown entity id and for malformed metadata', async () => {
      assert.equal((await s.req('POST', '/v1/identity/entity/id/not-there', { body: { policies: ['x'] } })).status, 400);
      assert.equal((await s.req('POST', '/v1/identity/entity', { body: { name: 'bad-meta', metadata: ['no-equals-sign'] } })).status, 400);
      assert.equal((await s.req('POST', '/v1/identity/entity', { body: { name: 'bad-meta', metadata: { k: 1 } } })).status, 400);
    });

    it('deletes several entities with batch-delete', async () => {
      const a = String(data((await s.req('POST', '/v1/identity/entity', { body: { name: 'bd-a' } })).json)['id']);
      const b = String(data((await s.req('POST', '/v1/identity/entity', { body: { name: 'bd-b' } })).json)['id']);
      assert.equal((await s.req('POST', '/v1/identity/entity/batch-delete', { body: { entity_ids: [a, b] } })).status, 204);
      assert.equal((await s.req('GET', `/v1/identity/entity/id/${a}`)).status, 404);
      assert.equal((await s.req('GET', `/v1/identity/entity/id/${b}`)).status, 404);
    });
  });

  describe('entity aliases', () => {
    it('creates, reads, lists, moves and deletes aliases, and a login then uses the named entity', async () => {
      const entity = String(data((await s.req('POST', '/v1/identity/entity', { body: { name: 'bob-entity', policies: ['bob-extra'] } })).json)['id']);
      const created = await s.req('POST', '/v1/identity/entity-alias', {
        body: { name: 'bob', canonical_id: entity, mount_accessor: userpassAccessor, custom_metadata: { office: 'x' } },
      });
      assert.equal(created.status, 200, created.text);
      const aliasId = String(data(created.json)['id']);
      assert.equal(data(created.json)['canonical_id'], entity);

      const read = data((await s.req('GET', `/v1/identity/entity-alias/id/${aliasId}`)).json);
      assert.equal(read['name'], 'bob');
      assert.deepEqual(read['custom_metadata'], { office: 'x' });
      assert.equal(read['mount_path'], 'auth/userpass/');
      const list = data((await s.req('LIST', '/v1/identity/entity-alias/id')).json);
      assert.ok((list['keys'] as string[]).includes(aliasId));

      await addUser('bob');
      const { auth } = await login('bob');
      assert.equal(auth['entity_id'], entity);
      assert.deepEqual(auth['identity_policies'], ['bob-extra']);
      assert.ok((auth['policies'] as string[]).includes('bob-extra'));

      assert.equal((await s.req('DELETE', `/v1/identity/entity-alias/id/${aliasId}`)).status, 204);
      assert.equal((await s.req('GET', `/v1/identity/entity-alias/id/${aliasId}`)).status, 404);
    });

    it('refuses a second alias with the same mount and name, a second alias per mount on one entity, and unknown accessors', async () => {
      const e1 = String(data((await s.req('POST', '/v1/identity/entity', { body: { name: 'dup-1' } })).json)['id']);
      const ok = await s.req('POST', '/v1/identity/entity-alias', { body: { name: 'dup', canonical_id: e1, mount_accessor: userpassAccessor } });
      assert.equal(ok.status, 200, ok.text);
      const e2 = String(data((await s.req('POST', '/v1/identity/entity', { body: { name: 'dup-2' } })).json)['id']);
      assert.equal((await s.req('POST', '/v1/identity/entity-alias', { body: { name: 'dup', canonical_id: e2, mount_accessor: userpassAccessor } })).status, 400);
      assert.equal((await s.req('POST', '/v1/identity/entity-alias', { body: { name: 'other', canonical_id: e1, mount_accessor: userpassAccessor } })).status, 400);
      assert.equal((await s.req('POST', '/v1/identity/entity-alias', { body: { name: 'x', canonical_id: e1, mount_accessor: 'auth_nope_123' } })).status, 400);
      assert.equal((await s.req('POST', '/v1/identity/entity-alias', { body: { name: 'x', canonical_id: 'missing', mount_accessor: userpassAccessor } })).status, 400);
    });
  });

  describe('groups and policies', () => {
    it('gives members the policies of their groups and of the groups above them', async () => {
      await addUser('carol');
      const { token, auth } = await login('carol');
      const entity = String(auth['entity_id']);
      const child = await s.req('POST', '/v1/identity/group', { body: { name: 'devs', policies: ['dev'], member_entity_ids: [entity] } });
      assert.equal(child.status, 200, child.text);
      const childId = String(data(child.json)['id']);
      const parent = await s.req('POST', '/v1/identity/group', { body: { name: 'eng', policies: 'eng', member_group_ids: [childId] } });
      const parentId = String(data(parent.json)['id']);

      const g = data((await s.req('GET', `/v1/identity/group/id/${childId}`)).json);
      assert.equal(g['type'], 'internal');
      assert.deepEqual(g['member_entity_ids'], [entity]);
      assert.deepEqual(g['parent_group_ids'], [parentId]);
      const e = data((await s.req('GET', `/v1/identity/entity/id/${entity}`)).json);
      assert.deepEqual(e['direct_group_ids'], [childId]);
      assert.deepEqual(e['inherited_group_ids'], [parentId]);

      // The existing token earns the new policies without logging in again.
      await s.req('PUT', '/v1/sys/policy/dev', { body: { policy: 'path "secret/data/dev/*" { capabilities = ["read"] }' } });
      await s.req('PUT', '/v1/sys/policy/eng', { body: { policy: 'path "secret/data/eng/*" { capabilities = ["read"] }' } });
      await s.req('POST', '/v1/secret/data/dev/a', { body: { data: { v: 1 } } });
      await s.req('POST', '/v1/secret/data/eng/a', { body: { data: { v: 2 } } });
      assert.equal((await s.req('GET', '/v1/secret/data/dev/a', { token })).status, 200);
      assert.equal((await s.req('GET', '/v1/secret/data/eng/a', { token })).status, 200);

      const relogin = await login('carol');
      assert.deepEqual(relogin.auth['identity_policies'], ['dev', 'eng']);
      const lookup = data((await s.req('GET', '/v1/auth/token/lookup-self', { token })).json);
      assert.deepEqual(lookup['identity_policies'], ['dev', 'eng']);
      const renewed = obj(obj((await s.req('POST', '/v1/auth/token/renew-self', { token })).json)['auth']);
      assert.deepEqual(renewed['identity_policies'], ['dev', 'eng']);
      assert.deepEqual(renewed['token_policies'], ['default']);

      // Leaving the group takes the policies away at once.
      assert.equal((await s.req('POST', `/v1/identity/group/id/${childId}`, { body: { member_entity_ids: [] } })).status, 204);
      assert.equal((await s.req('GET', '/v1/secret/data/dev/a', { token })).status, 403);
      assert.equal((await s.req('GET', '/v1/secret/data/eng/a', { token })).status, 403);
    });

    it('refuses group cycles, unknown members and manual members of external groups', async () => {
      const a = String(data((await s.req('POST', '/v1/identity/group', { body: { name: 'cyc-a' } })).json)['id']);
      const b = String(data((await s.req('POST', '/v1/identity/group', { body: { name: 'cyc-b', member_group_ids: [a] } })).json)['id']);
      assert.equal((await s.req('POST', `/v1/identity/group/id/${a}`, { body: { member_group_ids: [b] } })).status, 400);
      assert.equal((await s.req('POST', `/v1/identity/group/id/${a}`, { body: { member_group_ids: [a] } })).status, 400);
      assert.equal((await s.req('POST', '/v1/identity/group', { body: { name: 'bad-members', member_entity_ids: ['nope'] } })).status, 400);
      const ext = await s.req('POST', '/v1/identity/group', { body: { name: 'ext', type: 'external', member_entity_ids: ['x'] } });
      assert.equal(ext.status, 400);
      assert.equal((await s.req('POST', '/v1/identity/group', { body: { name: 'weird', type: 'sideways' } })).status, 400);
    });

    it('manages group aliases on external groups only, and lists and looks groups up', async () => {
      const ext = String(data((await s.req('POST', '/v1/identity/group', { body: { name: 'ext-ops', type: 'external', policies: ['ops'] } })).json)['id']);
      const internal = String(data((await s.req('POST', '/v1/identity/group', { body: { name: 'int-ops' } })).json)['id']);
      const alias = await s.req('POST', '/v1/identity/group-alias', { body: { name: 'ops', mount_accessor: userpassAccessor, canonical_id: ext } });
      assert.equal(alias.status, 200, alias.text);
      const aliasId = String(data(alias.json)['id']);
      assert.equal((await s.req('POST', '/v1/identity/group-alias', { body: { name: 'ops2', mount_accessor: userpassAccessor, canonical_id: internal } })).status, 400);
      const g = data((await s.req('GET', '/v1/identity/group/name/ext-ops')).json);
      assert.equal(obj(g['alias'])['id'], aliasId);
      assert.equal(obj(g['alias'])['mount_type'], 'userpass');
      assert.equal(data((await s.req('GET', `/v1/identity/group-alias/id/${aliasId}`)).json)['canonical_id'], ext);
      assert.ok((data((await s.req('LIST', '/v1/identity/group-alias/id')).json)['keys'] as string[]).includes(aliasId));
      assert.ok((data((await s.req('LIST', '/v1/identity/group/name')).json)['keys'] as string[]).includes('ext-ops'));
      const found = await s.req('POST', '/v1/identity/lookup/group', { body: { alias_name: 'ops', alias_mount_accessor: userpassAccessor } });
      assert.equal(data(found.json)['id'], ext);
      assert.equal((await s.req('DELETE', `/v1/identity/group-alias/id/${aliasId}`)).status, 204);
      assert.deepEqual(data((await s.req('GET', '/v1/identity/group/name/ext-ops')).json)['alias'], {});
      assert.equal((await s.req('DELETE', '/v1/identity/group/name/ext-ops')).status, 204);
      assert.equal((await s.req('GET', `/v1/identity/group/id/${ext}`)).status, 404);
    });
  });

  describe('templated policies', () => {
    it("lets each user read only the secrets under their own alias name", async () => {
      const policy = `path "secret/data/users/{{identity.entity.aliases.${userpassAccessor}.name}}/*" { capabilities = ["read"] }`;
      assert.equal((await s.req('PUT', '/v1/sys/policy/per-user', { body: { policy } })).status, 204);
      await addUser('dave', { token_policies: 'per-user' });
      await addUser('erin', { token_policies: 'per-user' });
      await s.req('POST', '/v1/secret/data/users/dave/k', { body: { data: { v: 'd' } } });
      await s.req('POST', '/v1/secret/data/users/erin/k', { body: { data: { v: 'e' } } });
      const dave = await login('dave');
      assert.equal((await s.req('GET', '/v1/secret/data/users/dave/k', { token: dave.token })).status, 200);
      assert.equal((await s.req('GET', '/v1/secret/data/users/erin/k', { token: dave.token })).status, 403);
      const caps = await s.req('POST', '/v1/sys/capabilities-self', { token: dave.token, body: { paths: ['secret/data/users/dave/k', 'secret/data/users/erin/k'] } });
      assert.deepEqual(data(caps.json)['secret/data/users/dave/k'], ['read']);
      assert.deepEqual(data(caps.json)['secret/data/users/erin/k'], ['deny']);
    });

    it('renders entity metadata and group names', async () => {
      const policy = [
        'path "secret/data/teams/{{identity.entity.metadata.team}}/*" { capabilities = ["read"] }',
        'path "secret/data/groups/{{identity.groups.names.tmpl-team.id}}/*" { capabilities = ["read"] }',
      ].join('\n');
      await s.req('PUT', '/v1/sys/policy/tmpl', { body: { policy } });
      await addUser('frank', { token_policies: 'tmpl' });
      const { token, auth } = await login('frank');
      const entity = String(auth['entity_id']);
      await s.req('POST', `/v1/identity/entity/id/${entity}`, { body: { metadata: { team: 'blue' } } });
      const group = String(data((await s.req('POST', '/v1/identity/group', { body: { name: 'tmpl-team', member_entity_ids: [entity] } })).json)['id']);
      await s.req('POST', '/v1/secret/data/teams/blue/k', { body: { data: { v: 1 } } });
      await s.req('POST', `/v1/secret/data/groups/${group}/k`, { body: { data: { v: 1 } } });
      assert.equal((await s.req('GET', '/v1/secret/data/teams/blue/k', { token })).status, 200);
      assert.equal((await s.req('GET', '/v1/secret/data/teams/red/k', { token })).status, 403);
      assert.equal((await s.req('GET', `/v1/secret/data/groups/${group}/k`, { token })).status, 200);
    });
  });

  it("refuses every request of a disabled entity's tokens, and its logins, until it is enabled again", async () => {
    await addUser('gina');
    const { token, auth } = await login('gina');
    const entity = String(auth['entity_id']);
    assert.equal((await s.req('POST', `/v1/identity/entity/id/${entity}`, { body: { disabled: true } })).status, 204);
    assert.equal((await s.req('GET', '/v1/auth/token/lookup-self', { token })).status, 403);
    assert.equal((await s.req('POST', '/v1/auth/userpass/login/gina', { token: '', body: { password: 'pw-gina-123' } })).status, 403);
    assert.equal((await s.req('POST', `/v1/identity/entity/id/${entity}`, { body: { disabled: false } })).status, 204);
    assert.equal((await s.req('GET', '/v1/auth/token/lookup-self', { token })).status, 200);
  });

  it('keeps entities, aliases and groups across a seal and unseal', async () => {
    await addUser('hank');
    const { auth } = await login('hank');
    const entity = String(auth['entity_id']);
    const group = String(data((await s.req('POST', '/v1/identity/group', { body: { name: 'persist', member_entity_ids: [entity], policies: ['keep'] } })).json)['id']);
    assert.equal((await s.req('PUT', '/v1/sys/seal')).status, 204);
    assert.equal((await s.req('PUT', '/v1/sys/unseal', { token: '', body: { key: s.unsealKey } })).status, 200);
    assert.deepEqual(data((await s.req('GET', `/v1/identity/group/id/${group}`)).json)['member_entity_ids'], [entity]);
    const again = await login('hank');
    assert.equal(again.auth['entity_id'], entity);
    assert.deepEqual(again.auth['identity_policies'], ['keep']);
  });
});
