// Specification of `coffer kv …`: the version preflight, the v2 path mapping and the output.

import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { envelope, startFakeVault } from '../api/testing/index.js';
import type { FakeVault } from '../api/testing/index.js';
import { kvV2Path } from './kv-preflight.js';
import { runCoffer, tempHome } from './testing/cli-harness.js';

let fake: FakeVault;
let env: Record<string, string>;

before(async () => {
  fake = await startFakeVault();
});
after(async () => {
  await fake.close();
});
beforeEach(() => {
  fake.requests.length = 0;
  env = { VAULT_ADDR: fake.url, VAULT_TOKEN: 'tok', HOME: tempHome() };
  fake.on('GET', 'sys/internal/ui/mounts/secret/app', { body: envelope({ type: 'kv', path: 'secret/', options: { version: '2' } }) });
  fake.on('GET', 'sys/internal/ui/mounts/secret', { body: envelope({ type: 'kv', path: 'secret/', options: { version: '2' } }) });
  fake.on('GET', 'sys/internal/ui/mounts/old/app', { body: envelope({ type: 'kv', path: 'old/', options: null }) });
});

const meta = { created_time: '2026-01-01T00:00:00Z', custom_metadata: null, deletion_time: '', destroyed: false, version: 2 };

describe('kvV2Path', () => {
  it('inserts the prefix after the mount, once', () => {
    assert.equal(kvV2Path('secret/app/x', 'secret/', 'data'), 'secret/data/app/x');
    assert.equal(kvV2Path('secret/data/app', 'secret/', 'data'), 'secret/data/app');
    assert.equal(kvV2Path('team/kv/app', 'team/kv/', 'metadata'), 'team/kv/metadata/app');
    assert.equal(kvV2Path('secret', 'secret/', 'metadata'), 'secret/metadata/');
  });
});

describe('coffer kv get', () => {
  it('preflights the mount, reads <mount>/data/<path> and prints the path, metadata and data sections', async () => {
    fake.on('GET', 'secret/data/app', { body: envelope({ data: { foo: 'bar' }, metadata: meta }) });
    const r = await runCoffer(['kv', 'get', 'secret/app'], env);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(fake.requests.map((q) => `${q.method} ${q.path}`), ['GET sys/internal/ui/mounts/secret/app', 'GET secret/data/app']);
    assert.equal(
      r.stdout,
      [
        '= Secret Path =',
        'secret/data/app',
        '',
        '======= Metadata =======',
        'Key                Value',
        '---                -----',
        'created_time       2026-01-01T00:00:00Z',
        'custom_metadata    <nil>',
        'deletion_time      n/a',
        'destroyed          false',
        'version            2',
        '',
        '=== Data ===',
        'Key    Value',
        '---    -----',
        'foo    bar',
        '',
      ].join('\n'),
    );
  });

  it('passes -version, and -field picks from the data', async () => {
    fake.on('GET', 'secret/data/app', { body: envelope({ data: { foo: 'bar' }, metadata: meta }) });
    const r = await runCoffer(['kv', 'get', '-version=1', '-field=foo', 'secret/app'], env);
    assert.equal(r.stdout, 'bar');
    assert.deepEqual(fake.requests[1]?.query, { version: '1' });
  });

  it('accepts -mount with a path relative to it', async () => {
    fake.on('GET', 'secret/data/app', { body: envelope({ data: { foo: 'bar' }, metadata: meta }) });
    const r = await runCoffer(['kv', 'get', '-mount=secret', '-format=json', 'app'], env);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(fake.requests[0]?.path, 'sys/internal/ui/mounts/secret');
    assert.deepEqual((JSON.parse(r.stdout) as { data: unknown }).data, { data: { foo: 'bar' }, metadata: meta });
  });

  it('reads a KV v1 mount directly, and assumes v1 when the preflight is a 404', async () => {
    fake.on('GET', 'old/app', { body: envelope({ a: 'b' }) });
    const r = await runCoffer(['kv', 'get', 'old/app'], env);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(fake.requests[1]?.path, 'old/app');
    assert.match(r.stdout, /^a      b$/m);
    fake.on('GET', 'legacy/x', { body: envelope({ c: 'd' }) });
    const legacy = await runCoffer(['kv', 'get', 'legacy/x'], env);
    assert.equal(legacy.code, 0, legacy.stderr);
  });

  it('aborts when the preflight is denied (exit 2)', async () => {
    fake.on('GET', 'sys/internal/ui/mounts/locked/x', { status: 403, body: { errors: ['preflight capability check returned 403, please ensure client\'s policies grant access to path "locked/x/"'] } });
    const r = await runCoffer(['kv', 'get', 'locked/x'], env);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^Error reading locked\/x: Error making API request\./);
  });
});

