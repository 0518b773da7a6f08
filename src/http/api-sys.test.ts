// Specification of the sys/ endpoints: init, seal/unseal, health, leader, mounts, auth, tune,
// remount, the kv UI preflight, key status and rotation.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startConfiguredServer, startDevServer } from '../testing/index.js';
import type { TestServer } from '../testing/index.js';

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => {
  assert.ok(v !== null && typeof v === 'object' && !Array.isArray(v), `expected an object, got ${JSON.stringify(v)}`);
  return v as Json;
};

const inmemConfig = `
storage "inmem" {}
listener "tcp" {
  address     = "127.0.0.1:0"
  tls_disable = true
}
`;

describe('sys/init, seal-status, unseal, seal', () => {
  let srv: Awaited<ReturnType<typeof startConfiguredServer>>;
  let keys: string[] = [];
  let keysB64: string[] = [];
  let root = '';
  before(async () => {
    srv = await startConfiguredServer(inmemConfig);
  });
  after(async () => {
    await srv.close();
  });

  it('reports an uninitialised server and health 501', async () => {
    assert.deepEqual((await srv.req('GET', '/v1/sys/init')).json, { initialized: false });
    const st = obj((await srv.req('GET', '/v1/sys/seal-status')).json);
    assert.equal(st['initialized'], false);
    assert.equal(st['t'], 0);
    assert.equal((await srv.req('GET', '/v1/sys/health')).status, 501);
  });
  it('rejects invalid seal configurations with Vault messages', async () => {
    const cases: [Json, string][] = [
      [{ secret_shares: 0, secret_threshold: 0 }, 'shares must be at least one'],
      [{ secret_shares: 3, secret_threshold: 1 }, 'threshold must be greater than one for multiple shares'],
      [{ secret_shares: 3, secret_threshold: 4 }, 'threshold cannot be larger than shares'],
      [{ secret_shares: 300, secret_threshold: 3 }, 'shares must be less than 256'],
    ];
    for (const [body, msg] of cases) {
      const r = await srv.req('PUT', '/v1/sys/init', { body });
      assert.equal(r.status, 400);
      assert.match(String((obj(r.json)['errors'] as string[])[0]), new RegExp(msg));
    }
  });
  it('initialises with 5 shares and threshold 3, returning hex and base64 keys and a root token', async () => {
    const r = await srv.req('PUT', '/v1/sys/init', { body: { secret_shares: 5, secret_threshold: 3 } });
    assert.equal(r.status, 200);
    const b = obj(r.json);
    keys = b['keys'] as string[];
    keysB64 = b['keys_base64'] as string[];
    root = String(b['root_token']);
    assert.equal(keys.length, 5);
    assert.equal(keysB64.length, 5);
    assert.equal(Buffer.from(keys[0]!, 'hex').toString('base64'), keysB64[0]);
    assert.match(root, /^hvs\./);
    assert.equal((await srv.req('PUT', '/v1/sys/init', { body: { secret_shares: 1, secret_threshold: 1 } })).status, 400);
  });
  it('stays sealed after init: logical paths answer 503, health 503', async () => {
    const r = await srv.req('GET', '/v1/sys/mounts', { token: root });
    assert.equal(r.status, 503);
    assert.deepEqual(r.json, { errors: ['Vault is sealed'] });
    assert.equal((await srv.req('GET', '/v1/sys/health')).status, 503);
    assert.equal((await srv.req('GET', '/v1/sys/health?sealedcode=299&uninitcode=299')).status, 299);
  });
  it('counts unseal progress with a nonce, and reset discards it', async () => {
    const st = obj((await srv.req('PUT', '/v1/sys/unseal', { body: { key: keys[0] } })).json);
    assert.equal(st['sealed'], true);
    assert.equal(st['progress'], 1);
    assert.equal(st['t'], 3);
    assert.equal(st['n'], 5);
    assert.notEqual(st['nonce'], '');
    const reset = obj((await srv.req('PUT', '/v1/sys/unseal', { body: { reset: true } })).json);
    assert.equal(reset['progress'], 0);
  });
  it('rejects a key that is neither hex nor base64, and a missing key', async () => {
    assert.equal((await srv.req('PUT', '/v1/sys/unseal', { body: { key: '!!!' } })).status, 400);
    const r = await srv.req('PUT', '/v1/sys/unseal', { body: {} });
    assert.equal(r.status, 400);
    assert.deepEqual(r.json, { errors: ["'key' must be specified in request body as JSON, or 'reset' set to true"] });
  });
  it('unseals with three keys given in hex and base64, then serves', async () => {
    await srv.req('PUT', '/v1/sys/unseal', { body: { key: keys[4] } });
    await srv.req('PUT', '/v1/sys/unseal', { body: { key: keysB64[1] } });
    const st = obj((await srv.req('PUT', '/v1/sys/unseal', { body: { Key: keys[2] } })).json);
    assert.equal(st['sealed'], false);
    assert.equal(st['progress'], 0);
    assert.equal(typeof st['cluster_name'], 'string');
    assert.equal((await srv.req('GET', '/v1/sys/mounts', { token: root })).status, 200);
    const h = obj((await srv.req('GET', '/v1/sys/health')).json);
    assert.equal(h['sealed'], false);
    assert.equal(h['initialized'], true);
  });
  it('answers HEAD sys/health with the status and no body', async () => {
    const r = await srv.req('HEAD', '/v1/sys/health');
    assert.equal(r.status, 200);
    assert.equal(r.text, '');
  });
  it('honours every health code override and rejects malformed ones', async () => {
    assert.equal((await srv.req('GET', '/v1/sys/health?activecode=218')).status, 218);
    assert.equal((await srv.req('GET', '/v1/sys/health?activecode=abc')).status, 400);
    assert.equal((await srv.req('GET', '/v1/sys/health?standbyok=maybe')).status, 400);
  });
  it('reports a valid RFC 3339 active_time on sys/leader', async () => {
    const l = obj((await srv.req('GET', '/v1/sys/leader')).json);
    assert.equal(l['ha_enabled'], false);
    assert.ok(!Number.isNaN(Date.parse(String(l['active_time']))));
  });
  it('refuses sys/seal without a root token and seals with one', async () => {
    assert.equal((await srv.req('PUT', '/v1/sys/seal', { token: 'bogus' })).status, 403);
    assert.equal((await srv.req('GET', '/v1/sys/seal', { token: root })).status, 405);
    assert.equal((await srv.req('PUT', '/v1/sys/seal', { token: root })).status, 204);
    assert.equal((await srv.req('GET', '/v1/sys/mounts', { token: root })).status, 503);
    assert.equal(obj((await srv.req('GET', '/v1/sys/seal-status')).json)['sealed'], true);
  });
});

