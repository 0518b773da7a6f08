// Specification of the API client's wire behaviour against a fake Vault server.

import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';
import { ApiError, createApiClient } from './index.js';
import type { ApiClient } from './index.js';
import { envelope, startFakeVault } from './testing/index.js';
import type { FakeVault } from './testing/index.js';

let fake: FakeVault;
let client: ApiClient;

before(async () => {
  fake = await startFakeVault();
});
after(async () => {
  await fake.close();
});
beforeEach(() => {
  fake.requests.length = 0;
  client = createApiClient({ address: fake.url, token: 's.root' });
});

function last(): FakeVault['requests'][number] {
  const r = fake.requests.at(-1);
  assert.ok(r, 'no request was recorded');
  return r;
}

describe('logical operations', () => {
  it('sends X-Vault-Request: true and the X-Vault-Token header on every request', async () => {
    fake.on('GET', 'secret/a', { body: envelope({ k: 'v' }) });
    await client.read('secret/a');
    assert.equal(last().headers['x-vault-request'], 'true');
    assert.equal(last().headers['x-vault-token'], 's.root');
  });

  it('omits X-Vault-Token when there is no token and sends X-Vault-Namespace when set', async () => {
    const anon = createApiClient({ address: fake.url, namespace: 'team-a' });
    await anon.read('secret/none');
    assert.equal(last().headers['x-vault-token'], undefined);
    assert.equal(last().headers['x-vault-namespace'], 'team-a');
    anon.close();
  });

  it('reads an envelope and keeps the raw body', async () => {
    fake.on('GET', 'secret/b', { body: envelope({ password: 'p' }, { lease_duration: 2764800 }) });
    const s = await client.read('secret/b');
    assert.deepEqual(s?.data, { password: 'p' });
    assert.equal(s?.lease_duration, 2764800);
    assert.equal(s?.raw['request_id'], '00000000-0000-0000-0000-000000000001');
  });

  it('passes read query parameters through', async () => {
    fake.on('GET', 'secret/data/c', { body: envelope({}) });
    await client.read('secret/data/c', { version: 2 });
    assert.deepEqual(last().query, { version: '2' });
  });

  it('returns undefined for a 404 with an empty error list, and for an unknown route', async () => {
    assert.equal(await client.read('secret/missing'), undefined);
    fake.on('GET', 'nope/x', { status: 404, body: { errors: ['no handler for route "nope/x". route entry not found.'] } });
    assert.equal(await client.read('nope/x'), undefined);
  });

  it('returns the secret of a 404 whose body carries data (KV v2 deleted version)', async () => {
    fake.on('GET', 'secret/data/gone', { status: 404, body: envelope({ data: null, metadata: { version: 1 } }) });
    const s = await client.read('secret/data/gone');
    assert.deepEqual(s?.data, { data: null, metadata: { version: 1 } });
  });

  it('lists with GET ?list=true like the Go client', async () => {
    fake.on('LIST', 'secret/', { body: envelope({ keys: ['a', 'b/'] }) });
    const s = await client.list('secret/');
    assert.equal(last().method, 'GET');
    assert.equal(last().query['list'], 'true');
    assert.deepEqual(s?.data?.['keys'], ['a', 'b/']);
  });

  it('writes with PUT and a JSON body, and returns undefined on 204', async () => {
    fake.on('PUT', 'secret/w', { status: 204 });
    assert.equal(await client.write('secret/w', { a: '1', n: 2 }), undefined);
    assert.equal(last().method, 'PUT');
    assert.equal(last().headers['content-type'], 'application/json');
    assert.deepEqual(last().body, { a: '1', n: 2 });
  });

  it('patches with PATCH and Content-Type application/merge-patch+json', async () => {
    fake.on('PATCH', 'secret/data/p', { body: envelope({ version: 3 }) });
    const s = await client.patch('secret/data/p', { data: { a: 'b' } });
    assert.equal(last().headers['content-type'], 'application/merge-patch+json');
    assert.deepEqual(last().body, { data: { a: 'b' } });
    assert.deepEqual(s?.data, { version: 3 });
  });

  it('deletes with DELETE and query parameters', async () => {
    fake.on('DELETE', 'secret/d', { status: 204 });
    assert.equal(await client.delete('secret/d', { versions: ['1', '2'] }), undefined);
    assert.equal(last().method, 'DELETE');
    assert.equal(new URLSearchParams(last().query).get('versions'), '2');
  });

  it('escapes path characters that are not safe in a URL path', async () => {
    await client.read('secret/with space/ü');
    assert.equal(last().path, 'secret/with%20space/%C3%BC');
  });

  it('follows a 307 redirect to the active node, keeping method and body', async () => {
    fake.on('PUT', 'standby/x', { status: 307, headers: { Location: `${fake.url}/v1/active/x` } });
    fake.on('PUT', 'active/x', { status: 204 });
    await client.write('standby/x', { a: 1 });
    assert.equal(last().path, 'active/x');
    assert.deepEqual(last().body, { a: 1 });
  });
});

