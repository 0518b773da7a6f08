// Specification of leases as clients see them: leased secrets get lease ids; sys/leases lookup,
// list, renew (capped by max TTL), revoke, revoke-prefix, revoke-force, tidy, count; the legacy
// sys/renew and sys/revoke paths; revoking a token revokes its leases; disabling a mount too.

import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { LeasingLog, TestServer } from '../testing/index.js';
import { createLeasingEngine, startDevServer } from '../testing/index.js';

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => {
  assert.ok(v !== null && typeof v === 'object' && !Array.isArray(v), `expected an object, got ${JSON.stringify(v)}`);
  return v as Json;
};

describe('leases over HTTP', () => {
  let s: TestServer;
  const log: LeasingLog = { issued: [], revoked: [], renewed: [], failRevocations: false };
  const creds = async (token?: string) => {
    const r = await s.req('GET', '/v1/leasing/creds/app', token ? { token } : {});
    assert.equal(r.status, 200, r.text);
    return obj(r.json);
  };

  before(async () => {
    s = await startDevServer({ extraEngines: { leasing: createLeasingEngine(log) } });
    assert.equal((await s.req('POST', '/v1/sys/mounts/leasing', { body: { type: 'leasing' } })).status, 204);
    assert.equal((await s.req('POST', '/v1/leasing/roles/app', { body: { ttl: '1h', max_ttl: '2h' } })).status, 204);
  });
  beforeEach(() => {
    log.failRevocations = false;
  });
  after(async () => {
    await s.close();
  });

  it('gives a leased secret a lease id under its request path, renewable, with its TTL', async () => {
    const b = await creds();
    assert.match(String(b['lease_id']), /^leasing\/creds\/app\/[A-Za-z0-9_-]+$/);
    assert.equal(b['renewable'], true);
    assert.equal(b['lease_duration'], 3600);
    assert.equal(obj(b['data'])['username'], log.issued[log.issued.length - 1]);
  });

  it('looks a lease up and lists leases by prefix', async () => {
    const id = String((await creds())['lease_id']);
    const d = obj(obj((await s.req('PUT', '/v1/sys/leases/lookup', { body: { lease_id: id } })).json)['data']);
    assert.equal(d['id'], id);
    assert.equal(d['renewable'], true);
    assert.ok(Number(d['ttl']) > 3590 && Number(d['ttl']) <= 3600);
    assert.ok(!Number.isNaN(Date.parse(String(d['expire_time']))));
    assert.equal(d['last_renewal'], null);
    const keys = obj(obj((await s.req('LIST', '/v1/sys/leases/lookup/leasing/creds/app/')).json)['data'])['keys'] as string[];
    assert.ok(keys.includes(id.split('/').pop() ?? ''));
    assert.equal((await s.req('PUT', '/v1/sys/leases/lookup', { body: { lease_id: 'leasing/creds/app/nope' } })).status, 400);
  });

  it('renews with an increment, capped by the max TTL, on both the modern and legacy paths', async () => {
    const id = String((await creds())['lease_id']);
    const r = obj((await s.req('PUT', '/v1/sys/leases/renew', { body: { lease_id: id, increment: '30m' } })).json);
    assert.equal(r['lease_id'], id);
    assert.equal(r['lease_duration'], 1800);
    assert.equal(r['renewable'], true);
    const capped = obj((await s.req('PUT', `/v1/sys/renew/${id}`, { body: { increment: 100000 } })).json);
    assert.ok(Number(capped['lease_duration']) <= 7200 && Number(capped['lease_duration']) > 7100, JSON.stringify(capped));
  });

  it('revokes one lease through the engine, then forgets it', async () => {
    const b = await creds();
    const id = String(b['lease_id']);
    const user = String(obj(b['data'])['username']);
    assert.equal((await s.req('PUT', '/v1/sys/leases/revoke', { body: { lease_id: id } })).status, 204);
    assert.ok(log.revoked.includes(user));
    assert.equal((await s.req('PUT', '/v1/sys/leases/lookup', { body: { lease_id: id } })).status, 400);
  });

  it('revokes in the background with sync=false (202), and through legacy sys/revoke', async () => {
    const a = await creds();
    const r = await s.req('PUT', '/v1/sys/leases/revoke', { body: { lease_id: a['lease_id'], sync: false } });
    assert.equal(r.status, 202);
    const b = await creds();
    assert.equal((await s.req('PUT', `/v1/sys/revoke/${String(b['lease_id'])}`)).status, 204);
    assert.ok(log.revoked.includes(String(obj(b['data'])['username'])));
  });

  it('revokes every lease under a prefix', async () => {
    const users = [await creds(), await creds()].map((b) => String(obj(b['data'])['username']));
    assert.equal((await s.req('PUT', '/v1/sys/leases/revoke-prefix/leasing/creds/app')).status, 204);
    for (const u of users) assert.ok(log.revoked.includes(u), u);
    assert.equal((await s.req('LIST', '/v1/sys/leases/lookup/leasing/creds/app/')).status, 404);
  });

  it('keeps a lease whose revocation fails, and revoke-force removes it anyway', async () => {
    const id = String((await creds())['lease_id']);
    log.failRevocations = true;
    assert.equal((await s.req('PUT', '/v1/sys/leases/revoke', { body: { lease_id: id } })).status, 500);
    assert.equal((await s.req('PUT', '/v1/sys/leases/lookup', { body: { lease_id: id } })).status, 200);
    assert.equal((await s.req('PUT', '/v1/sys/leases/revoke-force/leasing/creds/app')).status, 204);
    assert.equal((await s.req('PUT', '/v1/sys/leases/lookup', { body: { lease_id: id } })).status, 400);
  });

  it('revokes the leases a token created when the token is revoked', async () => {
    await s.req('PUT', '/v1/sys/policies/acl/creds', { body: { policy: 'path "leasing/creds/*" { capabilities = ["read"] }' } });
    const tok = String(obj(obj((await s.req('POST', '/v1/auth/token/create', { body: { policies: ['creds'] } })).json)['auth'])['client_token']);
    const user = String(obj((await creds(tok))['data'])['username']);
    assert.equal((await s.req('POST', '/v1/auth/token/revoke', { body: { token: tok } })).status, 204);
    assert.ok(log.revoked.includes(user));
  });

  it('counts leases and starts a tidy with 202', async () => {
    await creds();
    const c = obj(obj((await s.req('GET', '/v1/sys/leases/count')).json)['data']);
    assert.ok(Number(c['lease_count']) >= 1);
    const t = await s.req('PUT', '/v1/sys/leases/tidy');
    assert.equal(t.status, 202);
    assert.match(String((obj(t.json)['warnings'] as string[])[0]), /Tidy/);
  });

  it('revokes a mount\'s leases when the mount is disabled', async () => {
    await s.req('POST', '/v1/sys/mounts/leasing2', { body: { type: 'leasing' } });
    await s.req('POST', '/v1/leasing2/roles/r', { body: { ttl: '1h' } });
    const r = obj((await s.req('GET', '/v1/leasing2/creds/r')).json);
    const user = String(obj(r['data'])['username']);
    assert.equal((await s.req('DELETE', '/v1/sys/mounts/leasing2')).status, 204);
    assert.ok(log.revoked.includes(user));
  });
});
