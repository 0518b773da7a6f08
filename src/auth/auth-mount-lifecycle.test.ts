// Specification: tokens issued through an auth method live and die with its mount — disabling the
// mount revokes them (their leases are revoked by prefix, and a token lease takes its token along).

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { TestServer } from '../testing/index.js';
import { startDevServer } from '../testing/index.js';

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => v as Json;

describe('auth mount lifecycle', () => {
  let s: TestServer;
  before(async () => {
    s = await startDevServer();
  });
  after(async () => {
    await s.close();
  });

  it('revokes the tokens an auth method issued when the method is disabled', async () => {
    assert.equal((await s.req('POST', '/v1/sys/auth/people', { body: { type: 'userpass' } })).status, 204);
    assert.equal((await s.req('POST', '/v1/auth/people/users/bob', { body: { password: 'pw-bob-123', token_policies: 'default' } })).status, 204);
    const login = await s.req('POST', '/v1/auth/people/login/bob', { token: '', body: { password: 'pw-bob-123' } });
    assert.equal(login.status, 200, login.text);
    const token = String(obj(obj(login.json)['auth'])['client_token']);
    assert.equal((await s.req('GET', '/v1/auth/token/lookup-self', { token })).status, 200);
    assert.equal((await s.req('DELETE', '/v1/sys/auth/people')).status, 204);
    assert.equal((await s.req('GET', '/v1/auth/token/lookup-self', { token })).status, 403);
  });

  it('revokes tokens with sys/leases/revoke-prefix on their login path', async () => {
    await s.req('POST', '/v1/sys/auth/people2', { body: { type: 'userpass' } });
    await s.req('POST', '/v1/auth/people2/users/carol', { body: { password: 'pw-carol-123' } });
    const token = String(obj(obj((await s.req('POST', '/v1/auth/people2/login/carol', { token: '', body: { password: 'pw-carol-123' } })).json)['auth'])['client_token']);
    assert.equal((await s.req('PUT', '/v1/sys/leases/revoke-prefix/auth/people2/login')).status, 204);
    assert.equal((await s.req('GET', '/v1/auth/token/lookup-self', { token })).status, 403);
  });
});