describe('errors', () => {
  it('turns an error status into ApiError with status, errors and a vault-style message', async () => {
    fake.on('POST', 'sys/mounts/dup', { status: 400, body: { errors: ['path is already in use at dup/'] } });
    const raw = await client.request('POST', 'sys/mounts/dup');
    assert.equal(raw.status, 400, 'request() itself never throws on a status');
    await assert.rejects(client.enableMount('dup', { type: 'kv' }), (e: unknown) => {
      assert.ok(e instanceof ApiError);
      assert.equal(e.status, 400);
      assert.deepEqual(e.errors, ['path is already in use at dup/']);
      assert.equal(
        e.message,
        `Error making API request.\n\nURL: POST ${fake.url}/v1/sys/mounts/dup\nCode: 400. Errors:\n\n* path is already in use at dup/`,
      );
      return true;
    });
  });

  it('shows the raw body when an error response has no errors list', async () => {
    fake.on('GET', 'secret/boom', { status: 500, body: 'upstream exploded' });
    await assert.rejects(client.read('secret/boom'), (e: unknown) => {
      assert.ok(e instanceof ApiError);
      assert.match(e.message, /Code: 500\. Raw Message:\n\nupstream exploded$/);
      return true;
    });
  });

  it('reports a refused connection as ApiError with status 0', async () => {
    const probe = http.createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const { port } = probe.address() as AddressInfo;
    await new Promise<void>((r) => probe.close(() => r()));
    const dead = createApiClient({ address: `http://127.0.0.1:${port}` });
    await assert.rejects(dead.sealStatus(), (e: unknown) => {
      assert.ok(e instanceof ApiError);
      assert.equal(e.status, 0);
      assert.match(e.message, /ECONNREFUSED/);
      return true;
    });
    dead.close();
  });

  it('reports a request that gets no answer within the timeout as ApiError with status 0', async () => {
    const silent = http.createServer(() => undefined);
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const { port } = silent.address() as AddressInfo;
    const slow = createApiClient({ address: `http://127.0.0.1:${port}`, timeoutMs: 50 });
    await assert.rejects(slow.read('x'), (e: unknown) => {
      assert.ok(e instanceof ApiError);
      assert.equal(e.status, 0);
      assert.match(e.message, /timed out/);
      return true;
    });
    slow.close();
    silent.closeAllConnections();
    await new Promise<void>((r) => silent.close(() => r()));
  });
});

