import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { TestServer } from '../../testing/index.js';
import { startDevServer } from '../../testing/index.js';

const PATCH = { 'Content-Type': 'application/merge-patch+json' };

function body(json: unknown): Record<string, unknown> {
  assert.ok(json !== null && typeof json === 'object', `expected a JSON object, got ${JSON.stringify(json)}`);
  return json as Record<string, unknown>;
}

function dataOf(json: unknown): Record<string, unknown> {
  return body(body(json)['data']);
}

describe('kv v2 over HTTP', () => {
  let s: TestServer;
  before(async () => {
    s = await startDevServer();
    const r = await s.req('POST', '/v1/sys/mounts/kv2', { body: { type: 'kv', options: { version: '2' } } });
    assert.equal(r.status, 204, r.text);
  });
  after(async () => {
    await s.close();
  });

  it('reports the mount as kv version "2" to the CLI preflight', async () => {
    const r = await s.req('GET', '/v1/sys/internal/ui/mounts/kv2/app');
    assert.equal(r.status, 200, r.text);
    const d = dataOf(r.json);
    assert.equal(d['path'], 'kv2/');
    assert.deepEqual(body(d['options'])['version'], '2');
  });

  it('writes, reads and lists a secret the way the vault CLI does', async () => {
    const w = await s.req('PUT', '/v1/kv2/data/app/db', { body: { data: { password: 'p1' }, options: {} } });
    assert.equal(w.status, 200, w.text);
    assert.equal(dataOf(w.json)['version'], 1);
    const r = await s.req('GET', '/v1/kv2/data/app/db');
    assert.equal(r.status, 200);
    const env = body(r.json);
    assert.equal(env['lease_duration'], 0);
    assert.equal(env['mount_type'], 'kv');
    assert.deepEqual(body(env['data'])['data'], { password: 'p1' });
    const l = await s.req('GET', '/v1/kv2/metadata/?list=true');
    assert.equal(l.status, 200);
    assert.deepEqual(dataOf(l.json)['keys'], ['app/']);
    const l2 = await s.req('LIST', '/v1/kv2/metadata/app');
    assert.deepEqual(dataOf(l2.json)['keys'], ['db']);
  });

  it('answers 404 with a full envelope for a deleted version and {"errors":[]} for a missing one', async () => {
    await s.req('PUT', '/v1/kv2/data/del', { body: { data: { a: 1 } } });
    assert.equal((await s.req('DELETE', '/v1/kv2/data/del')).status, 204);
    const r = await s.req('GET', '/v1/kv2/data/del');
    assert.equal(r.status, 404);
    const env = body(r.json);
    const d = body(env['data']);
    assert.equal(d['data'], null);
    assert.equal(body(d['metadata'])['version'], 1);
    assert.notEqual(body(d['metadata'])['deletion_time'], '');
    const m = await s.req('GET', '/v1/kv2/data/missing');
    assert.equal(m.status, 404);
    assert.deepEqual(m.json, { errors: [] });
  });

  it('returns 400 with Vault messages for cas mismatches and missing data', async () => {
    await s.req('PUT', '/v1/kv2/data/cas', { body: { data: { a: 1 } } });
    const r = await s.req('PUT', '/v1/kv2/data/cas', { body: { data: { a: 2 }, options: { cas: 0 } } });
    assert.equal(r.status, 400);
    assert.deepEqual(r.json, { errors: ['check-and-set parameter did not match the current version'] });
    const n = await s.req('PUT', '/v1/kv2/data/cas', { body: { options: {} } });
    assert.equal(n.status, 400);
    assert.deepEqual(n.json, { errors: ['no data provided'] });
  });

  it('lets exactly one of 20 concurrent HTTP writers with the same cas win', async () => {
    await s.req('PUT', '/v1/kv2/data/race', { body: { data: { n: 0 } } });
    const rs = await Promise.all(Array.from({ length: 20 }, (_, i) => s.req('PUT', '/v1/kv2/data/race', { body: { data: { n: i }, options: { cas: 1 } } })));
    assert.equal(rs.filter((r) => r.status === 200).length, 1);
    assert.equal(rs.filter((r) => r.status === 400).length, 19);
  });

  it('patches with merge-patch and rejects other content types', async () => {
    await s.req('PUT', '/v1/kv2/data/p', { body: { data: { a: 1, b: 2 } } });
    const ok = await s.req('PATCH', '/v1/kv2/data/p', { body: { data: { b: null, c: 3 } }, headers: PATCH });
    assert.equal(ok.status, 200, ok.text);
    assert.equal(dataOf(ok.json)['version'], 2);
    assert.deepEqual(dataOf((await s.req('GET', '/v1/kv2/data/p')).json)['data'], { a: 1, c: 3 });
    const bad = await s.req('PATCH', '/v1/kv2/data/p', { body: { data: { c: 4 } } });
    assert.equal(bad.status, 415);
    const missing = await s.req('PATCH', '/v1/kv2/data/nothing', { body: { data: { c: 4 } }, headers: PATCH });
    assert.equal(missing.status, 404);
  });

  it('takes versions as strings from the CLI for delete, undelete and destroy', async () => {
    await s.req('PUT', '/v1/kv2/data/v', { body: { data: { a: 1 } } });
    await s.req('PUT', '/v1/kv2/data/v', { body: { data: { a: 2 } } });
    assert.equal((await s.req('PUT', '/v1/kv2/delete/v', { body: { versions: ['1', '2'] } })).status, 204);
    assert.equal((await s.req('GET', '/v1/kv2/data/v')).status, 404);
    assert.equal((await s.req('PUT', '/v1/kv2/undelete/v', { body: { versions: ['2'] } })).status, 204);
    assert.equal((await s.req('GET', '/v1/kv2/data/v')).status, 200);
    assert.equal((await s.req('PUT', '/v1/kv2/destroy/v', { body: { versions: '2' } })).status, 204);
    const r = await s.req('GET', '/v1/kv2/data/v');
    assert.equal(r.status, 404);
    assert.equal(body(dataOf(r.json)['metadata'])['destroyed'], true);
    const e = await s.req('PUT', '/v1/kv2/destroy/v', { body: { versions: [] } });
    assert.equal(e.status, 400);
  });

  it('reads, writes, patches and deletes metadata', async () => {
    assert.equal((await s.req('POST', '/v1/kv2/metadata/m', { body: { max_versions: 3, custom_metadata: { owner: 'ops' } } })).status, 204);
    const r = await s.req('GET', '/v1/kv2/metadata/m');
    assert.equal(r.status, 200);
    const d = dataOf(r.json);
    assert.equal(d['max_versions'], 3);
    assert.equal(d['delete_version_after'], '0s');
    assert.deepEqual(d['versions'], {});
    assert.equal((await s.req('PATCH', '/v1/kv2/metadata/m', { body: { custom_metadata: { owner: null, team: 'x' } }, headers: PATCH })).status, 204);
    assert.deepEqual(dataOf((await s.req('GET', '/v1/kv2/metadata/m')).json)['custom_metadata'], { team: 'x' });
    const bad = await s.req('POST', '/v1/kv2/metadata/m', { body: { custom_metadata: { k: 'v'.repeat(600) } } });
    assert.equal(bad.status, 400);
    assert.match(String(body(bad.json)['errors']), /^custom_metadata validation failed: /);
    assert.equal((await s.req('DELETE', '/v1/kv2/metadata/m')).status, 204);
    assert.equal((await s.req('GET', '/v1/kv2/metadata/m')).status, 404);
  });

  it('reads and writes the engine config', async () => {
    assert.equal((await s.req('POST', '/v1/kv2/config', { body: { delete_version_after: '1h' } })).status, 204);
    assert.deepEqual(dataOf((await s.req('GET', '/v1/kv2/config')).json), { cas_required: false, delete_version_after: '1h0m0s', max_versions: 0 });
    await s.req('POST', '/v1/kv2/config', { body: { delete_version_after: '0s' } });
  });

  it('returns subkeys', async () => {
    await s.req('PUT', '/v1/kv2/data/sk', { body: { data: { a: { b: 1 }, c: 2 } } });
    const r = await s.req('GET', '/v1/kv2/subkeys/sk?depth=1');
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(dataOf(r.json)['subkeys'], { a: null, c: null });
  });

  it('pages a recursive list through the query string', async () => {
    for (const p of ['r/a', 'r/b/c', 'r/b/d', 'r/e']) await s.req('PUT', `/v1/kv2/data/${p}`, { body: { data: { x: 1 } } });
    const first = await s.req('LIST', '/v1/kv2/metadata/r/?recursive=true&limit=2');
    assert.equal(first.status, 200, first.text);
    assert.deepEqual(dataOf(first.json), { keys: ['a', 'b/c'], next_after: 'b/c' });
    const second = await s.req('GET', '/v1/kv2/metadata/r/?list=true&recursive=true&limit=2&after=b/c');
    assert.deepEqual(dataOf(second.json), { keys: ['b/d', 'e'], next_after: '' });
  });

  it('answers wrong-prefix access with 404, data null and the kv CLI warning', async () => {
    const r = await s.req('GET', '/v1/kv2/foo');
    assert.equal(r.status, 404);
    const env = body(r.json);
    assert.equal(env['data'], null);
    assert.deepEqual(env['warnings'], [
      "Invalid path for a versioned K/V secrets engine. See the API docs for the appropriate API endpoints to use. If using the Vault CLI, use 'vault kv get' for this operation.",
    ]);
    const w = await s.req('PUT', '/v1/kv2/foo', { body: { a: 1 } });
    assert.equal(w.status, 404);
    assert.match(String(body(w.json)['warnings']), /'vault kv put'/);
  });

  it('upgrades a v1 mount in place when tuned to version 2', async () => {
    assert.equal((await s.req('POST', '/v1/sys/mounts/up', { body: { type: 'kv', options: { version: '1' } } })).status, 204);
    await s.req('PUT', '/v1/up/app', { body: { password: 'old' } });
    await s.req('PUT', '/v1/up/team/db', { body: { user: 'u' } });
    const t = await s.req('POST', '/v1/sys/mounts/up/tune', { body: { options: { version: '2' } } });
    assert.equal(t.status, 204, t.text);
    const r = await s.req('GET', '/v1/up/data/app');
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(dataOf(r.json)['data'], { password: 'old' });
    assert.equal(body(dataOf(r.json)['metadata'])['version'], 1);
    assert.deepEqual(dataOf((await s.req('LIST', '/v1/up/metadata/team/')).json)['keys'], ['db']);
    assert.equal((await s.req('GET', '/v1/up/app')).status, 404);
  });
});
