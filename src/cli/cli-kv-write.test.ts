// Specification of `coffer kv metadata put|patch`, `kv rollback` and the `kv patch` fallback to
// read-then-write.

import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { envelope, startFakeVault } from '../api/testing/index.js';
import type { FakeVault } from '../api/testing/index.js';
import { createManualClock } from '../shared/index.js';
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

const calls = (): string[] => fake.requests.map((q) => `${q.method} ${q.path}${q.query['version'] !== undefined ? `?version=${q.query['version']}` : ''}`);
const meta = (version: number, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  created_time: '2026-01-01T00:00:00Z', custom_metadata: null, deletion_time: '', destroyed: false, version, ...extra,
});

describe('coffer kv metadata put', () => {
  it('writes only the given settings to <mount>/metadata/<path>, the duration in Go form', async () => {
    fake.on('PUT', 'secret/metadata/app', { status: 204 });
    const r = await runCoffer(
      ['kv', 'metadata', 'put', '-max-versions=5', '-cas-required', '-delete-version-after=1h', '-custom-metadata=owner=ops', '-custom-metadata=tier=1', 'secret/app'],
      env,
    );
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(calls(), ['GET sys/internal/ui/mounts/secret/app', 'PUT secret/metadata/app']);
    assert.deepEqual(fake.requests[1]?.body, {
      max_versions: 5, cas_required: true, delete_version_after: '1h0m0s', custom_metadata: { owner: 'ops', tier: '1' },
    });
    assert.equal(r.stdout, 'Success! Data written to: secret/metadata/app\n');
  });

  it('sends an empty object when no flag is given, and honours -mount', async () => {
    fake.on('PUT', 'secret/metadata/app', { status: 204 });
    const r = await runCoffer(['kv', 'metadata', 'put', '-mount=secret', 'app'], env);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(fake.requests[1]?.body, {});
  });

  it('sends -cas-required=false and -max-versions=0 when given explicitly', async () => {
    fake.on('PUT', 'secret/metadata/app', { status: 204 });
    await runCoffer(['kv', 'metadata', 'put', '-cas-required=false', '-max-versions=0', 'secret/app'], env);
    assert.deepEqual(fake.requests[1]?.body, { max_versions: 0, cas_required: false });
  });

  it('refuses a KV v1 mount (exit 1) and a bad duration (exit 1)', async () => {
    const v1 = await runCoffer(['kv', 'metadata', 'put', 'old/app'], env);
    assert.equal(v1.code, 1);
    assert.equal(v1.stderr, 'Metadata not supported on KV Version 1\n');
    const d = await runCoffer(['kv', 'metadata', 'put', '-delete-version-after=later', 'secret/app'], env);
    assert.equal(d.code, 1);
    assert.match(d.stderr, /invalid value "later" for flag -delete-version-after/);
  });

  it('reports a refused write with exit 2', async () => {
    fake.on('PUT', 'secret/metadata/app', { status: 400, body: { errors: ['custom_metadata validation failed'] } });
    const r = await runCoffer(['kv', 'metadata', 'put', '-custom-metadata=a=b', 'secret/app'], env);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^Error writing data to secret\/metadata\/app: Error making API request\./);
  });
});

describe('coffer kv metadata patch', () => {
  it('sends a merge patch with only the given flags', async () => {
    fake.on('PATCH', 'secret/metadata/app', { status: 204 });
    const r = await runCoffer(['kv', 'metadata', 'patch', '-max-versions=3', 'secret/app'], env);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(fake.requests[1]?.method, 'PATCH');
    assert.equal(fake.requests[1]?.headers['content-type'], 'application/merge-patch+json');
    assert.deepEqual(fake.requests[1]?.body, { max_versions: 3 });
    assert.equal(r.stdout, 'Success! Data written to: secret/metadata/app\n');
  });

  it('removes custom metadata keys by setting them to null', async () => {
    fake.on('PATCH', 'secret/metadata/app', { status: 204 });
    await runCoffer(['kv', 'metadata', 'patch', '-custom-metadata=a=1', '-remove-custom-metadata=b', 'secret/app'], env);
    assert.deepEqual(fake.requests[1]?.body, { custom_metadata: { a: '1', b: null } });
  });
});