describe('sys operations', () => {
  const sealed = { type: 'shamir', initialized: true, sealed: true, t: 3, n: 5, progress: 1, nonce: 'n1', version: '1.17.0', build_date: '', migration: false, recovery_seal: false, storage_type: 'sqlite' };

  it('reads the seal status and init status', async () => {
    fake.on('GET', 'sys/seal-status', { body: sealed });
    fake.on('GET', 'sys/init', { body: { initialized: true } });
    const s = await client.sealStatus();
    assert.equal(s.sealed, true);
    assert.equal(s.t, 3);
    assert.equal(s.nonce, 'n1');
    assert.equal(await client.initStatus(), true);
  });

  it('initializes with PUT sys/init and returns the keys', async () => {
    fake.on('PUT', 'sys/init', { body: { keys: ['aa'], keys_base64: ['qg=='], root_token: 'hvs.r' } });
    const res = await client.init({ secret_shares: 1, secret_threshold: 1 });
    assert.deepEqual(last().body, { secret_shares: 1, secret_threshold: 1 });
    assert.deepEqual(res, { keys: ['aa'], keys_base64: ['qg=='], recovery_keys: [], recovery_keys_base64: [], root_token: 'hvs.r' });
  });

  it('unseals with {key} or {reset:true}', async () => {
    fake.on('PUT', 'sys/unseal', { body: { ...sealed, progress: 2 } });
    assert.equal((await client.unseal('k1')).progress, 2);
    assert.deepEqual(last().body, { key: 'k1' });
    await client.unseal({ reset: true });
    assert.deepEqual(last().body, { reset: true });
  });

  it('seals, steps down and rotates with PUT', async () => {
    fake.on('PUT', 'sys/seal', { status: 204 });
    fake.on('PUT', 'sys/step-down', { status: 204 });
    fake.on('PUT', 'sys/rotate', { status: 204 });
    await client.seal();
    await client.stepDown();
    await client.rotate();
    assert.deepEqual(
      fake.requests.map((r) => `${r.method} ${r.path}`),
      ['PUT sys/seal', 'PUT sys/step-down', 'PUT sys/rotate'],
    );
  });

  it('returns the health status code instead of throwing for sealed or standby nodes', async () => {
    fake.on('GET', 'sys/health', { status: 503, body: { initialized: true, sealed: true } });
    const h = await client.health({ standbyok: true });
    assert.equal(h.status, 503);
    assert.equal(h.body['sealed'], true);
    assert.equal(last().query['standbyok'], 'true');
  });

  it('reads the key status from data', async () => {
    fake.on('GET', 'sys/key-status', { body: envelope({ term: 2, install_time: '2026-01-01T00:00:00Z', encryptions: 7 }) });
    const ks = await client.keyStatus();
    assert.equal(ks.term, 2);
    assert.equal(ks.encryptions, 7);
  });

  it('enables, tunes, lists and disables secrets engines', async () => {
    fake.on('POST', 'sys/mounts/kv', { status: 204 });
    fake.on('POST', 'sys/mounts/kv/tune', { status: 204 });
    fake.on('DELETE', 'sys/mounts/kv', { status: 204 });
    const kv = { type: 'kv', description: '', accessor: 'kv_1', options: { version: '2' }, config: { default_lease_ttl: 0, max_lease_ttl: 0, force_no_cache: false }, local: false, seal_wrap: false };
    fake.on('GET', 'sys/mounts', { body: { 'kv/': kv, ...envelope({ 'kv/': kv }) } });
    await client.enableMount('kv/', { type: 'kv', options: { version: '2' } });
    assert.deepEqual(last().body, { type: 'kv', options: { version: '2' } });
    await client.tuneMount('kv', { max_lease_ttl: '1h0m0s' });
    assert.deepEqual(last().body, { max_lease_ttl: '1h0m0s' });
    const mounts = await client.listMounts();
    assert.deepEqual(Object.keys(mounts), ['kv/']);
    assert.equal(mounts['kv/']?.accessor, 'kv_1');
    assert.deepEqual(mounts['kv/']?.options, { version: '2' });
    await client.disableMount('kv');
    assert.equal(last().method, 'DELETE');
  });

  it('enables and lists auth methods under sys/auth', async () => {
    fake.on('POST', 'sys/auth/userpass', { status: 204 });
    fake.on('GET', 'sys/auth', { body: envelope({ 'token/': { type: 'token', config: { token_type: 'default-service' } } }) });
    await client.enableAuth('userpass', { type: 'userpass' });
    assert.equal(last().path, 'sys/auth/userpass');
    const auths = await client.listAuth();
    assert.equal(auths['token/']?.config.token_type, 'default-service');
  });

  it('remounts with {from,to} and returns the migration id', async () => {
    fake.on('POST', 'sys/remount', { body: envelope({ migration_id: 'm-1' }) });
    const r = await client.remount('secret/', 'kv2/');
    assert.deepEqual(last().body, { from: 'secret', to: 'kv2' });
    assert.equal(r.migration_id, 'm-1');
  });

  it('finds the mount serving a path via sys/internal/ui/mounts', async () => {
    fake.on('GET', 'sys/internal/ui/mounts/secret/app/x', {
      body: envelope({ type: 'kv', path: 'secret/', options: { version: '2' } }),
    });
    const m = await client.uiMount('secret/app/x');
    assert.equal(m.path, 'secret/');
    assert.equal(m.options?.['version'], '2');
  });
});

