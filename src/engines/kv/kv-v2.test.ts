import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CofferError } from '../../shared/index.js';
import { createMemoryStorage } from '../../sdk/index.js';
import { kv2Harness, START } from './kv2-test-harness.js';

const iso = (ms: number): string => new Date(ms).toISOString();

function rejectsWith(code: string, message?: string): (e: unknown) => boolean {
  return (e) => {
    assert.ok(e instanceof CofferError, `expected CofferError, got ${String(e)}`);
    assert.equal(e.code, code);
    if (message !== undefined) assert.equal(e.message, message);
    return true;
  };
}

describe('kv v2 config', () => {
  it('reads back defaults of max_versions 0, cas_required false and delete_version_after "0s"', async () => {
    const h = await kv2Harness();
    assert.deepEqual(await h.data('read', 'config'), { cas_required: false, delete_version_after: '0s', max_versions: 0 });
  });

  it('stores written settings and echoes delete_version_after as a Go duration string', async () => {
    const h = await kv2Harness();
    assert.deepEqual(await h.call('update', 'config', { max_versions: '5', cas_required: 'true', delete_version_after: '1h' }), { kind: 'none' });
    assert.deepEqual(await h.data('read', 'config'), { cas_required: true, delete_version_after: '1h0m0s', max_versions: 5 });
    await h.call('update', 'config', { delete_version_after: 12319 });
    assert.equal((await h.data('read', 'config'))['delete_version_after'], '3h25m19s');
  });

  it('leaves unsent settings unchanged', async () => {
    const h = await kv2Harness();
    await h.call('update', 'config', { max_versions: 3 });
    await h.call('update', 'config', { cas_required: true });
    assert.deepEqual(await h.data('read', 'config'), { cas_required: true, delete_version_after: '0s', max_versions: 3 });
  });

  it('rejects a negative max_versions', async () => {
    const h = await kv2Harness();
    await assert.rejects(h.call('update', 'config', { max_versions: -1 }), rejectsWith('invalid_request'));
  });

  it('keeps settings across a backend restart on the same storage', async () => {
    const h = await kv2Harness();
    await h.call('update', 'config', { max_versions: 7 });
    const again = await kv2Harness(h.storage, h.clock);
    assert.equal((await again.data('read', 'config'))['max_versions'], 7);
  });
});

describe('kv v2 data', () => {
  it('writes version 1 and returns its version metadata', async () => {
    const h = await kv2Harness();
    const out = await h.data('update', 'data/app', { data: { password: 's3cr3t' }, options: {} });
    assert.deepEqual(out, { created_time: iso(START), custom_metadata: null, deletion_time: '', destroyed: false, version: 1 });
  });

  it('reads the current version with its metadata and no lease', async () => {
    const h = await kv2Harness();
    await h.call('update', 'data/app', { data: { a: 1 } });
    h.clock.advance(1000);
    await h.call('update', 'data/app', { data: { a: 2, nested: { b: true } } });
    const res = await h.call('read', 'data/app');
    assert.equal(res.kind, 'data');
    assert.ok(res.kind === 'data' && res.notFound !== true && (res.leaseDuration ?? 0) === 0);
    assert.deepEqual(res.data, {
      data: { a: 2, nested: { b: true } },
      metadata: { created_time: iso(START + 1000), custom_metadata: null, deletion_time: '', destroyed: false, version: 2 },
    });
  });

  it('reads an older version with ?version=N (as a string from the query)', async () => {
    const h = await kv2Harness();
    await h.call('update', 'data/app', { data: { a: 1 } });
    await h.call('update', 'data/app', { data: { a: 2 } });
    const out = await h.data('read', 'data/app', { version: '1' });
    assert.deepEqual(out['data'], { a: 1 });
    assert.equal((out['metadata'] as Record<string, unknown>)['version'], 1);
    assert.deepEqual((await h.data('read', 'data/app', { version: 0 }))['data'], { a: 2 });
  });

  it('answers a plain 404 for a missing secret or a version that does not exist', async () => {
    const h = await kv2Harness();
    assert.deepEqual(await h.call('read', 'data/nope'), { kind: 'none' });
    await h.call('update', 'data/app', { data: { a: 1 } });
    assert.deepEqual(await h.call('read', 'data/app', { version: 9 }), { kind: 'none' });
  });

  it('rejects a non-integer version', async () => {
    const h = await kv2Harness();
    await assert.rejects(h.call('read', 'data/app', { version: 'x' }), rejectsWith('invalid_request'));
  });

  it('rejects a write without data', async () => {
    const h = await kv2Harness();
    await assert.rejects(h.call('update', 'data/app', { options: {} }), rejectsWith('invalid_request', 'no data provided'));
    await assert.rejects(h.call('update', 'data/app', { data: null }), rejectsWith('invalid_request', 'no data provided'));
  });

  it('decides create vs update by whether the secret exists', async () => {
    const h = await kv2Harness();
    const req = { operation: 'update' as const, path: 'data/app', data: { data: {} }, storage: h.storage, mountPath: 'kv2/', caller: undefined, remoteAddress: '', requestId: '' };
    assert.equal(await h.backend.existenceCheck(req), false);
    await h.call('update', 'data/app', { data: { a: 1 } });
    assert.equal(await h.backend.existenceCheck(req), true);
  });

  it('writes with two storage puts (version and metadata)', async () => {
    const h = await kv2Harness();
    await h.call('update', 'data/app', { data: { a: 1 } });
    const before = h.storage.puts();
    await h.call('update', 'data/app', { data: { a: 2 } });
    assert.equal(h.storage.puts() - before, 2);
  });
});

