import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createMemoryStorage } from '../../sdk/index.js';
import { compileGlob, listRecursive } from './recursive-list.js';

/** A small deterministic PRNG so the generated key sets are the same on every run. */
function rng(seed: number): () => number {
  let x = seed;
  return () => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return x / 2147483648;
  };
}

async function storageWith(keys: string[]): Promise<ReturnType<typeof createMemoryStorage>> {
  const s = createMemoryStorage();
  for (const k of keys) await s.put(k, new Uint8Array([1]));
  return s;
}

describe('recursive list', () => {
  it('matches a sorted brute-force listing for any after and limit', async () => {
    const rand = rng(42);
    const alphabet = ['a', 'b', 'a-', 'b.', 'z', 'a/', 'b/'];
    for (let round = 0; round < 30; round++) {
      const keys = new Set<string>();
      for (let i = 0; i < 25; i++) {
        let k = '';
        const len = 1 + Math.floor(rand() * 5);
        for (let j = 0; j < len; j++) k += alphabet[Math.floor(rand() * alphabet.length)] ?? 'a';
        k = k.replace(/\/+/g, '/').replace(/^\//, '');
        if (k === '' || k.endsWith('/')) k += 'x';
        keys.add(k);
      }
      const all = [...keys].sort();
      const s = await storageWith(all);
      const limit = 1 + Math.floor(rand() * 6);
      let after = '';
      const seen: string[] = [];
      for (let guard = 0; guard < 100; guard++) {
        const page = await listRecursive((p) => s.list(p), '', { after, limit });
        seen.push(...page.keys);
        if (page.nextAfter === '') break;
        after = page.nextAfter;
      }
      assert.deepEqual(seen, all);
      const cut = all[Math.floor(rand() * all.length)] ?? '';
      const page = await listRecursive((p) => s.list(p), '', { after: cut, limit: 1000 });
      assert.deepEqual(page.keys, all.filter((k) => k > cut));
    }
  });

  it('lists relative to a base prefix', async () => {
    const s = await storageWith(['p/a', 'p/b/c', 'q/a']);
    assert.deepEqual(await listRecursive((p) => s.list(p), 'p/', { after: '', limit: 10 }), { keys: ['a', 'b/c'], nextAfter: '' });
  });

  it('sets next_after only when more keys follow', async () => {
    const s = await storageWith(['a', 'b']);
    assert.deepEqual(await listRecursive((p) => s.list(p), '', { after: '', limit: 2 }), { keys: ['a', 'b'], nextAfter: '' });
    assert.deepEqual(await listRecursive((p) => s.list(p), '', { after: '', limit: 1 }), { keys: ['a'], nextAfter: 'a' });
  });

  it('compiles globs where * spans any characters and ? exactly one, escaping the rest', () => {
    assert.ok(compileGlob('team/*').test('team/a/b'));
    assert.ok(compileGlob('a?c').test('abc'));
    assert.ok(!compileGlob('a?c').test('ac'));
    assert.ok(compileGlob('a.b').test('a.b'));
    assert.ok(!compileGlob('a.b').test('axb'));
  });
});
