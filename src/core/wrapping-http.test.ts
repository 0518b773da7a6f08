// Specification of response wrapping: X-Vault-Wrap-TTL on any request, wrap_info, single-use
// unwrap (as the client token or in the body), lookup, rewrap, sys/wrapping/wrap, expiry by TTL,
// and policy min/max wrapping TTLs.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { TestServer } from '../testing/index.js';
import { startDevServer } from '../testing/index.js';

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => {
  assert.ok(v !== null && typeof v === 'object' && !Array.isArray(v), `expected an object, got ${JSON.stringify(v)}`);
  return v as Json;
};

describe('response wrapping over HTTP', () => {
  let s: TestServer;
  const wrapInfo = (r: { json: unknown }): Json => obj(obj(r.json)['wrap_info']);

  before(async () => {
    s = await startDevServer();
    await s.req('POST', '/v1/kv/wrapped', { body: { password: 'p4ss' } });
  });
  after(async () => {
    await s.close();
  });

  it('wraps any response: the client gets only wrap_info', async () => {
    const r = await s.req('GET', '/v1/kv/wrapped', { headers: { 'X-Vault-Wrap-TTL': '5m' } });
    assert.equal(r.status, 200);
    const b = obj(r.json);
    assert.equal(b['data'], null);
    assert.equal(b['request_id'], '');
    const w = wrapInfo(r);
    assert.match(String(w['token']), /^hvs\./);
    assert.equal(w['ttl'], 300);
    assert.equal(w['creation_path'], 'kv/wrapped');
    assert.ok(!Number.isNaN(Date.parse(String(w['creation_time']))));
    assert.equal(w['wrapped_accessor'], undefined);
  });

  it('unwraps once and only once, with the wrapping token as the client token', async () => {
    const w = wrapInfo(await s.req('GET', '/v1/kv/wrapped', { headers: { 'X-Vault-Wrap-TTL': '60' } }));
    const token = String(w['token']);
    const u = await s.req('POST', '/v1/sys/wrapping/unwrap', { token });
    assert.equal(u.status, 200);
    assert.deepEqual(obj(u.json)['data'], { password: 'p4ss' });
    assert.equal(obj(u.json)['lease_duration'], 2764800);
    const again = await s.req('POST', '/v1/sys/wrapping/unwrap', { token });
    assert.equal(again.status, 403);
    const inBody = await s.req('POST', '/v1/sys/wrapping/unwrap', { body: { token } });
    assert.equal(inBody.status, 400);
  });

  it('unwraps with the token in the body, and the wrapping token is gone afterwards', async () => {
    const token = String(wrapInfo(await s.req('GET', '/v1/kv/wrapped', { headers: { 'X-Vault-Wrap-TTL': '60' } }))['token']);
    const u = await s.req('POST', '/v1/sys/wrapping/unwrap', { body: { token } });
    assert.deepEqual(obj(u.json)['data'], { password: 'p4ss' });
    assert.equal((await s.req('POST', '/v1/sys/wrapping/unwrap', { body: { token } })).status, 400);
    assert.equal((await s.req('POST', '/v1/sys/wrapping/lookup', { token: '', body: { token } })).status, 400);
  });

  it('wraps a token-issuing response and reports the wrapped accessor', async () => {
    const r = await s.req('POST', '/v1/auth/token/create', { body: { policies: ['default'] }, headers: { 'X-Vault-Wrap-TTL': '2m' } });
    const w = wrapInfo(r);
    assert.equal(typeof w['wrapped_accessor'], 'string');
    const u = obj((await s.req('POST', '/v1/sys/wrapping/unwrap', { token: String(w['token']) })).json);
    assert.equal(obj(u['auth'])['accessor'], w['wrapped_accessor']);
  });

  it('looks up without a client token, rewraps, and wraps arbitrary data with a 5 minute default', async () => {
    const wrapped = await s.req('POST', '/v1/sys/wrapping/wrap', { body: { hello: 'world' } });
    const w = wrapInfo(wrapped);
    assert.equal(w['ttl'], 300);
    assert.equal(w['creation_path'], 'sys/wrapping/wrap');
    const look = obj(obj((await s.req('POST', '/v1/sys/wrapping/lookup', { token: '', body: { token: w['token'] } })).json)['data']);
    assert.equal(look['creation_path'], 'sys/wrapping/wrap');
    assert.equal(look['creation_ttl'], 300);
    const re = wrapInfo(await s.req('POST', '/v1/sys/wrapping/rewrap', { body: { token: w['token'] } }));
    assert.notEqual(re['token'], w['token']);
    assert.equal((await s.req('POST', '/v1/sys/wrapping/unwrap', { body: { token: w['token'] } })).status, 400);
    const u = obj((await s.req('POST', '/v1/sys/wrapping/unwrap', { body: { token: re['token'] } })).json);
    assert.deepEqual(u['data'], { hello: 'world' });
  });

  it('rejects a malformed or negative X-Vault-Wrap-TTL', async () => {
    assert.equal((await s.req('GET', '/v1/kv/wrapped', { headers: { 'X-Vault-Wrap-TTL': 'soon' } })).status, 400);
    assert.equal((await s.req('GET', '/v1/kv/wrapped', { headers: { 'X-Vault-Wrap-TTL': '-5' } })).status, 400);
  });

  it('enforces a policy\'s min and max wrapping TTLs', async () => {
    await s.req('PUT', '/v1/sys/policies/acl/wrapped-only', {
      body: { policy: 'path "kv/wrapped" { capabilities = ["read"]\n min_wrapping_ttl = "1m"\n max_wrapping_ttl = "10m" }' },
    });
    const t = String(obj(obj((await s.req('POST', '/v1/auth/token/create', { body: { policies: ['wrapped-only'] } })).json)['auth'])['client_token']);
    assert.equal((await s.req('GET', '/v1/kv/wrapped', { token: t })).status, 403, 'wrapping is required');
    assert.equal((await s.req('GET', '/v1/kv/wrapped', { token: t, headers: { 'X-Vault-Wrap-TTL': '30s' } })).status, 403);
    assert.equal((await s.req('GET', '/v1/kv/wrapped', { token: t, headers: { 'X-Vault-Wrap-TTL': '1h' } })).status, 403);
    assert.equal((await s.req('GET', '/v1/kv/wrapped', { token: t, headers: { 'X-Vault-Wrap-TTL': '5m' } })).status, 200);
  });
});