describe('kv v2 check-and-set', () => {
  it('accepts cas equal to the current version, given as a number or a numeric string', async () => {
    const h = await kv2Harness();
    await h.call('update', 'data/app', { data: { a: 1 }, options: { cas: 0 } });
    const out = await h.data('update', 'data/app', { data: { a: 2 }, options: { cas: '1' } });
    assert.equal(out['version'], 2);
  });

  it('rejects a cas that does not match the current version', async () => {
    const h = await kv2Harness();
    await h.call('update', 'data/app', { data: { a: 1 } });
    await assert.rejects(
      h.call('update', 'data/app', { data: { a: 2 }, options: { cas: 0 } }),
      rejectsWith('invalid_request', 'check-and-set parameter did not match the current version'),
    );
    await assert.rejects(h.call('update', 'data/app', { data: { a: 2 }, options: { cas: 5 } }), rejectsWith('invalid_request'));
  });

  it('treats a secret whose versions are all deleted as still having a current version', async () => {
    const h = await kv2Harness();
    await h.call('update', 'data/app', { data: { a: 1 } });
    await h.call('delete', 'data/app');
    await assert.rejects(h.call('update', 'data/app', { data: { a: 2 }, options: { cas: 0 } }), rejectsWith('invalid_request'));
    assert.equal((await h.data('update', 'data/app', { data: { a: 2 }, options: { cas: 1 } }))['version'], 2);
  });

  it('requires cas when the engine config sets cas_required', async () => {
    const h = await kv2Harness();
    await h.call('update', 'config', { cas_required: true });
    await assert.rejects(h.call('update', 'data/app', { data: { a: 1 } }), rejectsWith('invalid_request', 'check-and-set parameter required for this call'));
    await h.call('update', 'data/app', { data: { a: 1 }, options: { cas: 0 } });
  });

  it('requires cas when the key metadata sets cas_required', async () => {
    const h = await kv2Harness();
    await h.call('update', 'metadata/app', { cas_required: true });
    await assert.rejects(h.call('update', 'data/app', { data: { a: 1 } }), rejectsWith('invalid_request', 'check-and-set parameter required for this call'));
    await h.call('update', 'data/other', { data: { a: 1 } });
  });

  it('rejects an unparsable cas', async () => {
    const h = await kv2Harness();
    await assert.rejects(h.call('update', 'data/app', { data: { a: 1 }, options: { cas: 'one' } }), rejectsWith('invalid_request', 'error parsing check-and-set parameter'));
  });

  it('lets exactly one of 20 concurrent writers using the same cas win', async () => {
    const h = await kv2Harness();
    await h.call('update', 'data/app', { data: { n: 0 } });
    const results = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => h.call('update', 'data/app', { data: { n: i + 1 }, options: { cas: 1 } })));
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
    for (const r of results) if (r.status === 'rejected') rejectsWith('invalid_request', 'check-and-set parameter did not match the current version')(r.reason);
    const meta = await h.data('read', 'metadata/app');
    assert.equal(meta['current_version'], 2);
  });

  it('serialises concurrent writers without cas so every write gets its own version', async () => {
    const h = await kv2Harness();
    const outs = await Promise.all(Array.from({ length: 12 }, (_, i) => h.data('update', 'data/app', { data: { n: i } })));
    assert.deepEqual(outs.map((o) => o['version']).sort((a, b) => Number(a) - Number(b)), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  });
});

