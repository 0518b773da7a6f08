import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeCustomMetadata, mergeCustomMetadata, validateCustomMetadata } from './custom-metadata.js';
import { applyMergePatch } from './merge-patch.js';
import { subkeysOf } from './subkeys.js';

describe('JSON merge patch (RFC 7386)', () => {
  it('follows the RFC examples', () => {
    const cases: [unknown, unknown, unknown][] = [
      [{ a: 'b' }, { a: 'c' }, { a: 'c' }],
      [{ a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
      [{ a: 'b' }, { a: null }, {}],
      [{ a: 'b', b: 'c' }, { a: null }, { b: 'c' }],
      [{ a: ['b'] }, { a: 'c' }, { a: 'c' }],
      [{ a: 'c' }, { a: ['b'] }, { a: ['b'] }],
      [{ a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
      [{ a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
      [['a', 'b'], ['c', 'd'], ['c', 'd']],
      [{ a: 'b' }, ['c'], ['c']],
      [{ e: null }, { a: 1 }, { e: null, a: 1 }],
      [[1, 2], { a: 'b', c: null }, { a: 'b' }],
      [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
    ];
    for (const [target, patch, want] of cases) assert.deepEqual(applyMergePatch(target, patch), want);
  });

  it('does not mutate its inputs', () => {
    const target = { a: { b: 1 } };
    applyMergePatch(target, { a: { b: null } });
    assert.deepEqual(target, { a: { b: 1 } });
  });
});

describe('subkeys', () => {
  it('replaces leaves (arrays included) with null and keeps nested objects', () => {
    assert.deepEqual(subkeysOf({ a: 1, b: [1, 2], c: { d: 'x' }, e: null }, 0), { a: null, b: null, c: { d: null }, e: null });
  });
});

describe('custom_metadata', () => {
  it('decodes numbers and booleans to strings', () => {
    assert.deepEqual(decodeCustomMetadata({ a: 1, b: true, c: 'x' }), { a: '1', b: 'true', c: 'x' });
  });

  it('merges a patch where null removes a key', () => {
    assert.deepEqual(mergeCustomMetadata({ a: '1', b: '2' }, { a: null, c: 3 }), { b: '2', c: '3' });
  });

  it('rejects objects as values', () => {
    assert.throws(() => decodeCustomMetadata({ a: { b: 1 } }), /custom_metadata validation failed/);
  });

  it('reports every violated limit in one multi-error message', () => {
    assert.throws(
      () => validateCustomMetadata({ ['k'.repeat(129)]: 'v'.repeat(513) }),
      (e: unknown) => e instanceof Error && e.message.startsWith('custom_metadata validation failed: 2 errors occurred:\n\t* length of key'),
    );
    assert.throws(() => validateCustomMetadata({ '': 'v' }), /length of key "" is 0/);
    assert.throws(() => validateCustomMetadata({ k: 'a\u0001' }), /unprintable/);
  });

  it('counts bytes, not characters, against the limits', () => {
    assert.throws(() => validateCustomMetadata({ k: 'é'.repeat(257) }), /is 514 but must be <= 512/);
    validateCustomMetadata({ k: 'é'.repeat(256) });
  });
});