describe('coffer kv put, patch, list, delete, undelete, destroy, metadata', () => {
  it('puts {data, options} to <mount>/data/<path>, with -cas in options', async () => {
    fake.on('PUT', 'secret/data/app', { body: envelope(meta) });
    const r = await runCoffer(['kv', 'put', '-cas=1', 'secret/app', 'a=1'], env);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(fake.requests[1]?.body, { data: { a: '1' }, options: { cas: 1 } });
    assert.match(r.stdout, /^= Secret Path =\nsecret\/data\/app\n\n======= Metadata =======\n/);
  });

  it('puts plain data on a KV v1 mount', async () => {
    fake.on('PUT', 'old/app', { status: 204 });
    const r = await runCoffer(['kv', 'put', 'old/app', 'a=1'], env);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(fake.requests[1]?.body, { a: '1' });
    assert.equal(r.stdout, 'Success! Data written to: old/app\n');
  });

  it('patches with a merge patch on v2', async () => {
    fake.on('PATCH', 'secret/data/app', { body: envelope(meta) });
    const r = await runCoffer(['kv', 'patch', 'secret/app', 'b=2'], env);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(fake.requests[1]?.headers['content-type'], 'application/merge-patch+json');
    assert.deepEqual(fake.requests[1]?.body, { data: { b: '2' }, options: {} });
  });

  it('lists <mount>/metadata/<path>/', async () => {
    fake.on('LIST', 'secret/metadata/app/', { body: envelope({ keys: ['x', 'y/'] }) });
    const r = await runCoffer(['kv', 'list', 'secret/app'], env);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'Keys\n----\nx\ny/\n');
  });

  it('deletes the latest version with DELETE, or given versions via <mount>/delete', async () => {
    fake.on('DELETE', 'secret/data/app', { status: 204 });
    fake.on('PUT', 'secret/delete/app', { status: 204 });
    const r = await runCoffer(['kv', 'delete', 'secret/app'], env);
    assert.equal(r.stdout, 'Success! Data deleted (if it existed) at: secret/data/app\n');
    const v = await runCoffer(['kv', 'delete', '-versions=1,2', 'secret/app'], env);
    assert.equal(v.code, 0, v.stderr);
    assert.deepEqual(fake.requests.at(-1)?.body, { versions: ['1', '2'] });
  });

  it('undeletes and destroys versions, which are required', async () => {
    fake.on('PUT', 'secret/undelete/app', { status: 204 });
    fake.on('PUT', 'secret/destroy/app', { status: 204 });
    const u = await runCoffer(['kv', 'undelete', '-versions=2', 'secret/app'], env);
    assert.equal(u.stdout, 'Success! Data written to: secret/undelete/app\n');
    const d = await runCoffer(['kv', 'destroy', '-versions=1', 'secret/app'], env);
    assert.equal(d.stdout, 'Success! Data written to: secret/destroy/app\n');
    const none = await runCoffer(['kv', 'destroy', 'secret/app'], env);
    assert.equal(none.code, 1);
  });

  it('prints metadata and each version, and deletes all metadata', async () => {
    fake.on('GET', 'secret/metadata/app', {
      body: envelope({ current_version: 2, max_versions: 0, versions: { '1': { destroyed: false }, '2': { destroyed: false } } }),
    });
    fake.on('DELETE', 'secret/metadata/app', { status: 204 });
    const g = await runCoffer(['kv', 'metadata', 'get', 'secret/app'], env);
    assert.equal(g.code, 0, g.stderr);
    assert.match(g.stdout, /^== Metadata Path ==\nsecret\/metadata\/app\n\n/);
    assert.match(g.stdout, /current_version    2/);
    assert.match(g.stdout, /== Version 1 ==[\s\S]*== Version 2 ==/);
    const d = await runCoffer(['kv', 'metadata', 'delete', 'secret/app'], env);
    assert.equal(d.stdout, 'Success! Data deleted (if it existed) at: secret/metadata/app\n');
  });

  it('enables versioning by tuning options.version=2', async () => {
    fake.on('POST', 'sys/mounts/old/tune', { status: 204 });
    const r = await runCoffer(['kv', 'enable-versioning', 'old'], env);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(fake.requests[0]?.body, { options: { version: '2' } });
  });
});