describe('response wrapping', () => {
  const wrapped = envelope(null, {
    wrap_info: { token: 'hvs.W', accessor: 'acc', ttl: 300, creation_time: '2026-01-01T00:00:00Z', creation_path: 'secret/a' },
  });

  it('sends X-Vault-Wrap-TTL verbatim on every request while wrapTTL is set, and returns wrap_info', async () => {
    fake.on('GET', 'secret/a', { body: wrapped });
    const w = createApiClient({ address: fake.url, token: 's.root', wrapTTL: '5m' });
    const s = await w.read('secret/a');
    assert.equal(last().headers['x-vault-wrap-ttl'], '5m');
    assert.equal(s?.wrap_info?.['token'], 'hvs.W');
    w.wrapTTL = undefined;
    await w.read('secret/a');
    assert.equal(last().headers['x-vault-wrap-ttl'], undefined);
    w.close();
  });

  it('lets one request override or drop the client wrap TTL', async () => {
    fake.on('GET', 'secret/a', { body: wrapped });
    client.wrapTTL = '1h';
    await client.request('GET', 'secret/a', { wrapTTL: '30s' });
    assert.equal(last().headers['x-vault-wrap-ttl'], '30s');
    await client.request('GET', 'secret/a', { wrapTTL: '' });
    assert.equal(last().headers['x-vault-wrap-ttl'], undefined);
  });

  it('never sends the header by default', async () => {
    fake.on('GET', 'secret/a', { body: envelope({ k: 'v' }) });
    await client.read('secret/a');
    assert.equal(last().headers['x-vault-wrap-ttl'], undefined);
  });
});

describe('unwrap', () => {
  beforeEach(() => fake.on('PUT', 'sys/wrapping/unwrap', { body: envelope({ k: 'v' }) }));

  it('PUTs sys/wrapping/unwrap with {"token"} when a token other than the client token is given', async () => {
    const s = await client.unwrap('hvs.W');
    assert.equal(last().method, 'PUT');
    assert.deepEqual(last().body, { token: 'hvs.W' });
    assert.equal(last().headers['x-vault-token'], 's.root');
    assert.deepEqual(s?.data, { k: 'v' });
  });

  it('uses the client token as the wrapping token, without a body, when none is given', async () => {
    await client.unwrap();
    assert.equal(last().rawBody, '');
    assert.equal(last().headers['x-vault-token'], 's.root');
  });

  it('sends the given token as X-Vault-Token when the client has none', async () => {
    const anon = createApiClient({ address: fake.url });
    await anon.unwrap('hvs.W');
    assert.equal(last().headers['x-vault-token'], 'hvs.W');
    assert.equal(last().rawBody, '');
    anon.close();
  });
});