describe('sys/mounts, sys/auth, tune, remount, ui mounts, keys', () => {
  let s: TestServer;
  before(async () => {
    s = await startDevServer();
  });
  after(async () => {
    await s.close();
  });

  it('lists the built-in and dev mounts, with data also injected at the top level', async () => {
    const b = obj((await s.req('GET', '/v1/sys/mounts')).json);
    const data = obj(b['data']);
    assert.ok('sys/' in data && 'secret/' in data);
    assert.deepEqual(b['secret/'], data['secret/']);
    const secret = obj(data['secret/']);
    assert.equal(secret['type'], 'kv');
    assert.deepEqual(secret['options'], { version: '2' }, 'dev mode mounts secret/ as KV v2, like Vault');
    assert.match(String(secret['accessor']), /^kv_[0-9a-f]{8}$/);
    assert.deepEqual(secret['config'], { default_lease_ttl: 0, force_no_cache: false, max_lease_ttl: 0 });
  });
  it('enables a kv mount, reads it back, and refuses a second mount at the same path', async () => {
    assert.equal((await s.req('POST', '/v1/sys/mounts/team/app', { body: { type: 'kv', description: 'team', options: { version: '1' } } })).status, 204);
    const one = obj((await s.req('GET', '/v1/sys/mounts/team/app')).json);
    assert.equal(obj(one['data'])['description'], 'team');
    const dup = await s.req('POST', '/v1/sys/mounts/team/app', { body: { type: 'kv' } });
    assert.equal(dup.status, 400);
    assert.match(String((obj(dup.json)['errors'] as string[])[0]), /path is already in use at team\/app\//);
    assert.equal((await s.req('POST', '/v1/sys/mounts/team/app/nested', { body: { type: 'kv' } })).status, 400);
  });
  it('refuses unknown engine types, missing types and reserved paths', async () => {
    assert.equal((await s.req('POST', '/v1/sys/mounts/x1', { body: { type: 'nope' } })).status, 400);
    assert.equal((await s.req('POST', '/v1/sys/mounts/x2', { body: {} })).status, 400);
    assert.equal((await s.req('POST', '/v1/sys/mounts/sys/x', { body: { type: 'kv' } })).status, 400);
  });
  it('refuses a mount inside another mount, as Vault does', async () => {
    await s.req('POST', '/v1/sys/mounts/a', { body: { type: 'kv' } });
    const r = await s.req('POST', '/v1/sys/mounts/a/b', { body: { type: 'kv' } });
    assert.equal(r.status, 400);
    assert.deepEqual(r.json, { errors: ['existing mount at a/'] });
  });
  it('keeps each mount in its own storage view', async () => {
    await s.req('POST', '/v1/sys/mounts/iso1', { body: { type: 'kv' } });
    await s.req('POST', '/v1/sys/mounts/iso2', { body: { type: 'kv' } });
    await s.req('POST', '/v1/iso1/k', { body: { from: 'iso1' } });
    assert.equal((await s.req('GET', '/v1/iso2/k')).status, 404);
    assert.deepEqual(obj((await s.req('GET', '/v1/iso1/k')).json)['data'], { from: 'iso1' });
  });
  it('tunes TTLs and reads back effective values in seconds', async () => {
    const before = obj(obj((await s.req('GET', '/v1/sys/mounts/team/app/tune')).json)['data']);
    assert.equal(before['default_lease_ttl'], 2764800);
    assert.equal((await s.req('POST', '/v1/sys/mounts/team/app/tune', { body: { default_lease_ttl: '1h', max_lease_ttl: '2h', description: 'tuned' } })).status, 204);
    const t = obj((await s.req('GET', '/v1/sys/mounts/team/app/tune')).json);
    assert.equal(t['default_lease_ttl'], 3600);
    assert.equal(t['max_lease_ttl'], 7200);
    assert.equal(t['description'], 'tuned');
    await s.req('POST', '/v1/team/app/k', { body: { v: 1 } });
    assert.equal(obj((await s.req('GET', '/v1/team/app/k')).json)['lease_duration'], 3600);
    const bad = await s.req('POST', '/v1/sys/mounts/team/app/tune', { body: { default_lease_ttl: '3h' } });
    assert.equal(bad.status, 400);
  });
  it('uses a stored ttl as the kv v1 refresh interval', async () => {
    await s.req('POST', '/v1/kv/with-ttl', { body: { v: 1, ttl: '30m' } });
    assert.equal(obj((await s.req('GET', '/v1/kv/with-ttl')).json)['lease_duration'], 1800);
  });
  it('moves a mount with sys/remount, keeping its data', async () => {
    await s.req('POST', '/v1/sys/mounts/old', { body: { type: 'kv' } });
    await s.req('POST', '/v1/old/k', { body: { v: 'kept' } });
    const r = await s.req('POST', '/v1/sys/remount', { body: { from: 'old', to: 'new' } });
    assert.equal(r.status, 200);
    const id = String(obj(obj(r.json)['data'])['migration_id']);
    const st = obj(obj((await s.req('GET', `/v1/sys/remount/status/${id}`)).json)['data']);
    assert.equal(obj(st['migration_info'])['status'], 'success');
    assert.deepEqual(obj((await s.req('GET', '/v1/new/k')).json)['data'], { v: 'kept' });
    assert.equal((await s.req('GET', '/v1/old/k')).status, 404);
  });
  it('disables a mount and removes its data', async () => {
    await s.req('POST', '/v1/sys/mounts/gone', { body: { type: 'kv' } });
    await s.req('POST', '/v1/gone/k', { body: { v: 1 } });
    assert.equal((await s.req('DELETE', '/v1/sys/mounts/gone')).status, 204);
    assert.equal((await s.req('GET', '/v1/gone/k')).status, 404);
    await s.req('POST', '/v1/sys/mounts/gone', { body: { type: 'kv' } });
    assert.equal((await s.req('GET', '/v1/gone/k')).status, 404);
    assert.equal((await s.req('DELETE', '/v1/sys/mounts/sys')).status, 400);
  });
  it('lists auth methods with the token method built in and refuses to disable it', async () => {
    const b = obj((await s.req('GET', '/v1/sys/auth')).json);
    const tok = obj(obj(b['data'])['token/']);
    assert.equal(tok['type'], 'token');
    assert.equal(obj(tok['config'])['token_type'], 'default-service');
    assert.equal((await s.req('DELETE', '/v1/sys/auth/token')).status, 400);
    assert.equal((await s.req('POST', '/v1/sys/auth/other', { body: { type: 'nope' } })).status, 400);
  });
  it('answers the kv preflight with the mount path and string version', async () => {
    const d = obj(obj((await s.req('GET', '/v1/sys/internal/ui/mounts/secret/foo/bar')).json)['data']);
    assert.equal(d['path'], 'secret/');
    assert.equal(d['type'], 'kv');
    assert.deepEqual(d['options'], { version: '2' });
    assert.equal((await s.req('GET', '/v1/sys/internal/ui/mounts/secret/foo', { token: '' })).status, 403);
  });
  it('lists only unauth-visible mounts to callers without a token', async () => {
    const anon = obj(obj((await s.req('GET', '/v1/sys/internal/ui/mounts', { token: '' })).json)['data']);
    assert.deepEqual(anon['secret'], {});
    const authed = obj(obj((await s.req('GET', '/v1/sys/internal/ui/mounts')).json)['data']);
    assert.ok('secret/' in obj(authed['secret']));
  });
  it('reports the key term and rotates it, keeping old data readable', async () => {
    await s.req('POST', '/v1/kv/before-rotate', { body: { v: 1 } });
    const k1 = obj((await s.req('GET', '/v1/sys/key-status')).json);
    assert.equal(k1['term'], 1);
    assert.equal((await s.req('PUT', '/v1/sys/rotate')).status, 204);
    const k2 = obj((await s.req('GET', '/v1/sys/key-status')).json);
    assert.equal(k2['term'], 2);
    assert.ok(!Number.isNaN(Date.parse(String(k2['install_time']))));
    assert.deepEqual(obj((await s.req('GET', '/v1/kv/before-rotate')).json)['data'], { v: 1 });
  });
  it('looks up the calling token with auth/token/lookup-self', async () => {
    const d = obj(obj((await s.req('GET', '/v1/auth/token/lookup-self')).json)['data']);
    assert.equal(d['id'], s.rootToken);
    assert.deepEqual(d['policies'], ['root']);
    assert.equal((await s.req('GET', '/v1/auth/token/lookup-self', { token: 'nope' })).status, 403);
  });
});
