// Specification of `coffer login`, `coffer policy …` and `coffer token …` against a fake server.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { envelope, startFakeVault } from '../api/testing/index.js';
import type { FakeVault } from '../api/testing/index.js';
import { runCoffer, tempHome } from './testing/cli-harness.js';

let fake: FakeVault;
let home: string;
let env: Record<string, string>;

before(async () => {
  fake = await startFakeVault();
});
after(async () => {
  await fake.close();
});
beforeEach(() => {
  fake.requests.length = 0;
  home = tempHome();
  env = { VAULT_ADDR: fake.url, VAULT_TOKEN: 'hvs.caller', HOME: home };
});

const childAuth = {
  client_token: 'hvs.child', accessor: 'acc-1', policies: ['default', 'web'], token_policies: ['default', 'web'],
  metadata: { app: 'x' }, lease_duration: 3600, renewable: true, entity_id: '', token_type: 'service', orphan: false, mfa_requirement: null, num_uses: 0,
};

describe('coffer login', () => {
  const lookup = envelope({ id: 'hvs.new', accessor: 'acc-9', policies: ['root'], ttl: 0, renewable: false, meta: null });

  it('looks the token up with that token, stores it in ~/.vault-token and prints it', async () => {
    fake.on('GET', 'auth/token/lookup-self', { body: lookup });
    const r = await runCoffer(['login', 'hvs.new'], { VAULT_ADDR: fake.url, HOME: home });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(fake.requests[0]?.headers['x-vault-token'], 'hvs.new');
    assert.equal(fs.readFileSync(path.join(home, '.vault-token'), 'utf8'), 'hvs.new');
    assert.match(r.stdout, /^Success! You are now authenticated\./);
    assert.match(r.stdout, /^token                hvs\.new$/m);
    assert.match(r.stdout, /^token_duration       ∞$/m);
    assert.match(r.stdout, /^policies             \["root"\]$/m);
  });

  it('reads the token from stdin, and does not store it with -no-store', async () => {
    fake.on('GET', 'auth/token/lookup-self', { body: lookup });
    const r = await runCoffer(['login', '-no-store', '-'], { VAULT_ADDR: fake.url, HOME: home }, 'hvs.piped\n');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(fake.requests[0]?.headers['x-vault-token'], 'hvs.piped');
    assert.equal(fs.existsSync(path.join(home, '.vault-token')), false);
  });

  it('accepts -method=token and the token given as token=TOKEN, as vault does', async () => {
    fake.on('GET', 'auth/token/lookup-self', { body: lookup });
    const r = await runCoffer(['login', '-method=token', 'token=hvs.kv'], { VAULT_ADDR: fake.url, HOME: home });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(fake.requests[0]?.headers['x-vault-token'], 'hvs.kv');
    assert.equal(fs.readFileSync(path.join(home, '.vault-token'), 'utf8'), 'hvs.kv');
  });

  it('logs in with -method=userpass: POST auth/userpass/login/<username> and stores the token', async () => {
    fake.on('PUT', 'auth/userpass/login/alice', { status: 200, body: envelope(null, { auth: childAuth }) });
    const r = await runCoffer(['login', '-method=userpass', 'username=alice', 'password=pw'], { VAULT_ADDR: fake.url, HOME: home });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(fake.requests[0]?.method, 'PUT');
    assert.deepEqual(fake.requests[0]?.body, { password: 'pw' });
    assert.equal(fake.requests[0]?.headers['x-vault-token'], undefined, 'a login sends no token');
    assert.equal(fs.readFileSync(path.join(home, '.vault-token'), 'utf8'), 'hvs.child');
    assert.match(r.stdout, /Success! You are now authenticated/);
  });

  it('logs in with -method=approle at a custom -path, sending the K=V pairs as the body', async () => {
    fake.on('PUT', 'auth/machines/login', { status: 200, body: envelope(null, { auth: childAuth }) });
    const r = await runCoffer(['login', '-method=approle', '-path=machines', '-token-only', 'role_id=r1', 'secret_id=s1'], { VAULT_ADDR: fake.url, HOME: home });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(fake.requests[0]?.body, { role_id: 'r1', secret_id: 's1' });
    assert.equal(r.stdout, 'hvs.child');
  });

  for (const method of ['jwt', 'kubernetes']) {
    it(`logs in with -method=${method}: POST auth/${method}/login with role and jwt`, async () => {
      fake.on('PUT', `auth/${method}/login`, { status: 200, body: envelope(null, { auth: childAuth }) });
      const r = await runCoffer(['login', `-method=${method}`, '-token-only', 'role=app', 'jwt=eyJ.a.b'], { VAULT_ADDR: fake.url, HOME: home });
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(fake.requests[0]?.body, { role: 'app', jwt: 'eyJ.a.b' });
      assert.equal(r.stdout, 'hvs.child');
    });
  }

  it('reads a K=@file value from the file, without its trailing newline', async () => {
    fake.on('PUT', 'auth/kubernetes/login', { status: 200, body: envelope(null, { auth: childAuth }) });
    const jwtFile = path.join(home, 'sa-token');
    fs.writeFileSync(jwtFile, 'eyJ.from.file\n');
    const r = await runCoffer(['login', '-method=kubernetes', '-token-only', 'role=app', `jwt=@${jwtFile}`], { VAULT_ADDR: fake.url, HOME: home });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(fake.requests[0]?.body, { role: 'app', jwt: 'eyJ.from.file' });
  });

  it('refuses a userpass login without a username, and malformed arguments, without calling the server', async () => {
    const a = await runCoffer(['login', '-method=userpass', 'password=pw'], { VAULT_ADDR: fake.url, HOME: home });
    assert.equal(a.code, 1);
    const b = await runCoffer(['login', '-method=approle', 'role_id'], { VAULT_ADDR: fake.url, HOME: home });
    assert.equal(b.code, 1);
    assert.equal(fake.requests.length, 0);
  });

  it('exits 2 and stores nothing when the token is rejected', async () => {
    fake.on('GET', 'auth/token/lookup-self', { status: 403, body: { errors: ['permission denied'] } });
    const r = await runCoffer(['login', 'hvs.bad'], { VAULT_ADDR: fake.url, HOME: home });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^Error authenticating: /);
    assert.equal(fs.existsSync(path.join(home, '.vault-token')), false);
  });
});

