// Specification of the token API on the wire: the envelope's snake_case `auth` object and
// per-request use counting, against an in-process dev server.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { TestServer } from '../../testing/index.js';
import { startDevServer } from '../../testing/index.js';

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => {
  assert.ok(v !== null && typeof v === 'object' && !Array.isArray(v), `expected an object, got ${JSON.stringify(v)}`);
  return v as Json;
};

describe('auth/token over HTTP', () => {
  let s: TestServer;
  before(async () => {
    s = await startDevServer();
  });
  after(async () => {
    await s.close();
  });

  it('answers token create with 200, data null and the auth object in Vault\'s key order', async () => {
    const r = await s.req('POST', '/v1/auth/token/create', { body: { policies: ['web'], meta: { app: 'x' }, ttl: '1h' } });
    assert.equal(r.status, 200);
    const b = obj(r.json);
    assert.equal(b['data'], null);
    assert.equal(b['mount_type'], 'token');
    const a = obj(b['auth']);
    assert.deepEqual(Object.keys(a), [
      'client_token', 'accessor', 'policies', 'token_policies', 'metadata', 'lease_duration', 'renewable', 'entity_id', 'token_type',
      'orphan', 'mfa_requirement', 'num_uses',
    ]);
    assert.deepEqual(a['policies'], ['default', 'web']);
    assert.equal(a['lease_duration'], 3600);
    assert.equal(a['renewable'], true);
    assert.equal(a['mfa_requirement'], null);
    assert.equal(a['token_type'], 'service');
  });

  it('keeps auth null on ordinary responses', async () => {
    const r = await s.req('GET', '/v1/auth/token/lookup-self');
    assert.equal(r.status, 200);
    const b = obj(r.json);
    assert.equal(b['auth'], null);
    assert.equal(obj(b['data'])['id'], s.rootToken);
  });

  it('spends one use per request and answers 403 once the uses are gone', async () => {
    const c = await s.req('POST', '/v1/auth/token/create', { body: { num_uses: 2 } });
    const token = String(obj(obj(c.json)['auth'])['client_token']);
    const first = await s.req('GET', '/v1/auth/token/lookup-self', { token });
    assert.equal(obj(obj(first.json)['data'])['num_uses'], 1);
    const second = await s.req('GET', '/v1/auth/token/lookup-self', { token });
    assert.equal(second.status, 200);
    const third = await s.req('GET', '/v1/auth/token/lookup-self', { token });
    assert.equal(third.status, 403);
  });

  it('answers 403 for a revoked token and 204 for revoke', async () => {
    const c = await s.req('POST', '/v1/auth/token/create', { body: {} });
    const token = String(obj(obj(c.json)['auth'])['client_token']);
    assert.equal((await s.req('POST', '/v1/auth/token/revoke', { body: { token } })).status, 204);
    assert.equal((await s.req('GET', '/v1/auth/token/lookup-self', { token })).status, 403);
  });

  it('lists roles and accessors with LIST', async () => {
    assert.equal((await s.req('POST', '/v1/auth/token/roles/app', { body: { allowed_policies: 'web' } })).status, 204);
    const roles = await s.req('LIST', '/v1/auth/token/roles');
    assert.deepEqual(obj(obj(roles.json)['data'])['keys'], ['app']);
    const acc = await s.req('GET', '/v1/auth/token/accessors?list=true');
    assert.equal(acc.status, 200);
    assert.ok(Array.isArray(obj(obj(acc.json)['data'])['keys']));
  });
});
