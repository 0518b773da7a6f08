// Specification of cubbyhole: per-token private storage, invisible to other tokens (root
// included), destroyed when the token is revoked.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { TestServer } from '../testing/index.js';
import { startDevServer } from '../testing/index.js';

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => v as Json;

describe('cubbyhole over HTTP', () => {
  let s: TestServer;
  let cubbyPrefix = '';
  const newToken = async (): Promise<string> =>
    String(obj(obj((await s.req('POST', '/v1/auth/token/create', { body: { policies: ['default'] } })).json)['auth'])['client_token']);
  const tokenFolders = async (): Promise<string[]> => await s.running.physical.list(cubbyPrefix);

  before(async () => {
    s = await startDevServer();
    const mounts = obj(obj((await s.req('GET', '/v1/sys/mounts')).json)['data']);
    const cubby = obj(mounts['cubbyhole/']);
    assert.equal(cubby['type'], 'cubbyhole');
    assert.equal(cubby['local'], true);
    cubbyPrefix = `logical/${String(cubby['uuid'])}/`;
  });
  after(async () => {
    await s.close();
  });

  it('stores, lists and reads secrets privately per token', async () => {
    const a = await newToken();
    const b = await newToken();
    assert.equal((await s.req('POST', '/v1/cubbyhole/app/db', { token: a, body: { password: 'a-secret' } })).status, 204);
    assert.deepEqual(obj((await s.req('GET', '/v1/cubbyhole/app/db', { token: a })).json)['data'], { password: 'a-secret' });
    assert.deepEqual(obj(obj((await s.req('LIST', '/v1/cubbyhole/app', { token: a })).json)['data'])['keys'], ['db']);
    assert.equal((await s.req('GET', '/v1/cubbyhole/app/db', { token: b })).status, 404);
    assert.equal((await s.req('GET', '/v1/cubbyhole/app/db')).status, 404, 'not even root sees it');
  });

  it('destroys a token\'s cubbyhole when the token is revoked', async () => {
    const t = await newToken();
    await s.req('POST', '/v1/cubbyhole/k1', { token: t, body: { v: 1 } });
    await s.req('POST', '/v1/cubbyhole/dir/k2', { token: t, body: { v: 2 } });
    const before = await tokenFolders();
    assert.equal((await s.req('POST', '/v1/auth/token/revoke-self', { token: t })).status, 204);
    const after = await tokenFolders();
    assert.equal(after.length, before.length - 1);
  });

  it('cannot be disabled or mounted again', async () => {
    assert.equal((await s.req('DELETE', '/v1/sys/mounts/cubbyhole')).status, 400);
    assert.equal((await s.req('POST', '/v1/sys/mounts/cubbyhole', { body: { type: 'kv' } })).status, 400);
  });
});