describe('coffer kv rollback', () => {
  it('reads the current and the requested version, then writes the old data with cas = current', async () => {
    fake.on('GET', 'secret/data/app', (req) =>
      req.query['version'] === '1'
        ? { body: envelope({ data: { a: 'old' }, metadata: meta(1) }) }
        : { body: envelope({ data: { a: 'new' }, metadata: meta(3) }) },
    );
    fake.on('PUT', 'secret/data/app', { body: envelope(meta(4)) });
    const r = await runCoffer(['kv', 'rollback', '-version=1', 'secret/app'], env);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(calls(), ['GET sys/internal/ui/mounts/secret/app', 'GET secret/data/app', 'GET secret/data/app?version=1', 'PUT secret/data/app']);
    assert.deepEqual(fake.requests[3]?.body, { data: { a: 'old' }, options: { cas: 3 } });
    assert.match(r.stdout, /^= Secret Path =\nsecret\/data\/app\n\n======= Metadata =======\n[\s\S]*version            4\n$/);
  });

  it('requires a positive -version (exit 1)', async () => {
    const r = await runCoffer(['kv', 'rollback', 'secret/app'], env);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, 'Must specify a positive -version to roll back to\n');
    assert.equal(fake.requests.length, 0);
  });

  it('refuses a destroyed version, and a deleted one once its deletion time has passed (exit 2)', async () => {
    const clock = createManualClock(Date.UTC(2026, 5, 1));
    let target = meta(1, { destroyed: true });
    fake.on('GET', 'secret/data/app', (req) =>
      req.query['version'] === '1'
        ? { status: 404, body: envelope({ data: null, metadata: target }) }
        : { body: envelope({ data: { a: 'new' }, metadata: meta(2) }) },
    );
    fake.on('PUT', 'secret/data/app', { body: envelope(meta(3)) });
    const destroyed = await runCoffer(['kv', 'rollback', '-version=1', 'secret/app'], env, '', false, clock);
    assert.equal(destroyed.code, 2);
    assert.equal(destroyed.stderr, 'Cannot roll back to a version that has been destroyed\n');
    target = meta(1, { deletion_time: '2026-05-31T00:00:00Z' });
    const deleted = await runCoffer(['kv', 'rollback', '-version=1', 'secret/app'], env, '', false, clock);
    assert.equal(deleted.code, 2);
    assert.equal(deleted.stderr, 'Cannot roll back to a version that has been deleted\n');
    assert.ok(!fake.requests.some((q) => q.method === 'PUT'));
  });

  it('rolls back to a version whose deletion is still scheduled in the future', async () => {
    const clock = createManualClock(Date.UTC(2026, 5, 1));
    fake.on('GET', 'secret/data/app', (req) =>
      req.query['version'] === '1'
        ? { body: envelope({ data: { a: 'old' }, metadata: meta(1, { deletion_time: '2026-07-01T00:00:00Z' }) }) }
        : { body: envelope({ data: { a: 'new' }, metadata: meta(2) }) },
    );
    fake.on('PUT', 'secret/data/app', { body: envelope(meta(3)) });
    const r = await runCoffer(['kv', 'rollback', '-version=1', 'secret/app'], env, '', false, clock);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(fake.requests.at(-1)?.body, { data: { a: 'old' }, options: { cas: 2 } });
  });

  it('reports a missing secret and refuses KV v1', async () => {
    const missing = await runCoffer(['kv', 'rollback', '-version=1', '-mount=secret', 'gone'], env);
    assert.equal(missing.code, 2);
    assert.equal(missing.stderr, 'No value found at secret/data/gone\n');
    const v1 = await runCoffer(['kv', 'rollback', '-version=1', 'old/app'], env);
    assert.equal(v1.code, 1);
  });

  it('wraps only the final write under -wrap-ttl', async () => {
    fake.on('GET', 'secret/data/app', { body: envelope({ data: { a: 'x' }, metadata: meta(1) }) });
    fake.on('PUT', 'secret/data/app', { body: envelope(null, { wrap_info: { token: 'hvs.W', accessor: '', ttl: 60, creation_time: '2026-01-01T00:00:00Z', creation_path: 'secret/data/app' } }) });
    const r = await runCoffer(['kv', 'rollback', '-wrap-ttl=1m', '-version=1', 'secret/app'], env);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(fake.requests.map((q) => q.headers['x-vault-wrap-ttl']), [undefined, undefined, undefined, '1m']);
    assert.match(r.stdout, /^wrapping_token:\s+hvs\.W$/m);
  });
});