describe('kv v2 delete, undelete and destroy', () => {
  it('soft-deletes the latest version on DELETE data/<path>; a read is a 404 carrying the metadata', async () => {
    const h = await kv2Harness();
    await h.call('update', 'data/app', { data: { a: 1 } });
    h.clock.advance(5000);
    assert.deepEqual(await h.call('delete', 'data/app'), { kind: 'none' });
    const res = await h.call('read', 'data/app');
    assert.deepEqual(res, {
      kind: 'data',
      notFound: true,
      data: { data: null, metadata: { created_time: iso(START), custom_metadata: null, deletion_time: iso(START + 5000), destroyed: false, version: 1 } },
    });
  });

  it('deletes and undeletes chosen versions given as a list of numbers, of strings, or a comma string', async () => {
    const h = await kv2Harness();
    for (let i = 1; i <= 3; i++) await h.call('update', 'data/app', { data: { i } });
    await h.call('update', 'delete/app', { versions: [1, 2] });
    assert.equal((await h.call('read', 'data/app', { version: 1 })).kind, 'data');
    assert.equal(((await h.call('read', 'data/app', { version: 1 })) as { notFound?: boolean }).notFound, true);
    assert.deepEqual((await h.data('read', 'data/app'))['data'], { i: 3 });
    await h.call('update', 'undelete/app', { versions: ['1'] });
    assert.deepEqual((await h.data('read', 'data/app', { version: 1 }))['data'], { i: 1 });
    await h.call('update', 'undelete/app', { versions: '2,3' });
    assert.deepEqual((await h.data('read', 'data/app', { version: 2 }))['data'], { i: 2 });
  });

  it('destroys versions permanently: the read is a 404 with destroyed true and the payload is gone', async () => {
    const h = await kv2Harness();
    await h.call('update', 'data/app', { data: { a: 1 } });
    await h.call('update', 'data/app', { data: { a: 2 } });
    await h.call('update', 'destroy/app', { versions: ['1'] });
    const res = await h.call('read', 'data/app', { version: 1 });
    assert.ok(res.kind === 'data' && res.notFound === true);
    assert.deepEqual(res.data, { data: null, metadata: { created_time: iso(START), custom_metadata: null, deletion_time: '', destroyed: true, version: 1 } });
    assert.ok(!h.storage.keys().includes('_kv2/versions/app/1'));
    await h.call('update', 'undelete/app', { versions: [1] });
    assert.equal(((await h.call('read', 'data/app', { version: 1 })) as { notFound?: boolean }).notFound, true);
  });

  it('rejects delete, undelete and destroy without versions', async () => {
    const h = await kv2Harness();
    for (const p of ['delete/app', 'undelete/app', 'destroy/app']) {
      await assert.rejects(h.call('update', p, {}), rejectsWith('invalid_request', 'no version number provided'));
      await assert.rejects(h.call('update', p, { versions: [] }), rejectsWith('invalid_request'));
    }
  });

  it('accepts deletes of missing secrets and versions silently', async () => {
    const h = await kv2Harness();
    assert.deepEqual(await h.call('delete', 'data/nope'), { kind: 'none' });
    assert.deepEqual(await h.call('update', 'delete/nope', { versions: [1] }), { kind: 'none' });
    assert.deepEqual(await h.call('update', 'destroy/nope', { versions: [1] }), { kind: 'none' });
  });
});

