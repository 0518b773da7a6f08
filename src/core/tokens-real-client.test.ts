// Acceptance (tokens): node-vault against a real server process on SQLite — tree revocation,
// orphans surviving, a Nomad-shaped token role, and a short-TTL token refused after expiry even
// across a restart (real time, the one end-to-end expiry test).

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import nodeVault from 'node-vault';
import type { ServerProcess } from '../testing/index.js';
import { rawRequest, sqliteConfigDir, startServerProcess } from '../testing/index.js';

type Json = Record<string, unknown>;
const status = (e: unknown): number | undefined => (e as { response?: { statusCode?: number } }).response?.statusCode;

describe('tokens with node-vault against a server process', () => {
  let cfg: Awaited<ReturnType<typeof sqliteConfigDir>>;
  let server: ServerProcess;
  let key = '';
  let root = '';
  const client = (token?: string) => nodeVault({ apiVersion: 'v1', endpoint: server.url, ...(token ? { token } : {}) });
  const create = async (as: string, body: Json = {}): Promise<string> =>
    ((await client(as).tokenCreate(body)) as { auth: { client_token: string } }).auth.client_token;
  const alive = async (token: string): Promise<boolean> =>
    client(token).tokenLookupSelf().then(
      () => true,
      (e: unknown) => {
        if (status(e) === 403) return false;
        throw e;
      },
    );

  before(async () => {
    cfg = await sqliteConfigDir();
    server = await startServerProcess([`-config=${cfg.configPath}`]);
    const init = (await rawRequest(server.url, 'PUT', '/v1/sys/init', { body: { secret_shares: 1, secret_threshold: 1 } })).json as Json;
    key = (init['keys_base64'] as string[])[0] ?? '';
    root = String(init['root_token']);
    await client().unseal({ key });
    await client(root).addPolicy({
      name: 'web',
      rules: 'path "secret/web/*" { capabilities = ["read"] }\npath "auth/token/create" { capabilities = ["create", "update"] }',
    });
    await client(root).addPolicy({ name: 'db', rules: 'path "secret/db/*" { capabilities = ["read"] }' });
  });
  after(async () => {
    await server.stop();
  });

  it('revokes a token together with its children and grandchildren', async () => {
    const parent = await create(root, { policies: ['web'] });
    const child = await create(parent, { policies: ['web'] });
    const grandchild = await create(child);
    assert.ok(await alive(grandchild));
    await client(root).tokenRevoke({ token: parent });
    assert.equal(await alive(parent), false);
    assert.equal(await alive(child), false);
    assert.equal(await alive(grandchild), false);
  });

  it('keeps children alive, as orphans, when the parent is revoked with revoke-orphan', async () => {
    const parent = await create(root, { policies: ['web'] });
    const child = await create(parent, { policies: ['web'] });
    await client(root).tokenRevokeOrphan({ token: parent });
    assert.equal(await alive(parent), false);
    assert.ok(await alive(child));
    const d = ((await client(root).tokenLookup({ token: child })) as { data: Json }).data;
    assert.equal(d['orphan'], true);
  });

  it('refuses to let a token grant policies it does not hold', async () => {
    const web = await create(root, { policies: ['web'] });
    await assert.rejects(create(web, { policies: ['db'] }), (e: unknown) => status(e) === 400);
  });

  it('creates periodic orphan tokens from a Nomad-shaped role and refuses other policies', async () => {
    await client(root).addTokenRole({ role_name: 'nomad-cluster', allowed_policies: 'web', orphan: true, period: 259200, renewable: true });
    const role = ((await client(root).getTokenRole({ role_name: 'nomad-cluster' })) as { data: Json }).data;
    assert.deepEqual(role['allowed_policies'], ['web']);
    assert.equal(role['orphan'], true);
    const made = (await client(root).tokenCreateRole({ role_name: 'nomad-cluster', policies: ['web'] })) as { auth: Json };
    assert.equal(made.auth['orphan'], true);
    assert.equal(made.auth['lease_duration'], 259200);
    assert.equal(made.auth['renewable'], true);
    const d = ((await client(root).tokenLookup({ token: String(made.auth['client_token']) })) as { data: Json }).data;
    assert.equal(d['period'], 259200);
    assert.equal(d['orphan'], true);
    await assert.rejects(client(root).tokenCreateRole({ role_name: 'nomad-cluster', policies: ['db'] }), (e: unknown) => status(e) === 400);
  });

  it('enforces policies: read without list, deny over grants, and policy changes on the next request', async () => {
    const kv = client(root);
    await kv.mount({ mount_point: 'secret', type: 'kv', options: { version: '1' } });
    await kv.write('secret/web/app', { v: 1 });
    await kv.write('secret/web/locked', { v: 2 });
    await kv.addPolicy({ name: 'web-reader', rules: 'path "secret/web/*" { capabilities = ["read"] }' });
    await kv.addPolicy({ name: 'web-deny', rules: 'path "secret/web/locked" { capabilities = ["deny"] }' });
    await kv.addPolicy({ name: 'web-lister', rules: 'path "secret/web/*" { capabilities = ["read", "list"] }' });
    const reader = client(await create(root, { policies: ['web-reader'] }));
    assert.deepEqual(((await reader.read('secret/web/app')) as { data: Json }).data, { v: 1 });
    await assert.rejects(reader.list('secret/web'), (e: unknown) => status(e) === 403);
    const mixed = client(await create(root, { policies: ['web-lister', 'web-deny'] }));
    assert.deepEqual(((await mixed.list('secret/web')) as { data: { keys: string[] } }).data.keys, ['app', 'locked']);
    await assert.rejects(mixed.read('secret/web/locked'), (e: unknown) => status(e) === 403);
    await kv.addPolicy({ name: 'web-reader', rules: 'path "secret/other/*" { capabilities = ["read"] }' });
    await assert.rejects(reader.read('secret/web/app'), (e: unknown) => status(e) === 403);
  });

  it('refuses a 2 s token after it expires, also when the server restarted in between', async () => {
    const short = await create(root, { policies: ['web'], ttl: '2s' });
    const d = ((await client(short).tokenLookupSelf()) as { data: Json }).data;
    assert.ok(Number(d['ttl']) <= 2);
    const expireAt = Date.parse(String(d['expire_time']));
    await server.stop();
    server = await startServerProcess([`-config=${cfg.configPath}`]);
    await client().unseal({ key });
    // Real time must pass the token's expiry; this is the one test that waits for the wall clock.
    const wait = Math.max(0, expireAt - Date.now()) + 250;
    await new Promise((r) => setTimeout(r, wait));
    assert.equal(await alive(short), false);
    assert.ok(await alive(root));
  });
});