describe('coffer policy', () => {
  it('uploads a policy file with PUT sys/policies/acl/<name>', async () => {
    fake.on('PUT', 'sys/policies/acl/web', { status: 204 });
    const file = path.join(home, 'web.hcl');
    fs.writeFileSync(file, 'path "secret/*" { capabilities = ["read"] }\n');
    const r = await runCoffer(['policy', 'write', 'Web', file], env);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(fake.requests[0]?.body, { policy: 'path "secret/*" { capabilities = ["read"] }\n' });
    assert.equal(r.stdout, 'Success! Uploaded policy: web\n');
  });

  it('reads a policy\'s rules, and reports a missing one', async () => {
    fake.on('GET', 'sys/policies/acl/web', { body: envelope({ name: 'web', policy: 'path "a" {}\n' }) });
    const r = await runCoffer(['policy', 'read', 'web'], env);
    assert.equal(r.stdout, 'path "a" {}\n');
    const missing = await runCoffer(['policy', 'read', 'nope'], env);
    assert.equal(missing.code, 2);
    assert.equal(missing.stderr, 'No policy named: nope\n');
  });

  it('lists policy names one per line, and deletes', async () => {
    fake.on('LIST', 'sys/policies/acl', { body: envelope({ keys: ['default', 'root', 'web'] }) });
    fake.on('DELETE', 'sys/policies/acl/web', { status: 204 });
    const l = await runCoffer(['policy', 'list'], env);
    assert.equal(l.stdout, 'default\nroot\nweb\n');
    const d = await runCoffer(['policy', 'delete', 'web'], env);
    assert.equal(d.stdout, 'Success! Deleted policy: web\n');
  });
});

