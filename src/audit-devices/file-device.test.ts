import assert from 'node:assert/strict';
import { chmod, mkdtemp, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { isCofferError, silentLogger } from '../shared/index.js';
import type { FileOps } from './file-device.js';
import { createFileAuditDevice, nodeFileOps } from './file-device.js';
import { fileAuditDevice } from './index.js';

const config = (options: Record<string, string>): { path: string; options: Record<string, string>; logger: typeof silentLogger } => ({
  path: 'file/',
  options,
  logger: silentLogger,
});

const isBadRequest = (pattern: RegExp) => (e: unknown): boolean => isCofferError(e) && e.code === 'invalid_request' && pattern.test(e.message);

/** Real file operations, counting write syscalls. */
function countingFs(): { fs: FileOps; writes: () => number } {
  let writes = 0;
  return {
    fs: { ...nodeFileOps, write: (fd, buf, off, len) => (writes++, nodeFileOps.write(fd, buf, off, len)) },
    writes: () => writes,
  };
}

describe('file audit device', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'coffer-audit-file-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('appends the lines of many concurrent writers in call order, sharing a few write syscalls', async () => {
    const file = join(dir, 'concurrent.log');
    const counting = countingFs();
    const d = await createFileAuditDevice(config({ file_path: file }), { fs: counting.fs });
    const expected = Array.from({ length: 1000 }, (_, i) => `{"n":${i}}`);
    await Promise.all(expected.map((l) => d.write([l])));
    assert.deepEqual((await readFile(file, 'utf8')).split('\n'), [...expected, '']);
    assert.ok(counting.writes() <= 3, `expected the 1000 calls to share a few writes, saw ${counting.writes()}`);
    assert.equal(d.stats().calls, 1000);
    assert.ok(d.stats().flushes <= 3);
    await d.close();
  });

  it('keeps the lines of one call together and in order', async () => {
    const file = join(dir, 'multi.log');
    const d = await createFileAuditDevice(config({ file_path: file }));
    await Promise.all([d.write(['a1', 'a2']), d.write(['b1']), d.write(['c1', 'c2', 'c3'])]);
    assert.equal(await readFile(file, 'utf8'), 'a1\na2\nb1\nc1\nc2\nc3\n');
    await d.close();
  });

  it('appends to an existing file rather than truncating it', async () => {
    const file = join(dir, 'existing.log');
    await writeFile(file, 'before\n');
    const d = await createFileAuditDevice(config({ file_path: file }));
    await d.write(['after']);
    await d.close();
    assert.equal(await readFile(file, 'utf8'), 'before\nafter\n');
  });

  it('accepts "path" as an alias of file_path', async () => {
    const file = join(dir, 'alias.log');
    const d = await fileAuditDevice(config({ path: file }));
    await d.write(['x']);
    await d.close();
    assert.equal(await readFile(file, 'utf8'), 'x\n');
  });

  it('creates the file with mode 0600 by default', async () => {
    const file = join(dir, 'default-mode.log');
    const d = await createFileAuditDevice(config({ file_path: file }));
    await d.close();
    assert.equal((await stat(file)).mode & 0o777, 0o600);
  });

  it('applies the mode option to a new file and to an existing one', async () => {
    const fresh = join(dir, 'mode-new.log');
    const existing = join(dir, 'mode-existing.log');
    await writeFile(existing, '', { mode: 0o600 });
    for (const file of [fresh, existing]) {
      const d = await createFileAuditDevice(config({ file_path: file, mode: '0640' }));
      await d.close();
      assert.equal((await stat(file)).mode & 0o777, 0o640, file);
    }
  });

  it('leaves the mode of an existing file alone when mode is "0000"', async () => {
    const file = join(dir, 'mode-zero.log');
    await writeFile(file, '');
    await chmod(file, 0o644);
    const d = await createFileAuditDevice(config({ file_path: file, mode: '0000' }));
    await d.close();
    assert.equal((await stat(file)).mode & 0o777, 0o644);
  });

  it('rejects a mode that is not octal or that is executable', async () => {
    await assert.rejects(createFileAuditDevice(config({ file_path: join(dir, 'm1.log'), mode: '0x1ff' })), isBadRequest(/invalid mode/));
    await assert.rejects(createFileAuditDevice(config({ file_path: join(dir, 'm2.log'), mode: '0755' })), isBadRequest(/executable/));
  });

  it('creates missing parent directories', async () => {
    const file = join(dir, 'a', 'b', 'c.log');
    const d = await createFileAuditDevice(config({ file_path: file }));
    await d.write(['deep']);
    await d.close();
    assert.equal(await readFile(file, 'utf8'), 'deep\n');
  });

  it('refuses to be created without file_path', async () => {
    await assert.rejects(createFileAuditDevice(config({ mode: '0600' })), isBadRequest(/file_path is required/));
  });

  it('refuses to be created, with a 400, when the file cannot be opened', async () => {
    const notADir = join(dir, 'plain-file');
    await writeFile(notADir, '');
    await assert.rejects(createFileAuditDevice(config({ file_path: join(notADir, 'audit.log') })), isBadRequest(/cannot open audit file/));
    await assert.rejects(createFileAuditDevice(config({ file_path: dir })), isBadRequest(/cannot open audit file/));
  });

  it('writes to stdout when file_path is "stdout", answering once the stream took the data', async () => {
    const chunks: string[] = [];
    const stdout = { write: (data: string, done: (err?: Error | null) => void): boolean => (chunks.push(data), setImmediate(done), true) };
    const d = await createFileAuditDevice(config({ file_path: 'stdout' }), { stdout });
    await Promise.all([d.write(['one']), d.write(['two'])]);
    assert.deepEqual(chunks, ['one\ntwo\n']);
    await d.close();
  });

  it('accepts and drops everything when file_path is "discard"', async () => {
    const d = await createFileAuditDevice(config({ file_path: 'discard' }));
    await d.write(['gone']);
    await d.reload();
    await d.close();
  });

  it('writes to a new file at the same path after the log was renamed and the device reloaded', async () => {
    const file = join(dir, 'rotate.log');
    const d = await createFileAuditDevice(config({ file_path: file }));
    await d.write(['before rotation']);
    await rename(file, `${file}.1`);
    await d.write(['still the old file']);
    await d.reload();
    await d.write(['after rotation']);
    await d.close();
    assert.equal(await readFile(`${file}.1`, 'utf8'), 'before rotation\nstill the old file\n');
    assert.equal(await readFile(file, 'utf8'), 'after rotation\n');
    assert.equal((await stat(file)).mode & 0o777, 0o600);
  });

  it('sends lines queued before a reload to the old file and lines queued after it to the new one', async () => {
    const file = join(dir, 'rotate-queued.log');
    const d = await createFileAuditDevice(config({ file_path: file }));
    await d.write(['first']);
    await rename(file, `${file}.1`);
    await Promise.all([d.write(['old']), d.reload(), d.write(['new'])]);
    await d.close();
    assert.equal(await readFile(`${file}.1`, 'utf8'), 'first\nold\n');
    assert.equal(await readFile(file, 'utf8'), 'new\n');
  });

  it('rejects the callers of a failed write and records later lines once writing works again', async () => {
    const file = join(dir, 'flaky.log');
    let failNext = false;
    const fs: FileOps = {
      ...nodeFileOps,
      write: (fd, buf, off, len) => {
        if (failNext) {
          failNext = false;
          return Promise.reject(new Error('ENOSPC: no space left on device'));
        }
        return nodeFileOps.write(fd, buf, off, len);
      },
    };
    const d = await createFileAuditDevice(config({ file_path: file }), { fs });
    failNext = true;
    await assert.rejects(d.write(['lost']), (e: unknown) => isCofferError(e) && /file\/: write failed: ENOSPC/.test(e.message));
    await d.write(['kept']);
    await d.close();
    assert.equal(await readFile(file, 'utf8'), 'kept\n');
  });

  it('finishes a short write instead of dropping the rest of the batch', async () => {
    const file = join(dir, 'short.log');
    const fs: FileOps = { ...nodeFileOps, write: (fd, buf, off, len) => nodeFileOps.write(fd, buf, off, Math.min(len, 3)) };
    const d = await createFileAuditDevice(config({ file_path: file }), { fs });
    await d.write(['hello world', 'second']);
    await d.close();
    assert.equal(await readFile(file, 'utf8'), 'hello world\nsecond\n');
  });

  it('rejects writes beyond the queue cap rather than buffering without bound', async () => {
    const file = join(dir, 'capped.log');
    let unblock: () => void = () => undefined;
    const blocked = new Promise<void>((r) => (unblock = r));
    const fs: FileOps = { ...nodeFileOps, write: async (fd, buf, off, len) => (await blocked, nodeFileOps.write(fd, buf, off, len)) };
    const d = await createFileAuditDevice(config({ file_path: file }), { fs, maxQueuedChars: 100 });
    const accepted = [d.write(['x'.repeat(60)])];
    await new Promise((r) => setImmediate(r)); // the first batch is now in flight
    accepted.push(d.write(['y'.repeat(60)]));
    await assert.rejects(d.write(['z'.repeat(60)]), (e: unknown) => isCofferError(e) && e.code === 'unavailable');
    unblock();
    await Promise.all(accepted);
    await d.close();
    assert.equal(await readFile(file, 'utf8'), `${'x'.repeat(60)}\n${'y'.repeat(60)}\n`);
  });

  it('flushes writes queued before close, then rejects writes and reloads', async () => {
    const file = join(dir, 'closed.log');
    const d = await createFileAuditDevice(config({ file_path: file }));
    const queued = d.write(['last words']);
    await d.close();
    await queued;
    assert.equal(await readFile(file, 'utf8'), 'last words\n');
    await assert.rejects(d.write(['too late']), /closed/);
    await assert.rejects(d.reload(), /closed/);
    await d.close();
  });
});