describe('coffer kv patch fallback', () => {
  for (const status of [403, 405]) {
    it(`falls back to read, merge and write with cas when PATCH answers ${status}`, async () => {
      fake.on('PATCH', 'secret/data/app', { status, body: { errors: ['permission denied'] } });
      fake.on('GET', 'secret/data/app', { body: envelope({ data: { a: '1', b: 'old' }, metadata: meta(7) }) });
      fake.on('PUT', 'secret/data/app', { body: envelope(meta(8)) });
      const r = await runCoffer(['kv', 'patch', 'secret/app', 'b=2', 'c=3'], env);
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(calls(), ['GET sys/internal/ui/mounts/secret/app', 'PATCH secret/data/app', 'GET secret/data/app', 'PUT secret/data/app']);
      assert.deepEqual(fake.requests[3]?.body, { data: { a: '1', b: '2', c: '3' }, options: { cas: 7 } });
      assert.match(r.stdout, /^= Secret Path =\nsecret\/data\/app\n/);
    });
  }

  it('does not fall back on other errors', async () => {
    fake.on('PATCH', 'secret/data/app', { status: 400, body: { errors: ['no data provided'] } });
    const r = await runCoffer(['kv', 'patch', 'secret/app', 'b=2'], env);
    assert.equal(r.code, 2);
    assert.equal(fake.requests.length, 2);
    assert.match(r.stderr, /^Error writing data to secret\/data\/app: /);
  });

  it('does not fall back with -method=patch, and goes straight to read-then-write with -method=rw', async () => {
    fake.on('PATCH', 'secret/data/app', { status: 403, body: { errors: ['permission denied'] } });
    fake.on('GET', 'secret/data/app', { body: envelope({ data: { a: '1' }, metadata: meta(2) }) });
    fake.on('PUT', 'secret/data/app', { body: envelope(meta(3)) });
    const p = await runCoffer(['kv', 'patch', '-method=patch', 'secret/app', 'b=2'], env);
    assert.equal(p.code, 2);
    fake.requests.length = 0;
    const rw = await runCoffer(['kv', 'patch', '-method=rw', 'secret/app', 'b=2'], env);
    assert.equal(rw.code, 0, rw.stderr);
    assert.deepEqual(calls(), ['GET sys/internal/ui/mounts/secret/app', 'GET secret/data/app', 'PUT secret/data/app']);
    const bad = await runCoffer(['kv', 'patch', '-method=post', 'secret/app', 'b=2'], env);
    assert.equal(bad.code, 1);
  });

  it('fails when there is nothing to patch (exit 2)', async () => {
    fake.on('PATCH', 'secret/data/gone', { status: 405, body: { errors: [] } });
    const r = await runCoffer(['kv', 'patch', '-mount=secret', 'gone', 'b=2'], env);
    assert.equal(r.code, 2);
    assert.equal(r.stderr, 'No value found at secret/data/gone\n');
  });
});
