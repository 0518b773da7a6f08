// Tests of atomic file replacement (sinks and rendered templates).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomic } from './atomic-file.js';

describe('writeFileAtomic', () => {
  it('replaces the file, keeping an existing mode when none is given and using the default otherwise', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'atomic-'));
    const f = join(dir, 'f');
    await writeFileAtomic(f, 'one', { defaultMode: 0o640 });
    assert.equal(statSync(f).mode & 0o777, 0o640);
    chmodSync(f, 0o600);
    await writeFileAtomic(f, 'two', { defaultMode: 0o644 });
    assert.equal(readFileSync(f, 'utf8'), 'two');
    assert.equal(statSync(f).mode & 0o777, 0o600);
    await writeFileAtomic(f, 'three', { mode: 0o604 });
    assert.equal(statSync(f).mode & 0o777, 0o604);
    assert.deepEqual(readdirSync(dir), ['f']);
  });

  it('creates parent directories only when asked, and leaves no temp file behind on failure', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'atomic-'));
    await assert.rejects(writeFileAtomic(join(dir, 'a', 'b', 'f'), 'x'), /ENOENT/);
    await writeFileAtomic(join(dir, 'a', 'b', 'f'), 'x', { createDirs: true });
    assert.equal(readFileSync(join(dir, 'a', 'b', 'f'), 'utf8'), 'x');
    // Renaming a file over a non-empty directory fails after the temp file was written.
    const blocked = join(dir, 'a');
    await assert.rejects(writeFileAtomic(blocked, 'new'));
    assert.deepEqual(readdirSync(dir), ['a']);
  });
});
