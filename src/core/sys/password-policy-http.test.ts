// Specification of sys/policies/password over HTTP, and of the password generation engines get
// through their SystemView.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { BackendFactory } from '../../sdk/index.js';
import { createBackend, dataResponse, definePath } from '../../sdk/index.js';
import type { TestServer } from '../../testing/index.js';
import { startDevServer } from '../../testing/index.js';

type Json = Record<string, unknown>;
const data = (v: unknown): Json => (v as { data: Json }).data;

const POLICY = 'length = 12\nrule "charset" {\n  charset = "xyz"\n  min-chars = 1\n}\n';

// An engine that asks the core for passwords, with or without a named policy.
const passwordEngine: BackendFactory = async (config) =>
  createBackend({
    paths: [
      definePath({
        pattern: 'pw',
        fields: { policy: { type: 'string' } },
        operations: { update: async (req) => dataResponse({ password: await config.system.generatePassword(req.fields.policy ?? '') }) },
      }),
    ],
  });

describe('password policies', () => {
  let s: TestServer;
  before(async () => {
    s = await startDevServer({ extraEngines: { pwtest: passwordEngine } });
    assert.equal((await s.req('POST', '/v1/sys/mounts/pw', { body: { type: 'pwtest' } })).status, 204);
  });
  after(async () => {
    await s.close();
  });

  it('stores, reads, lists and deletes a policy, and generates passwords from it', async () => {
    assert.equal((await s.req('PUT', '/v1/sys/policies/password/xyz', { body: { policy: POLICY } })).status, 204);
    assert.equal(data((await s.req('GET', '/v1/sys/policies/password/xyz')).json)['policy'], POLICY);
    assert.deepEqual(data((await s.req('LIST', '/v1/sys/policies/password')).json)['keys'], ['xyz']);
    const generated = String(data((await s.req('GET', '/v1/sys/policies/password/xyz/generate')).json)['password']);
    assert.match(generated, /^[xyz]{12}$/);
    assert.equal((await s.req('DELETE', '/v1/sys/policies/password/xyz')).status, 204);
    assert.equal((await s.req('GET', '/v1/sys/policies/password/xyz')).status, 404);
  });

  it('accepts the policy base64-encoded, as Vault does', async () => {
    assert.equal((await s.req('PUT', '/v1/sys/policies/password/b64', { body: { policy: Buffer.from(POLICY).toString('base64') } })).status, 204);
    assert.equal(data((await s.req('GET', '/v1/sys/policies/password/b64')).json)['policy'], POLICY);
  });

  it('refuses an invalid policy and generation from a missing one with 400', async () => {
    assert.equal((await s.req('PUT', '/v1/sys/policies/password/bad', { body: { policy: 'length = 2' } })).status, 400);
    assert.equal((await s.req('PUT', '/v1/sys/policies/password/bad', { body: {} })).status, 400);
    assert.equal((await s.req('GET', '/v1/sys/policies/password/missing/generate')).status, 400);
  });

  it('gives engines passwords from a named policy or the default one', async () => {
    await s.req('PUT', '/v1/sys/policies/password/for-engine', { body: { policy: POLICY } });
    assert.match(String(data((await s.req('POST', '/v1/pw/pw', { body: { policy: 'for-engine' } })).json)['password']), /^[xyz]{12}$/);
    assert.match(String(data((await s.req('POST', '/v1/pw/pw', { body: {} })).json)['password']), /^[A-Za-z0-9]{20}$/);
    assert.equal((await s.req('POST', '/v1/pw/pw', { body: { policy: 'nope' } })).status, 400);
  });
});