describe('kv v2 patch', () => {
  it('merge-patches the current data into a new version; null removes a key', async () => {
    const h = await kv2Harness();
    await h.call('update', 'data/app', { data: { a: 1, b: 2, n: { x: 1, y: 2 } } });
    const out = await h.data('patch', 'data/app', { data: { b: null, c: 3, n: { y: null, z: 3 } } });
    assert.equal(out['version'], 2);
    assert.deepEqual((await h.data('read', 'data/app'))['data'], { a: 1, c: 3, n: { x: 1, z: 3 } });
  });

  it('answers 404 when the secret is missing, deleted or destroyed', async () => {
    const h = await kv2Harness();
    await assert.rejects(h.call('patch', 'data/app', { data: { a: 1 } }), rejectsWith('not_found'));
    await h.call('update', 'data/app', { data: { a: 1 } });
    await h.call('delete', 'data/app');
    await assert.rejects(h.call('patch', 'data/app', { data: { a: 2 } }), rejectsWith('not_found'));
    await h.call('update', 'data/other', { data: { a: 1 } });
    await h.call('update', 'destroy/other', { versions: [1] });
    await assert.rejects(h.call('patch', 'data/other', { data: { a: 2 } }), rejectsWith('not_found'));
  });

  it('honours cas and rejects a patch without data', async () => {
    const h = await kv2Harness();
    await h.call('update', 'data/app', { data: { a: 1 } });
    await assert.rejects(h.call('patch', 'data/app', { data: { a: 2 }, options: { cas: 0 } }), rejectsWith('invalid_request', 'check-and-set parameter did not match the current version'));
    await assert.rejects(h.call('patch', 'data/app', {}), rejectsWith('invalid_request', 'no data provided'));
    assert.equal((await h.data('patch', 'data/app', { data: { a: 2 }, options: { cas: 1 } }))['version'], 2);
  });
});

