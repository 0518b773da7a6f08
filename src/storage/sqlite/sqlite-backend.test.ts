// The SQLite backend: shared conformance, group commit, read-your-writes, reopen and bad files.

import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { isCofferError } from '../../shared/index.js';
import { describePhysicalBackendConformance } from '../conformance.js';
import type { Ciphertext } from '../types.js';
import { createSqliteBackend } from './index.js';

const text = (s: string): Ciphertext => new TextEncoder().encode(s) as Ciphertext;
const str = (v: Uint8Array | undefined): string | undefined => (v === undefined ? undefined : Buffer.from(v).toString());

let root = '';
let n = 0;
const freshPath = (): string => join(root, `db-${++n}`, 'coffer.db');

before(async () => {
  root = await mkdtemp(join(tmpdir(), 'coffer-sqlite-test-'));
});
after(async () => {
  await rm(root, { recursive: true, force: true });
});

describePhysicalBackendConformance('sqlite', async () => ({ backend: await createSqliteBackend({ path: freshPath() }) }));

describe('sqlite backend', () => {
  it('commits 200 concurrent puts in far fewer transactions than writes (group commit)', async () => {
    const b = await createSqliteBackend({ path: freshPath() });
    try {
      const before = b.stats();
      await Promise.all(Array.from({ length: 200 }, (_, i) => b.put(`gc/${i}`, text(`v${i}`))));
      const s = b.stats();
      assert.equal(s.writes - before.writes, 200);
      assert.ok(s.commits - before.commits <= 5, `expected few commits, got ${s.commits - before.commits}`);
      assert.equal((await b.list('gc/')).length, 200);
    } finally {
      await b.close();
    }
  });

  it('resolves a put only after its batch committed (a second connection sees it)', async () => {
    const path = freshPath();
    const b = await createSqliteBackend({ path });
    const other = new Database(path, { readonly: true });
    try {
      const read = other.prepare<[string], { value: Buffer }>('SELECT value FROM coffer_kv WHERE key = ?');
      const p = b.put('seen/k', text('v'));
      assert.equal(read.get('seen/k'), undefined, 'not committed before the flush');
      await p;
      assert.equal(read.get('seen/k')?.value.toString(), 'v');
    } finally {
      other.close();
      await b.close();
    }
  });

  it('shows queued writes to get in issue order before they commit (read-your-writes)', async () => {
    const b = await createSqliteBackend({ path: freshPath() });
    try {
      await b.put('ryw/k', text('stored'));
      const writes = [b.put('ryw/k', text('one')), b.put('ryw/k', text('two'))];
      assert.equal(str(await b.get('ryw/k')), 'two');
      const del = b.delete('ryw/k');
      assert.equal(await b.get('ryw/k'), undefined);
      const again = b.put('ryw/k', text('three'));
      assert.equal(str(await b.get('ryw/k')), 'three');
      await Promise.all([...writes, del, again]);
      assert.equal(str(await b.get('ryw/k')), 'three');
    } finally {
      await b.close();
    }
  });

  it('shows queued puts and deletes to list before they commit', async () => {
    const b = await createSqliteBackend({ path: freshPath() });
    try {
      await Promise.all(['l/a', 'l/dir/x', 'l/dir/y', 'l/only/z', 'l/keep/w'].map((k) => b.put(k, text(k))));
      const queued = [
        b.delete('l/a'),
        b.put('l/new', text('n')),
        b.put('l/fresh/deep/k', text('f')),
        b.delete('l/dir/x'), // l/dir/ still holds y
        b.delete('l/only/z'), // l/only/ becomes empty
        b.delete('l/keep/w'),
        b.put('l/keep/w2', text('w2')), // …but l/keep/ gains a key
      ];
      const expected = ['dir/', 'fresh/', 'keep/', 'new'];
      assert.deepEqual(await b.list('l/'), expected);
      assert.deepEqual(await b.list('l/dir/'), ['y']);
      assert.deepEqual(await b.list('l/only/'), []);
      await Promise.all(queued);
      assert.deepEqual(await b.list('l/'), expected);
    } finally {
      await b.close();
    }
  });

  it('rejects every caller of a batch that fails to commit, and keeps working afterwards', async () => {
    const path = freshPath();
    const b = await createSqliteBackend({ path });
    const saboteur = new Database(path);
    try {
      await b.put('f/before', text('ok'));
      saboteur.exec(
        "CREATE TRIGGER fail_x BEFORE INSERT ON coffer_kv WHEN NEW.key = 'f/x' BEGIN SELECT RAISE(ABORT, 'refused'); END",
      );
      const results = await Promise.allSettled([b.delete('f/before'), b.put('f/x', text('x'))]);
      saboteur.exec('DROP TRIGGER fail_x');
      for (const r of results) {
        assert.equal(r.status, 'rejected');
        assert.ok(isCofferError(r.reason) && r.reason.code === 'internal');
      }
      assert.equal(await b.get('f/x'), undefined, 'a failed put is not visible');
      assert.equal(str(await b.get('f/before')), 'ok', 'the failed batch was rolled back as a whole');
      await b.put('f/after', text('fine'));
      assert.equal(str(await b.get('f/after')), 'fine');
    } finally {
      saboteur.close();
      await b.close();
    }
  });

  it('keeps acknowledged writes across close and reopen, in WAL mode', async () => {
    const path = freshPath();
    const b = await createSqliteBackend({ path });
    await b.transaction([
      { op: 'put', key: 'p/1', value: text('one') },
      { op: 'put', key: 'p/2', value: text('two') },
    ]);
    await b.delete('p/2');
    await b.close();
    const again = await createSqliteBackend({ path });
    try {
      assert.equal(str(await again.get('p/1')), 'one');
      assert.deepEqual(await again.list('p/'), ['1']);
    } finally {
      await again.close();
    }
    const raw = new Database(path, { readonly: true });
    try {
      assert.equal(raw.pragma('journal_mode', { simple: true }), 'wal');
    } finally {
      raw.close();
    }
  });

  it('creates missing parent folders of the database file', async () => {
    const path = join(root, 'deep', 'er', 'still', 'coffer.db');
    const b = await createSqliteBackend({ path });
    await b.put('k', text('v'));
    await b.close();
    assert.ok((await readFile(path)).byteLength > 0);
  });

  it('rejects a file that is not a SQLite database with an internal error naming the path', async () => {
    const path = join(root, 'not-a-db.db');
    await writeFile(path, 'this is plainly not a sqlite database, but it is long enough to look like a header');
    await assert.rejects(createSqliteBackend({ path }), (e: unknown) => {
      assert.ok(isCofferError(e));
      assert.equal(e.code, 'internal');
      assert.ok(e.message.includes(path), e.message);
      return true;
    });
  });
});
