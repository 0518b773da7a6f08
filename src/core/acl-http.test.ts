// Specification of policies and the ACL as clients see them: sys/policy and sys/policies/acl,
// tokens limited by their policies, deny, sudo, + and * precedence, capabilities endpoints.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { TestServer } from '../testing/index.js';
import { startDevServer } from '../testing/index.js';

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => {
  assert.ok(v !== null && typeof v === 'object' && !Array.isArray(v), `expected an object, got ${JSON.stringify(v)}`);
  return v as Json;
};

describe('policies and the ACL over HTTP', () => {
  let s: TestServer;
  const tokenFor = async (policies: string[]): Promise<string> => {
    const r = await s.req('POST', '/v1/auth/token/create', { body: { policies, no_default_policy: false } });
    assert.equal(r.status, 200, r.text);
    return String(obj(obj(r.json)['auth'])['client_token']);
  };
  const write = (name: string, policy: string) => s.req('PUT', `/v1/sys/policies/acl/${name}`, { body: { policy } });

  before(async () => {
    s = await startDevServer();
    for (const k of ['app/one', 'app/two', 'team/a/cfg', 'team/b/cfg', 'other/x']) await s.req('POST', `/v1/kv/${k}`, { body: { v: k } });
  });
  after(async () => {
    await s.close();
  });

  describe('policy endpoints', () => {
    it('writes, reads and lists policies on both the modern and the legacy paths', async () => {
      assert.equal((await write('reader', 'path "kv/app/*" { capabilities = ["read"] }')).status, 204);
      const modern = obj(obj((await s.req('GET', '/v1/sys/policies/acl/reader')).json)['data']);
      assert.equal(modern['name'], 'reader');
      assert.match(String(modern['policy']), /kv\/app/);
      const legacy = obj((await s.req('GET', '/v1/sys/policy/reader')).json);
      assert.equal(legacy['name'], 'reader', 'legacy read injects data at the top level');
      assert.match(String(legacy['rules']), /kv\/app/);
      const list = obj((await s.req('GET', '/v1/sys/policy')).json);
      assert.ok((list['policies'] as string[]).includes('root'));
      assert.ok((list['keys'] as string[]).includes('default'));
      const modernList = obj(obj((await s.req('LIST', '/v1/sys/policies/acl')).json)['data']);
      assert.ok((modernList['keys'] as string[]).includes('reader'));
    });
    it('accepts `rules` on the legacy path and lower-cases names', async () => {
      assert.equal((await s.req('PUT', '/v1/sys/policy/MixedCase', { body: { rules: 'path "x" { capabilities = ["read"] }' } })).status, 204);
      assert.equal((await s.req('GET', '/v1/sys/policy/mixedcase')).status, 200);
    });
    it('rejects unparsable policies, and refuses to change root or delete default', async () => {
      const bad = await write('bad', 'path "x" { capabilities = ["fly"] }');
      assert.equal(bad.status, 400);
      assert.match(String((obj(bad.json)['errors'] as string[])[0]), /failed to parse policy/);
      assert.equal((await write('root', 'path "x" { capabilities = ["read"] }')).status, 400);
      assert.equal((await s.req('DELETE', '/v1/sys/policies/acl/default')).status, 400);
      assert.equal((await s.req('DELETE', '/v1/sys/policies/acl/does-not-exist')).status, 204);
      assert.equal((await s.req('GET', '/v1/sys/policies/acl/does-not-exist')).status, 404);
    });
  });

  describe('enforcement', () => {
    it('allows read but answers 403 on LIST for a token without list', async () => {
      await write('read-only', 'path "kv/app/*" { capabilities = ["read"] }');
      const t = await tokenFor(['read-only']);
      assert.equal((await s.req('GET', '/v1/kv/app/one', { token: t })).status, 200);
      assert.equal((await s.req('LIST', '/v1/kv/app/', { token: t })).status, 403);
      assert.equal((await s.req('POST', '/v1/kv/app/one', { token: t, body: { v: 2 } })).status, 403);
      assert.equal((await s.req('GET', '/v1/kv/other/x', { token: t })).status, 403);
    });
    it('lets deny beat any grant from another policy', async () => {
      await write('grant-all', 'path "kv/*" { capabilities = ["read", "list", "update", "create"] }');
      await write('deny-team-b', 'path "kv/team/b/*" { capabilities = ["deny"] }');
      const t = await tokenFor(['grant-all', 'deny-team-b']);
      assert.equal((await s.req('GET', '/v1/kv/team/a/cfg', { token: t })).status, 200);
      assert.equal((await s.req('GET', '/v1/kv/team/b/cfg', { token: t })).status, 403);
    });
    it('applies a policy change on the next request', async () => {
      await write('changing', 'path "kv/other/*" { capabilities = ["read"] }');
      const t = await tokenFor(['changing']);
      assert.equal((await s.req('GET', '/v1/kv/other/x', { token: t })).status, 200);
      await write('changing', 'path "kv/app/*" { capabilities = ["read"] }');
      assert.equal((await s.req('GET', '/v1/kv/other/x', { token: t })).status, 403);
      await s.req('DELETE', '/v1/sys/policies/acl/changing');
      assert.equal((await s.req('GET', '/v1/kv/app/one', { token: t })).status, 403);
    });
    it('decides create vs update with the existence check', async () => {
      await write('create-only', 'path "kv/cu/*" { capabilities = ["create"] }');
      const t = await tokenFor(['create-only']);
      assert.equal((await s.req('POST', '/v1/kv/cu/new', { token: t, body: { v: 1 } })).status, 204);
      assert.equal((await s.req('POST', '/v1/kv/cu/new', { token: t, body: { v: 2 } })).status, 403);
    });
    it('requires sudo on root-protected paths', async () => {
      await write('mounts-admin', 'path "sys/auth/*" { capabilities = ["create", "update", "read", "delete"] }\npath "sys/mounts/*" { capabilities = ["create", "update", "read", "delete"] }');
      const t = await tokenFor(['mounts-admin']);
      assert.equal((await s.req('POST', '/v1/sys/mounts/by-admin', { token: t, body: { type: 'kv' } })).status, 204);
      assert.equal((await s.req('POST', '/v1/sys/auth/by-admin', { token: t, body: { type: 'userpass' } })).status, 403);
      await write('mounts-admin', 'path "sys/auth/*" { capabilities = ["create", "update", "read", "delete", "sudo"] }');
      const r = await s.req('POST', '/v1/sys/auth/by-admin', { token: t, body: { type: 'nonexistent-method' } });
      assert.equal(r.status, 400, 'past the ACL, the unknown type is the only complaint');
    });
    it('follows Vault precedence between +, * and exact paths', async () => {
      await write(
        'precedence',
        [
          'path "kv/team/*" { capabilities = ["deny"] }',
          'path "kv/team/+/cfg" { capabilities = ["read"] }',
          'path "kv/app/one" { capabilities = ["read"] }',
          'path "kv/app/*" { capabilities = ["deny"] }',
        ].join('\n'),
      );
      const t = await tokenFor(['precedence']);
      // The + rule's first wildcard comes later than the * rule's, so it is more specific.
      assert.equal((await s.req('GET', '/v1/kv/team/a/cfg', { token: t })).status, 200);
      // Exact beats glob.
      assert.equal((await s.req('GET', '/v1/kv/app/one', { token: t })).status, 200);
      assert.equal((await s.req('GET', '/v1/kv/app/two', { token: t })).status, 403);
    });
    it('lets the default policy look up its own token but not read secrets', async () => {
      const t = await tokenFor(['default']);
      assert.equal((await s.req('GET', '/v1/auth/token/lookup-self', { token: t })).status, 200);
      assert.equal((await s.req('GET', '/v1/kv/app/one', { token: t })).status, 403);
      assert.equal((await s.req('GET', '/v1/sys/mounts', { token: t })).status, 403);
    });
  });

  describe('capabilities', () => {
    it('reports capabilities for a token, for itself and by accessor, with both path and paths', async () => {
      await write('caps', 'path "kv/caps/*" { capabilities = ["read", "list"] }');
      const created = obj(obj((await s.req('POST', '/v1/auth/token/create', { body: { policies: ['caps'] } })).json)['auth']);
      const t = String(created['client_token']);
      const byToken = obj((await s.req('POST', '/v1/sys/capabilities', { body: { token: t, path: 'kv/caps/x' } })).json);
      assert.deepEqual(byToken['capabilities'], ['list', 'read']);
      assert.deepEqual(byToken['kv/caps/x'], ['list', 'read']);
      const self = obj(obj((await s.req('POST', '/v1/sys/capabilities-self', { token: t, body: { paths: ['kv/caps/x', 'kv/nope'] } })).json)['data']);
      assert.deepEqual(self['kv/nope'], ['deny']);
      assert.equal(self['capabilities'], undefined);
      const acc = obj(obj((await s.req('POST', '/v1/sys/capabilities-accessor', { body: { accessor: created['accessor'], paths: 'kv/caps/y' } })).json)['data']);
      assert.deepEqual(acc['capabilities'], ['list', 'read']);
      const root = obj(obj((await s.req('POST', '/v1/sys/capabilities-self', { body: { paths: ['anything'] } })).json)['data']);
      assert.deepEqual(root['capabilities'], ['root']);
      assert.equal((await s.req('POST', '/v1/sys/capabilities', { body: { token: 'nope', paths: ['x'] } })).status, 400);
      assert.equal((await s.req('POST', '/v1/sys/capabilities-self', { body: {} })).status, 400);
    });
  });
});