describe('kv v2 version limits', () => {
  it('keeps 10 versions by default, removing the oldest permanently and advancing oldest_version', async () => {
    const h = await kv2Harness();
    for (let i = 1; i <= 12; i++) await h.call('update', 'data/app', { data: { i } });
    const meta = await h.data('read', 'metadata/app');
    assert.equal(meta['current_version'], 12);
    assert.equal(meta['oldest_version'], 3);
    assert.deepEqual(Object.keys(meta['versions'] as object).map(Number).sort((a, b) => a - b), [3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    assert.deepEqual(await h.call('read', 'data/app', { version: 2 }), { kind: 'none' });
    assert.ok(!h.storage.keys().includes('_kv2/versions/app/1'));
  });

  it('reports oldest_version 0 until a version is trimmed', async () => {
    const h = await kv2Harness();
    await h.call('update', 'data/app', { data: { a: 1 } });
    assert.equal((await h.data('read', 'metadata/app'))['oldest_version'], 0);
  });

  it('lets the key max_versions override the engine setting', async () => {
    const h = await kv2Harness();
    await h.call('update', 'config', { max_versions: 4 });
    for (let i = 1; i <= 5; i++) await h.call('update', 'data/a', { data: { i } });
    assert.equal(Object.keys((await h.data('read', 'metadata/a'))['versions'] as object).length, 4);
    await h.call('update', 'metadata/b', { max_versions: 2 });
    for (let i = 1; i <= 5; i++) await h.call('update', 'data/b', { data: { i } });
    const meta = await h.data('read', 'metadata/b');
    assert.deepEqual(Object.keys(meta['versions'] as object).sort(), ['4', '5']);
    assert.equal(meta['oldest_version'], 4);
  });

  it('sets deletion_time from delete_version_after and hides the version once it passes', async () => {
    const h = await kv2Harness();
    await h.call('update', 'metadata/app', { delete_version_after: '1h' });
    const out = await h.data('update', 'data/app', { data: { a: 1 } });
    assert.equal(out['deletion_time'], iso(START + 3600_000));
    assert.deepEqual((await h.data('read', 'data/app'))['data'], { a: 1 });
    h.clock.advance(3600_000);
    const res = await h.call('read', 'data/app');
    assert.ok(res.kind === 'data' && res.notFound === true);
  });

  it('caps the key delete_version_after by the engine value, and a negative engine value disables it', async () => {
    const h = await kv2Harness();
    await h.call('update', 'config', { delete_version_after: '10m' });
    await h.call('update', 'metadata/app', { delete_version_after: '1h' });
    assert.equal((await h.data('update', 'data/app', { data: { a: 1 } }))['deletion_time'], iso(START + 600_000));
    assert.equal((await h.data('update', 'data/plain', { data: { a: 1 } }))['deletion_time'], iso(START + 600_000));
    await h.call('update', 'config', { delete_version_after: '-1s' });
    assert.equal((await h.data('update', 'data/app', { data: { a: 2 } }))['deletion_time'], '');
  });
});

describe('kv v2 metadata', () => {
  it('reads every field, with versions keyed by the version number as a string', async () => {
    const h = await kv2Harness();
    await h.call('update', 'data/app', { data: { a: 1 } });
    h.clock.advance(2000);
    await h.call('update', 'data/app', { data: { a: 2 } });
    await h.call('update', 'destroy/app', { versions: [1] });
    assert.deepEqual(await h.data('read', 'metadata/app'), {
      cas_required: false,
      created_time: iso(START),
      current_version: 2,
      custom_metadata: null,
      delete_version_after: '0s',
      max_versions: 0,
      oldest_version: 0,
      updated_time: iso(START + 2000),
      versions: {
        '1': { created_time: iso(START), deletion_time: '', destroyed: true },
        '2': { created_time: iso(START + 2000), deletion_time: '', destroyed: false },
      },
    });
  });

  it('answers a plain 404 for missing metadata', async () => {
    const h = await kv2Harness();
    assert.deepEqual(await h.call('read', 'metadata/nope'), { kind: 'none' });
  });

  it('creates metadata without versions on write; data reads stay 404 until a version is written', async () => {
    const h = await kv2Harness();
    await h.call('update', 'metadata/app', { max_versions: 3, cas_required: true, delete_version_after: '2h', custom_metadata: { owner: 'ops', n: 1 } });
    const meta = await h.data('read', 'metadata/app');
    assert.equal(meta['current_version'], 0);
    assert.deepEqual(meta['versions'], {});
    assert.equal(meta['delete_version_after'], '2h0m0s');
    assert.deepEqual(meta['custom_metadata'], { owner: 'ops', n: '1' });
    assert.equal(meta['max_versions'], 3);
    assert.deepEqual(await h.call('read', 'data/app'), { kind: 'none' });
    const out = await h.data('update', 'data/app', { data: { a: 1 }, options: { cas: 0 } });
    assert.deepEqual(out['custom_metadata'], { owner: 'ops', n: '1' });
  });

  it('returns the key-level custom_metadata with data reads', async () => {
    const h = await kv2Harness();
    await h.call('update', 'data/app', { data: { a: 1 } });
    await h.call('update', 'metadata/app', { custom_metadata: { team: 'x' } });
    assert.deepEqual(((await h.data('read', 'data/app'))['metadata'] as Record<string, unknown>)['custom_metadata'], { team: 'x' });
  });

  it('rejects custom_metadata beyond Vault limits', async () => {
    const h = await kv2Harness();
    const tooMany = Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`k${i}`, 'v']));
    const failed = (e: unknown): boolean => {
      assert.ok(e instanceof CofferError && e.code === 'invalid_request' && e.message.startsWith('custom_metadata validation failed: '), String(e));
      return true;
    };
    await assert.rejects(h.call('update', 'metadata/app', { custom_metadata: tooMany }), failed);
    await assert.rejects(h.call('update', 'metadata/app', { custom_metadata: { ['k'.repeat(129)]: 'v' } }), failed);
    await assert.rejects(h.call('update', 'metadata/app', { custom_metadata: { k: 'v'.repeat(513) } }), failed);
    await h.call('update', 'metadata/app', { custom_metadata: { ['k'.repeat(128)]: 'v'.repeat(512) } });
  });

  it('rejects a negative key max_versions or delete_version_after', async () => {
    const h = await kv2Harness();
    await assert.rejects(h.call('update', 'metadata/app', { max_versions: -1 }), rejectsWith('invalid_request'));
    await assert.rejects(h.call('update', 'metadata/app', { delete_version_after: '-5s' }), rejectsWith('invalid_request'));
  });

  it('merge-patches metadata: a custom_metadata key set to null is removed, unsent fields stay', async () => {
    const h = await kv2Harness();
    await h.call('update', 'metadata/app', { max_versions: 5, custom_metadata: { a: '1', b: '2' } });
    await h.call('patch', 'metadata/app', { cas_required: true, custom_metadata: { a: null, c: '3' } });
    const meta = await h.data('read', 'metadata/app');
    assert.equal(meta['max_versions'], 5);
    assert.equal(meta['cas_required'], true);
    assert.deepEqual(meta['custom_metadata'], { b: '2', c: '3' });
  });

  it('answers 404 to a metadata patch of a missing secret', async () => {
    const h = await kv2Harness();
    await assert.rejects(h.call('patch', 'metadata/nope', { max_versions: 1 }), rejectsWith('not_found'));
  });

  it('deletes all versions and the metadata', async () => {
    const h = await kv2Harness();
    await h.call('update', 'data/app', { data: { a: 1 } });
    await h.call('update', 'data/app', { data: { a: 2 } });
    assert.deepEqual(await h.call('delete', 'metadata/app'), { kind: 'none' });
    assert.deepEqual(await h.call('read', 'metadata/app'), { kind: 'none' });
    assert.deepEqual(await h.call('read', 'data/app', { version: 1 }), { kind: 'none' });
    assert.deepEqual(h.storage.keys().filter((k) => k.includes('app')), []);
  });

  it('lists direct children, folders ending in "/", and an empty folder as 404', async () => {
    const h = await kv2Harness();
    for (const p of ['app', 'app/db', 'app/web/x', 'zeta']) await h.call('update', `data/${p}`, { data: { a: 1 } });
    assert.deepEqual(await h.data('list', 'metadata/'), { keys: ['app', 'app/', 'zeta'] });
    assert.deepEqual(await h.data('list', 'metadata/app/'), { keys: ['db', 'web/'] });
    assert.deepEqual(await h.call('list', 'metadata/empty/'), { kind: 'none' });
  });

  it('lists metadata-only secrets and secrets whose versions are all deleted', async () => {
    const h = await kv2Harness();
    await h.call('update', 'metadata/only', {});
    await h.call('update', 'data/gone', { data: { a: 1 } });
    await h.call('delete', 'data/gone');
    assert.deepEqual(await h.data('list', 'metadata/'), { keys: ['gone', 'only'] });
  });
});

