// The conformance suite every PhysicalBackend runs: registers node:test cases for one backend.
// Exported (not a test file itself) so each backend, wrapper and the barrier can reuse it.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isCofferError } from '../shared/index.js';
import { hasTransactions } from './types.js';
import type { Ciphertext, PhysicalBackend } from './types.js';

/** What `open` yields: a fresh, empty backend and how to dispose of anything it left behind. */
export interface OpenedBackend {
  backend: PhysicalBackend;
  cleanup?: () => Promise<void>;
}

const ct = (bytes: Uint8Array): Ciphertext => bytes as Ciphertext;
const text = (s: string): Ciphertext => ct(new TextEncoder().encode(s));

function assertBytes(actual: Uint8Array | undefined, expected: Uint8Array, what = 'value'): void {
  assert.ok(actual instanceof Uint8Array, `${what}: expected bytes, got ${String(actual)}`);
  assert.equal(actual.byteLength, expected.byteLength, `${what}: length`);
  const a = Buffer.from(actual.buffer, actual.byteOffset, actual.byteLength);
  const b = Buffer.from(expected.buffer, expected.byteOffset, expected.byteLength);
  assert.ok(a.equals(b), `${what}: bytes differ`);
}

/** Deterministic pseudo-random bytes (no crypto needed, and reproducible on failure). */
function patternBytes(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

const isInvalidRequest = (e: unknown): boolean => isCofferError(e) && e.code === 'invalid_request';

/**
 * Registers the shared PhysicalBackend conformance cases under `describe(name)`. `open` must
 * return a fresh, empty backend each time; the suite closes it and then runs `cleanup`.
 */
export function describePhysicalBackendConformance(name: string, open: () => Promise<OpenedBackend>): void {
  /** Runs `body` against a fresh backend, always closing it and cleaning up afterwards. */
  const withBackend =
    (body: (b: PhysicalBackend) => Promise<void>) =>
    async (): Promise<void> => {
      const { backend, cleanup } = await open();
      try {
        await body(backend);
      } finally {
        await backend.close();
        if (cleanup) await cleanup();
      }
    };

  /** Puts each key with its own name as the value. */
  const seed = async (b: PhysicalBackend, keys: readonly string[]): Promise<void> => {
    for (const k of keys) await b.put(k, text(k));
  };

  describe(`${name}: PhysicalBackend conformance`, () => {
    describe('get, put and delete', () => {
      it(
        'returns undefined for a key that was never written',
        withBackend(async (b) => {
          assert.equal(await b.get('missing'), undefined);
          assert.equal(await b.get('a/b/c'), undefined);
        }),
      );

      it(
        'round-trips arbitrary bytes: empty, every byte value, and 1 MiB',
        withBackend(async (b) => {
          const allBytes = new Uint8Array(256).map((_, i) => i);
          const big = patternBytes(1024 * 1024, 42);
          await b.put('empty', ct(new Uint8Array(0)));
          await b.put('all-bytes', ct(allBytes));
          await b.put('big', ct(big));
          assertBytes(await b.get('empty'), new Uint8Array(0), 'empty');
          assertBytes(await b.get('all-bytes'), allBytes, 'all-bytes');
          assertBytes(await b.get('big'), big, 'big');
        }),
      );

      it(
        'round-trips a value given as a subarray view of a larger buffer',
        withBackend(async (b) => {
          const backing = patternBytes(64, 7);
          const view = backing.subarray(10, 20);
          await b.put('view', ct(view));
          assertBytes(await b.get('view'), backing.slice(10, 20));
        }),
      );

      it(
        'keeps its own copy: mutating the array after put does not change what is stored',
        withBackend(async (b) => {
          const v = new Uint8Array([1, 2, 3]);
          await b.put('k', ct(v));
          v[0] = 9;
          assertBytes(await b.get('k'), new Uint8Array([1, 2, 3]));
        }),
      );

      it(
        'overwrites a value with a later put',
        withBackend(async (b) => {
          await b.put('k', text('one'));
          await b.put('k', text('two, longer'));
          assertBytes(await b.get('k'), text('two, longer'));
          await b.put('k', text('3'));
          assertBytes(await b.get('k'), text('3'));
        }),
      );

      it(
        'deletes a key, and deleting a missing key succeeds',
        withBackend(async (b) => {
          await b.put('a/k', text('v'));
          await b.put('a/other', text('w'));
          await b.delete('a/k');
          assert.equal(await b.get('a/k'), undefined);
          assertBytes(await b.get('a/other'), text('w'));
          await b.delete('a/k');
          await b.delete('never/written');
          await b.put('a/k', text('again'));
          assertBytes(await b.get('a/k'), text('again'));
        }),
      );

      it(
        'treats keys with unicode and with %, _, *, ?, [, \\ and quotes as plain distinct strings',
        withBackend(async (b) => {
          const keys = [
            'sp%cial/100%',
            'sp%cial/1000',
            'sp_cial/a_b',
            'spxcial/axb',
            'glob/*',
            'glob/?',
            'glob/[a]',
            'esc/back\\slash',
            "q/it's",
            'q/"dq"',
            'uni/héllo',
            'uni/日本語/キー',
            'uni/😀',
            'space/a b',
          ];
          await seed(b, keys);
          for (const k of keys) assertBytes(await b.get(k), text(k), k);
          // Wildcard-looking keys must not match their look-alikes.
          assert.equal(await b.get('sp%cial/100x'), undefined);
          assert.equal(await b.get('sp_cial/axb'), undefined);
          assert.equal(await b.get('glob/x'), undefined);
          assert.deepEqual(await b.list('sp%cial/'), ['100%', '1000']);
          assert.deepEqual(await b.list('sp_cial/'), ['a_b']);
          assert.deepEqual(await b.list('uni/'), ['héllo', '日本語/', '😀']);
          assert.deepEqual(await b.list('uni/日本語/'), ['キー']);
          await b.delete('sp_cial/a_b');
          assertBytes(await b.get('spxcial/axb'), text('spxcial/axb'), 'look-alike survives delete');
        }),
      );

      it(
        'rejects a key that is not well-formed unicode or contains NUL with invalid_request',
        withBackend(async (b) => {
          await assert.rejects(b.put('nul/a\u0000b', text('x')), isInvalidRequest);
          await assert.rejects(b.put('bad/\uD800', text('x')), isInvalidRequest);
          await assert.rejects(b.get('bad/\uDC00x'), isInvalidRequest);
          await assert.rejects(b.delete('\uD800'), isInvalidRequest);
          await assert.rejects(b.list('bad\uDFFF/'), isInvalidRequest);
          assert.deepEqual(await b.list(''), []);
        }),
      );
    });

    describe('list', () => {
      it(
        'lists one level: leaves as-is, each sub-folder once with a trailing slash, sorted',
        withBackend(async (b) => {
          await seed(b, ['a/b', 'a/c/d', 'a/c/e', 'a/c/f/g', 'a/0', 'a/z/y/x', 'b', 'c/d']);
          assert.deepEqual(await b.list('a/'), ['0', 'b', 'c/', 'z/']);
          assert.deepEqual(await b.list('a/c/'), ['d', 'e', 'f/']);
          assert.deepEqual(await b.list('a/z/'), ['y/']);
        }),
      );

      it(
        'lists the root for the empty prefix',
        withBackend(async (b) => {
          await seed(b, ['logical/x/y', 'core/keyring', 'sys/token/abc', 'top']);
          assert.deepEqual(await b.list(''), ['core/', 'logical/', 'sys/', 'top']);
        }),
      );

      it(
        'returns an empty list for an empty store and for a folder that does not exist',
        withBackend(async (b) => {
          assert.deepEqual(await b.list(''), []);
          await seed(b, ['a/b']);
          assert.deepEqual(await b.list('nope/'), []);
          assert.deepEqual(await b.list('a/b/'), []);
        }),
      );

      it(
        'shows a name both as a leaf and as a folder when both exist',
        withBackend(async (b) => {
          await seed(b, ['a/x', 'a/x/y', 'a/x-1', 'a/x0']);
          assert.deepEqual(await b.list('a/'), ['x', 'x-1', 'x/', 'x0']);
        }),
      );

      it(
        'does not list siblings whose names merely start with the folder name',
        withBackend(async (b) => {
          await seed(b, ['ab', 'a/one', 'a-b/two', 'a0/three', 'a.b']);
          assert.deepEqual(await b.list('a/'), ['one']);
        }),
      );

      it(
        'drops a folder once its last key is deleted',
        withBackend(async (b) => {
          await seed(b, ['a/b/c', 'a/b/d/e', 'a/f']);
          await b.delete('a/b/c');
          assert.deepEqual(await b.list('a/'), ['b/', 'f']);
          await b.delete('a/b/d/e');
          assert.deepEqual(await b.list('a/'), ['f']);
          assert.deepEqual(await b.list('a/b/'), []);
          await b.delete('a/f');
          assert.deepEqual(await b.list(''), []);
        }),
      );

      it(
        'sorts by unicode code point (UTF-8 byte order), not by UTF-16 code unit',
        withBackend(async (b) => {
          // U+FF21 sorts before U+1F600 by code point, after it by UTF-16 unit.
          await seed(b, ['s/\u{1F600}', 's/\uFF21', 's/Z', 's/a', 's/\u00E9', 's/\uFF21/x', 's/\u{1F600}/x']);
          assert.deepEqual(await b.list('s/'), ['Z', 'a', '\u00E9', '\uFF21', '\uFF21/', '\u{1F600}', '\u{1F600}/']);
        }),
      );

      it(
        'treats a prefix that is not a folder boundary as a plain string prefix, like Vault',
        withBackend(async (b) => {
          await seed(b, ['a/b', 'a/b/x', 'a/bc/y', 'a/bd', 'a/a', 'a/c/b']);
          assert.deepEqual(await b.list('a/b'), ['', '/', 'c/', 'd']);
          assert.deepEqual(await b.list('a'), ['/']);
        }),
      );

      it(
        'lists a folder with many leaves and deep sub-folders',
        withBackend(async (b) => {
          const keys: string[] = [];
          for (let i = 0; i < 50; i++) keys.push(`big/leaf-${String(i).padStart(3, '0')}`);
          for (let i = 0; i < 10; i++) for (let j = 0; j < 20; j++) keys.push(`big/dir-${i}/sub/${j}`);
          await Promise.all(keys.map((k) => b.put(k, text(k))));
          const listed = await b.list('big/');
          assert.equal(listed.length, 60);
          assert.deepEqual(listed.slice(0, 10), Array.from({ length: 10 }, (_, i) => `dir-${i}/`));
          assert.equal(listed[10], 'leaf-000');
          assert.equal(listed[59], 'leaf-049');
        }),
      );
    });

    describe('concurrency', () => {
      it(
        'completes many concurrent puts to distinct keys, each readable afterwards',
        withBackend(async (b) => {
          const keys = Array.from({ length: 500 }, (_, i) => `c/${i % 7}/${i}`);
          await Promise.all(keys.map((k, i) => b.put(k, ct(patternBytes(100, i + 1)))));
          const got = await Promise.all(keys.map((k) => b.get(k)));
          got.forEach((v, i) => assertBytes(v, patternBytes(100, i + 1), keys[i]));
          assert.deepEqual(await b.list('c/'), ['0/', '1/', '2/', '3/', '4/', '5/', '6/']);
          assert.equal((await b.list('c/3/')).length, keys.filter((k) => k.startsWith('c/3/')).length);
        }),
      );

      it(
        'answers a get racing a put with either the old or the new value, then the new one',
        withBackend(async (b) => {
          const older = text('old');
          const newer = text('new');
          for (let round = 0; round < 20; round++) {
            const key = `race/${round}`;
            await b.put(key, older);
            const [, during] = await Promise.all([b.put(key, newer), b.get(key)]);
            assert.ok(during !== undefined, 'a racing get never sees the key missing');
            const s = Buffer.from(during).toString();
            assert.ok(s === 'old' || s === 'new', `racing get saw ${s}`);
            assertBytes(await b.get(key), newer);
          }
        }),
      );

      it(
        'settles concurrent puts to one key on one of the written values, stably',
        withBackend(async (b) => {
          const values = Array.from({ length: 30 }, (_, i) => `v${i}`);
          await Promise.all(values.map((v) => b.put('hot', text(v))));
          const final = await b.get('hot');
          assert.ok(final !== undefined);
          const s = Buffer.from(final).toString();
          assert.ok(values.includes(s));
          assertBytes(await b.get('hot'), text(s), 'second read');
        }),
      );

      it(
        'resolves puts issued just before close, and rejects every call after close',
        withBackend(async (b) => {
          const pending = [b.put('late/1', text('1')), b.put('late/2', text('2'))];
          await b.close();
          await Promise.all(pending);
          await assert.rejects(b.get('late/1'));
          await assert.rejects(b.put('late/3', text('3')));
          await assert.rejects(b.delete('late/1'));
          await assert.rejects(b.list(''));
          if (hasTransactions(b)) await assert.rejects(b.transaction([{ op: 'delete', key: 'late/1' }]));
        }),
      );
    });

    describe('transactions (when the backend offers them)', () => {
      it(
        'applies puts and deletes of one transaction in order',
        withBackend(async (b) => {
          if (!hasTransactions(b)) return;
          await seed(b, ['t/gone', 't/keep']);
          await b.transaction([
            { op: 'put', key: 't/new', value: text('n') },
            { op: 'delete', key: 't/gone' },
            { op: 'put', key: 't/twice', value: text('first') },
            { op: 'put', key: 't/twice', value: text('second') },
            { op: 'put', key: 't/put-then-delete', value: text('x') },
            { op: 'delete', key: 't/put-then-delete' },
            { op: 'delete', key: 't/missing' },
          ]);
          assert.deepEqual(await b.list('t/'), ['keep', 'new', 'twice']);
          assertBytes(await b.get('t/twice'), text('second'));
          assert.equal(await b.get('t/gone'), undefined);
        }),
      );

      it(
        'accepts an empty transaction',
        withBackend(async (b) => {
          if (!hasTransactions(b)) return;
          await b.transaction([]);
          assert.deepEqual(await b.list(''), []);
        }),
      );

      it(
        'applies nothing when one operation is invalid',
        withBackend(async (b) => {
          if (!hasTransactions(b)) return;
          await seed(b, ['t/a']);
          await assert.rejects(
            b.transaction([
              { op: 'put', key: 't/b', value: text('b') },
              { op: 'delete', key: 't/a' },
              { op: 'put', key: 't/\uD800', value: text('bad') },
            ]),
            isInvalidRequest,
          );
          assert.deepEqual(await b.list('t/'), ['a']);
          assert.equal(await b.get('t/b'), undefined);
        }),
      );
    });
  });
}
