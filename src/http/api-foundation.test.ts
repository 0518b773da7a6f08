// Specification of the foundation's wire behaviour, exercised over real HTTP against an
// in-process dev server.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { TestServer } from '../testing/index.js';
import { startDevServer } from '../testing/index.js';

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => {
  assert.ok(v !== null && typeof v === 'object' && !Array.isArray(v), `expected an object, got ${JSON.stringify(v)}`);
  return v as Json;
};

describe('Vault HTTP API: foundation', () => {
  let s: TestServer;
  before(async () => {
    s = await startDevServer();
  });
  after(async () => {
    await s.close();
  });

  describe('envelope and headers', () => {
    it('wraps logical responses in the full envelope with null warnings and wrap_info', async () => {
      await s.req('POST', '/v1/kv/env', { body: { a: 'b' } });
      const r = await s.req('GET', '/v1/kv/env');
      assert.equal(r.status, 200);
      const b = obj(r.json);
      assert.deepEqual(Object.keys(b), ['request_id', 'lease_id', 'renewable', 'lease_duration', 'data', 'wrap_info', 'warnings', 'auth', 'mount_type']);
      assert.equal(b['lease_id'], '');
      assert.equal(b['renewable'], false);
      assert.equal(b['lease_duration'], 2764800);
      assert.deepEqual(b['data'], { a: 'b' });
      assert.equal(b['warnings'], null);
      assert.equal(b['mount_type'], 'kv');
      assert.match(String(b['request_id']), /^[0-9a-f-]{36}$/);
    });
    it('sends Cache-Control: no-store and a JSON content type on every response, 204s included', async () => {
      for (const r of [await s.req('GET', '/v1/sys/health'), await s.req('DELETE', '/v1/kv/nothing'), await s.req('GET', '/v1/nope/x')]) {
        assert.equal(r.headers['cache-control'], 'no-store');
        assert.equal(r.headers['content-type'], 'application/json');
      }
    });
    it('answers 204 without a body for writes', async () => {
      const r = await s.req('PUT', '/v1/kv/x', { body: { v: 1 } });
      assert.equal(r.status, 204);
      assert.equal(r.text, '');
    });
    it('accepts the token as Authorization: Bearer', async () => {
      const r = await s.req('GET', '/v1/sys/mounts', { token: '', headers: { Authorization: `Bearer ${s.rootToken}` } });
      assert.equal(r.status, 200);
    });
  });

  describe('errors', () => {
    it('answers 404 with an empty error list for a missing key', async () => {
      const r = await s.req('GET', '/v1/kv/does-not-exist');
      assert.equal(r.status, 404);
      assert.deepEqual(r.json, { errors: [] });
    });
    it('answers 404 naming the route when no mount matches', async () => {
      const r = await s.req('GET', '/v1/nomount/x');
      assert.equal(r.status, 404);
      assert.deepEqual(r.json, { errors: ['no handler for route "nomount/x". route entry not found.'] });
    });
    it('answers 403 permission denied without a token, with a bad token, and reveals nothing else', async () => {
      for (const token of ['', 'hvs.not-a-real-token']) {
        const r = await s.req('GET', '/v1/kv/x', { token });
        assert.equal(r.status, 403);
        assert.deepEqual(r.json, { errors: ['permission denied'] });
      }
    });
    it('answers 400 for malformed JSON and keeps serving', async () => {
      const r = await s.req('POST', '/v1/kv/bad', { rawBody: '{"a": ', headers: { 'Content-Type': 'application/json' } });
      assert.equal(r.status, 400);
      assert.match(String((obj(r.json)['errors'] as string[])[0]), /JSON/i);
      assert.equal((await s.req('GET', '/v1/sys/health')).status, 200);
    });
    it('answers 400 for a JSON body that is not an object', async () => {
      const r = await s.req('POST', '/v1/kv/bad', { rawBody: '[1,2]' });
      assert.equal(r.status, 400);
    });
    it('answers 400 for wrong field types', async () => {
      const r = await s.req('POST', '/v1/sys/mounts/typed', { body: { type: 'kv', config: { default_lease_ttl: true } } });
      assert.equal(r.status, 400);
      const r2 = await s.req('POST', '/v1/sys/mounts/typed', { body: { type: 42 } });
      assert.equal(r2.status, 400);
    });
    it('answers 413 for a 40 MiB body and keeps serving', async () => {
      const big = Buffer.alloc(40 * 1024 * 1024, 'a');
      const r = await s.req('POST', '/v1/kv/big', { rawBody: big });
      assert.equal(r.status, 413);
      assert.deepEqual(r.json, { errors: ['http: request body too large'] });
      assert.equal((await s.req('GET', '/v1/kv/big')).status, 404);
      assert.equal((await s.req('GET', '/v1/sys/health')).status, 200);
    });
    it('answers 400 for ".." in the path', async () => {
      for (const p of ['/v1/kv/../sys/mounts', '/v1/kv/%2e%2e/x']) {
        const r = await s.req('GET', p);
        assert.equal(r.status, 400, p);
      }
    });
    it('answers 400 for non-printable characters in the path', async () => {
      const r = await s.req('GET', '/v1/kv/a%01b');
      assert.equal(r.status, 400);
    });
    it('answers 405 for an unsupported method', async () => {
      const r = await s.req('OPTIONS', '/v1/kv/x');
      assert.equal(r.status, 405);
    });
    it('answers 415 for PATCH without the merge-patch content type', async () => {
      const r = await s.req('PATCH', '/v1/kv/x', { body: { a: 1 }, headers: { 'Content-Type': 'application/json' } });
      assert.equal(r.status, 415);
    });
    it('refuses writes to a path ending in /', async () => {
      const r = await s.req('PUT', '/v1/kv/folder/', { body: { a: 1 } });
      assert.equal(r.status, 400);
    });
  });

  describe('request parsing', () => {
    it('treats PUT and POST alike', async () => {
      assert.equal((await s.req('PUT', '/v1/kv/same', { body: { v: 'put' } })).status, 204);
      assert.equal((await s.req('POST', '/v1/kv/same', { body: { v: 'post' } })).status, 204);
      assert.deepEqual(obj((await s.req('GET', '/v1/kv/same')).json)['data'], { v: 'post' });
    });
    it('parses form-encoded bodies, joining repeated keys with commas', async () => {
      const r = await s.req('POST', '/v1/kv/form', {
        rawBody: 'a=1&b=x&b=y',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      });
      assert.equal(r.status, 204);
      assert.deepEqual(obj((await s.req('GET', '/v1/kv/form')).json)['data'], { a: '1', b: 'x,y' });
    });
    it('parses JSON even when the content type says form, if the body starts with {', async () => {
      await s.req('POST', '/v1/kv/formjson', { rawBody: '{"a":2}', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
      assert.deepEqual(obj((await s.req('GET', '/v1/kv/formjson')).json)['data'], { a: 2 });
    });
    it('lists with the LIST verb and with ?list=true, both adding the trailing slash', async () => {
      await s.req('POST', '/v1/kv/dir/a', { body: { v: 1 } });
      await s.req('POST', '/v1/kv/dir/sub/b', { body: { v: 1 } });
      for (const [m, p] of [
        ['LIST', '/v1/kv/dir'],
        ['GET', '/v1/kv/dir?list=true'],
        ['GET', '/v1/kv/dir/?list=1'],
      ] as const) {
        const r = await s.req(m, p);
        assert.equal(r.status, 200, `${m} ${p}`);
        assert.deepEqual(obj(obj(r.json)['data'])['keys'], ['a', 'sub/']);
      }
    });
    it('answers 404 for an empty list and 400 for a bad list flag', async () => {
      assert.equal((await s.req('LIST', '/v1/kv/empty-folder')).status, 404);
      assert.equal((await s.req('GET', '/v1/kv/x?list=maybe')).status, 400);
    });
  });
});
