// Renewing a login's token asks the auth method first, as Vault does: the user or role must
// still exist with the same token policies, and its current TTL limits apply.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { exportSPKI, generateKeyPair, SignJWT } from 'jose';
import type { TestServer } from '../testing/index.js';
import { startDevServer } from '../testing/index.js';
import { defaultTokenParams, loginRenewal } from './token-fields.js';

type Json = Record<string, unknown>;

describe('renewing a login token', () => {
  let s: TestServer;
  before(async () => {
    s = await startDevServer();
  });
  after(async () => {
    await s.close();
  });

  const ok = async (method: string, path: string, body?: Json, token?: string): Promise<Json> => {
    const r = await s.req(method, path, { ...(body !== undefined ? { body } : {}), ...(token !== undefined ? { token } : {}) });
    assert.ok(r.status >= 200 && r.status < 300, `${method} ${path}: ${r.status} ${r.text}`);
    return (r.json ?? {}) as Json;
  };
  const renewSelf = (token: string) => s.req('POST', '/v1/auth/token/renew-self', { token, body: {} });
  const leaseDuration = (body: unknown): number => Number(((body as Json)['auth'] as Json)['lease_duration']);
  const clientToken = (body: Json): string => String((body['auth'] as Json)['client_token']);
  const firstError = (body: unknown): string => String(((body as { errors?: unknown[] }).errors ?? [])[0]);

  describe('userpass', () => {
    before(async () => {
      await ok('POST', '/v1/sys/auth/userpass', { type: 'userpass' });
    });

    it('renews on the user’s current TTL', async () => {
      await ok('POST', '/v1/auth/userpass/users/bob', { password: 'pw', token_policies: 'app', token_ttl: '1h', token_max_ttl: '24h' });
      const token = clientToken(await ok('POST', '/v1/auth/userpass/login/bob', { password: 'pw' }));
      const first = await renewSelf(token);
      assert.equal(first.status, 200, first.text);
      assert.equal(leaseDuration(first.json), 3600);
      await ok('POST', '/v1/auth/userpass/users/bob', { token_ttl: '30m' });
      const second = await renewSelf(token);
      assert.equal(second.status, 200, second.text);
      assert.equal(leaseDuration(second.json), 1800);
    });

    it('refuses once the user’s policies changed, and the token keeps working until it expires', async () => {
      await ok('POST', '/v1/auth/userpass/users/carol', { password: 'pw', token_policies: 'app', token_ttl: '1h' });
      const token = clientToken(await ok('POST', '/v1/auth/userpass/login/carol', { password: 'pw' }));
      await ok('POST', '/v1/auth/userpass/users/carol', { token_policies: 'app,admin' });
      const r = await renewSelf(token);
      assert.equal(r.status, 400);
      assert.equal(firstError(r.json), 'policies have changed, not renewing');
      assert.equal((await s.req('GET', '/v1/auth/token/lookup-self', { token })).status, 200);
    });

    it('refuses once the user is deleted, also through auth/token/renew with the root token', async () => {
      await ok('POST', '/v1/auth/userpass/users/dave', { password: 'pw', token_policies: 'app' });
      const token = clientToken(await ok('POST', '/v1/auth/userpass/login/dave', { password: 'pw' }));
      await ok('DELETE', '/v1/auth/userpass/users/dave');
      const self = await renewSelf(token);
      assert.equal(self.status, 400);
      assert.equal(firstError(self.json), 'user "dave" does not exist during renewal');
      const byRoot = await s.req('POST', '/v1/auth/token/renew', { body: { token } });
      assert.equal(byRoot.status, 400);
    });
  });

  describe('approle', () => {
    it('renews while the role exists and refuses after it is deleted', async () => {
      await ok('POST', '/v1/sys/auth/approle', { type: 'approle' });
      await ok('POST', '/v1/auth/approle/role/web', { token_policies: 'app', token_ttl: '20m' });
      const roleId = String(((await ok('GET', '/v1/auth/approle/role/web/role-id'))['data'] as Json)['role_id']);
      const secretId = String(((await ok('POST', '/v1/auth/approle/role/web/secret-id', {}))['data'] as Json)['secret_id']);
      const token = clientToken(await ok('POST', '/v1/auth/approle/login', { role_id: roleId, secret_id: secretId }));
      const renewed = await renewSelf(token);
      assert.equal(renewed.status, 200, renewed.text);
      assert.equal(leaseDuration(renewed.json), 1200);
      await ok('DELETE', '/v1/auth/approle/role/web');
      const refused = await renewSelf(token);
      assert.equal(refused.status, 400);
      assert.equal(firstError(refused.json), 'role "web" does not exist during renewal');
    });
  });

  describe('jwt', () => {
    it('renews while the role exists and refuses after it is deleted', async () => {
      const { privateKey, publicKey } = await generateKeyPair('ES256');
      await ok('POST', '/v1/sys/auth/jwt', { type: 'jwt' });
      await ok('POST', '/v1/auth/jwt/config', { jwt_validation_pubkeys: [await exportSPKI(publicKey)] });
      await ok('POST', '/v1/auth/jwt/role/ci', { role_type: 'jwt', user_claim: 'sub', bound_audiences: ['coffer'], token_policies: 'app', token_ttl: '15m' });
      const now = Math.floor(Date.now() / 1000);
      const jwt = await new SignJWT({ sub: 'pipeline-1', aud: 'coffer', iat: now, exp: now + 300 }).setProtectedHeader({ alg: 'ES256' }).sign(privateKey);
      const token = clientToken(await ok('POST', '/v1/auth/jwt/login', { role: 'ci', jwt }));
      const renewed = await renewSelf(token);
      assert.equal(renewed.status, 200, renewed.text);
      assert.equal(leaseDuration(renewed.json), 900);
      await ok('DELETE', '/v1/auth/jwt/role/ci');
      const refused = await renewSelf(token);
      assert.equal(refused.status, 400);
      assert.equal(firstError(refused.json), 'role "ci" does not exist during renewal');
    });
  });

  it('tokens from auth/token/create renew on their own limits', async () => {
    const token = clientToken(await ok('POST', '/v1/auth/token/create', { policies: ['app'], ttl: '1h' }));
    const r = await renewSelf(token);
    assert.equal(r.status, 200, r.text);
    assert.equal(leaseDuration(r.json), 3600);
  });
});

describe('loginRenewal', () => {
  const params = { ...defaultTokenParams(), policies: ['b', 'a'], ttl: 60, maxTtl: 600, period: 0 };
  it('ignores order, duplicates and "default" when comparing policies', () => {
    assert.deepEqual(loginRenewal(params, { metadata: {}, policies: ['default', 'a', 'b', 'a'] }, 'role "x"'), { ttl: 60, maxTtl: 600, period: 0 });
  });
  it('refuses a missing principal or different policies', () => {
    assert.throws(() => loginRenewal(undefined, { metadata: {}, policies: [] }, 'role "x"'), /role "x" does not exist during renewal/);
    assert.throws(() => loginRenewal(params, { metadata: {}, policies: ['a'] }, 'role "x"'), /policies have changed/);
  });
});
