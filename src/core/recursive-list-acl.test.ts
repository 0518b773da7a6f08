// Specification: a recursive KV v2 metadata list answers only the paths the token may list or
// read; the ACL of the listed folder alone does not decide what deeper keys are revealed.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { TestServer } from '../testing/index.js';
import { startDevServer } from '../testing/index.js';

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => v as Json;

describe('recursive listing under the ACL', () => {
  let s: TestServer;
  before(async () => {
    s = await startDevServer();
    for (const p of ['team-a/app/db', 'team-a/web', 'team-b/app/db', 'shared/cfg']) {
      assert.equal((await s.req('POST', `/v1/secret/data/${p}`, { body: { data: { v: p } } })).status, 200);
    }
  });
  after(async () => {
    await s.close();
  });

  it('lists every nested key for root', async () => {
    const r = await s.req('LIST', '/v1/secret/metadata/?recursive=true');
    assert.deepEqual(obj(obj(r.json)['data'])['keys'], ['shared/cfg', 'team-a/app/db', 'team-a/web', 'team-b/app/db']);
  });

  it('hides keys the token may neither list nor read', async () => {
    await s.req('PUT', '/v1/sys/policies/acl/team-a', {
      body: { policy: 'path "secret/metadata/" { capabilities = ["list"] }\npath "secret/metadata/team-a/*" { capabilities = ["list", "read"] }' },
    });
    const t = String(obj(obj((await s.req('POST', '/v1/auth/token/create', { body: { policies: ['team-a'] } })).json)['auth'])['client_token']);
    const r = await s.req('LIST', '/v1/secret/metadata/?recursive=true', { token: t });
    assert.equal(r.status, 200);
    assert.deepEqual(obj(obj(r.json)['data'])['keys'], ['team-a/app/db', 'team-a/web']);
    const plain = await s.req('LIST', '/v1/secret/metadata/', { token: t });
    assert.deepEqual(obj(obj(plain.json)['data'])['keys'], ['shared/', 'team-a/', 'team-b/'], 'a one-level list shows folder names as Vault does');
  });
});