describe('kv v2 recursive list', () => {
  const paths = ['a', 'a/b', 'a/b/c', 'a-b', 'b/x/y/z', 'c', 'team/one', 'team/two'];

  it('returns every secret under the prefix as full relative paths in sorted order', async () => {
    const h = await kv2Harness();
    for (const p of paths) await h.call('update', `data/${p}`, { data: { p } });
    assert.deepEqual(await h.data('list', 'metadata/', { recursive: 'true' }), { keys: [...paths].sort(), next_after: '' });
    assert.deepEqual(await h.data('list', 'metadata/team/', { recursive: true }), { keys: ['one', 'two'], next_after: '' });
  });

  it('pages with limit and after until next_after is empty', async () => {
    const h = await kv2Harness();
    for (const p of paths) await h.call('update', `data/${p}`, { data: { p } });
    const seen: string[] = [];
    let after = '';
    for (let page = 0; page < 10; page++) {
      const out = await h.data('list', 'metadata/', { recursive: 'true', limit: '3', after });
      const keys = out['keys'] as string[];
      assert.ok(keys.length <= 3);
      seen.push(...keys);
      after = out['next_after'] as string;
      if (after === '') break;
      assert.equal(after, keys[keys.length - 1]);
    }
    assert.deepEqual(seen, [...paths].sort());
  });

  it('filters by a glob on the relative key', async () => {
    const h = await kv2Harness();
    for (const p of paths) await h.call('update', `data/${p}`, { data: { p } });
    assert.deepEqual((await h.data('list', 'metadata/', { recursive: 'true', filter: 'team/*' }))['keys'], ['team/one', 'team/two']);
    assert.deepEqual((await h.data('list', 'metadata/', { recursive: 'true', filter: '?' }))['keys'], ['a', 'c']);
  });

  it('answers 404 when a page is empty and rejects a non-positive limit', async () => {
    const h = await kv2Harness();
    await h.call('update', 'data/a', { data: { a: 1 } });
    assert.deepEqual(await h.call('list', 'metadata/', { recursive: 'true', after: 'z' }), { kind: 'none' });
    await assert.rejects(h.call('list', 'metadata/', { recursive: 'true', limit: 0 }), rejectsWith('invalid_request'));
  });
});