describe('coffer token', () => {
  it('creates a child token from the flags and prints the auth table', async () => {
    fake.on('PUT', 'auth/token/create', { body: envelope(null, { auth: childAuth }) });
    const r = await runCoffer(['token', 'create', '-policy=web', '-policy', 'db', '-ttl=1h', '-metadata', 'app=x', '-display-name=ci'], env);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(fake.requests[0]?.body, { policies: ['web', 'db'], meta: { app: 'x' }, ttl: '1h0m0s', display_name: 'ci', renewable: true });
    assert.match(r.stdout, /^token                hvs\.child$/m);
    assert.match(r.stdout, /^token_meta_app       x$/m);
  });

  it('creates orphans and role tokens at their own paths, and -field=token prints only the token', async () => {
    fake.on('PUT', 'auth/token/create-orphan', { body: envelope(null, { auth: childAuth }) });
    fake.on('PUT', 'auth/token/create/ci', { body: envelope(null, { auth: childAuth }) });
    const o = await runCoffer(['token', 'create', '-orphan', '-field=token'], env);
    assert.equal(o.stdout, 'hvs.child');
    await runCoffer(['token', 'create', '-role=ci'], env);
    assert.deepEqual(fake.requests.map((q) => q.path), ['auth/token/create-orphan', 'auth/token/create/ci']);
  });

  it('looks up self, a token, or an accessor', async () => {
    const data = envelope({ id: 'hvs.x', policies: ['default'], ttl: 60 });
    fake.on('GET', 'auth/token/lookup-self', { body: data });
    fake.on('PUT', 'auth/token/lookup', { body: data });
    fake.on('PUT', 'auth/token/lookup-accessor', { body: data });
    const self = await runCoffer(['token', 'lookup'], env);
    assert.match(self.stdout, /^policies    \[default\]$/m);
    await runCoffer(['token', 'lookup', 'hvs.other'], env);
    await runCoffer(['token', 'lookup', '-accessor', 'acc-1'], env);
    assert.deepEqual(fake.requests.map((q) => q.body), [undefined, { token: 'hvs.other' }, { accessor: 'acc-1' }]);
  });

  it('renews self or a token with an increment in seconds', async () => {
    fake.on('PUT', 'auth/token/renew-self', { body: envelope(null, { auth: childAuth }) });
    fake.on('PUT', 'auth/token/renew', { body: envelope(null, { auth: childAuth }) });
    await runCoffer(['token', 'renew', '-increment=30m'], env);
    await runCoffer(['token', 'renew', 'hvs.child'], env);
    assert.deepEqual(fake.requests.map((q) => q.body), [{ increment: 1800 }, { token: 'hvs.child' }]);
  });

  it('revokes a token, self, an accessor, or only the token with -mode=orphan', async () => {
    for (const p of ['revoke', 'revoke-self', 'revoke-accessor', 'revoke-orphan']) fake.on('PUT', `auth/token/${p}`, { status: 204 });
    const r = await runCoffer(['token', 'revoke', 'hvs.child'], env);
    assert.equal(r.stdout, 'Success! Revoked token (if it existed)\n');
    await runCoffer(['token', 'revoke', '-self'], env);
    await runCoffer(['token', 'revoke', '-accessor', 'acc-1'], env);
    await runCoffer(['token', 'revoke', '-mode=orphan', 'hvs.child'], env);
    assert.deepEqual(
      fake.requests.map((q) => `${q.path} ${JSON.stringify(q.body)}`),
      ['auth/token/revoke {"token":"hvs.child"}', 'auth/token/revoke-self {}', 'auth/token/revoke-accessor {"accessor":"acc-1"}', 'auth/token/revoke-orphan {"token":"hvs.child"}'],
    );
  });

  it('prints capabilities on a path for self or a given token', async () => {
    fake.on('PUT', 'sys/capabilities-self', { body: envelope({ capabilities: ['update', 'read'], 'secret/x': ['update', 'read'] }) });
    fake.on('PUT', 'sys/capabilities', { body: envelope({ capabilities: ['deny'], 'secret/x': ['deny'] }) });
    const self = await runCoffer(['token', 'capabilities', 'secret/x'], env);
    assert.equal(self.stdout, 'read, update\n');
    const other = await runCoffer(['token', 'capabilities', 'hvs.o', 'secret/x'], env);
    assert.equal(other.stdout, 'deny\n');
    assert.deepEqual(fake.requests.map((q) => q.body), [{ paths: ['secret/x'] }, { token: 'hvs.o', paths: ['secret/x'] }]);
  });
});