describe('kv v2 subkeys', () => {
  it('returns the key structure with leaves null, limited by depth', async () => {
    const h = await kv2Harness();
    await h.call('update', 'data/app', { data: { foo: 'abc', bar: { baz: 1, q: { r: [1] } }, e: {} } });
    const out = await h.data('read', 'subkeys/app');
    assert.deepEqual(out['subkeys'], { foo: null, bar: { baz: null, q: { r: null } }, e: {} });
    assert.equal((out['metadata'] as Record<string, unknown>)['version'], 1);
    assert.deepEqual((await h.data('read', 'subkeys/app', { depth: '1' }))['subkeys'], { foo: null, bar: null, e: null });
    assert.deepEqual((await h.data('read', 'subkeys/app', { depth: '2' }))['subkeys'], { foo: null, bar: { baz: null, q: null }, e: {} });
  });

  it('reads an older version, answers 404 with metadata for a deleted one, and a plain 404 for a missing one', async () => {
    const h = await kv2Harness();
    await h.call('update', 'data/app', { data: { a: 1 } });
    await h.call('update', 'data/app', { data: { b: 1 } });
    assert.deepEqual((await h.data('read', 'subkeys/app', { version: 1 }))['subkeys'], { a: null });
    await h.call('delete', 'data/app');
    const res = await h.call('read', 'subkeys/app');
    assert.ok(res.kind === 'data' && res.notFound === true && res.data !== null && res.data['subkeys'] === null);
    assert.deepEqual(await h.call('read', 'subkeys/nope'), { kind: 'none' });
  });
});

describe('kv v2 wrong-prefix access', () => {
  it('answers 404 with data null and the kv CLI warning whose verb matches the operation', async () => {
    const h = await kv2Harness();
    const cases = [
      ['read', 'get'],
      ['update', 'put'],
      ['list', 'list'],
      ['delete', 'delete'],
      ['patch', 'patch'],
    ] as const;
    for (const [op, verb] of cases) {
      const res = await h.call(op, op === 'list' ? 'foo/' : 'foo', { a: 1 });
      assert.deepEqual(res, {
        kind: 'data',
        data: null,
        notFound: true,
        warnings: [
          `Invalid path for a versioned K/V secrets engine. See the API docs for the appropriate API endpoints to use. If using the Vault CLI, use 'vault kv ${verb}' for this operation.`,
        ],
      });
    }
  });
});

describe('kv v1 to v2 upgrade', () => {
  it('migrates each v1 key to version 1 of a v2 secret at the same path, once', async () => {
        const storage = createMemoryStorage();
    const enc = (v: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(v));
    await storage.put('app', enc({ password: 'p' }));
    await storage.put('team/db', enc({ user: 'u', n: 5 }));
    const h = await kv2Harness(storage);
    assert.deepEqual((await h.data('read', 'data/app'))['data'], { password: 'p' });
    const db = await h.data('read', 'data/team/db');
    assert.deepEqual(db['data'], { user: 'u', n: 5 });
    assert.equal((db['metadata'] as Record<string, unknown>)['version'], 1);
    assert.deepEqual(await h.data('list', 'metadata/'), { keys: ['app', 'team/'] });
    assert.ok(!storage.keys().includes('app') && !storage.keys().includes('team/db'));
    await h.call('update', 'data/app', { data: { password: 'q' } });
    const again = await kv2Harness(storage, h.clock);
    assert.equal((await again.data('read', 'metadata/app'))['current_version'], 2);
  });

  it('starts an empty mount with the layout marker and nothing else', async () => {
    const h = await kv2Harness();
    assert.deepEqual(h.storage.keys(), ['_kv2/layout']);
  });
});
