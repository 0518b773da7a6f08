// Writes a file atomically (temp file in the same directory, then rename) so readers never see
// half a token or half a rendered template.

import { randomBytes } from 'node:crypto';
import { chmod, chown, mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

export interface AtomicWriteOptions {
  /** Final mode; undefined keeps an existing file's mode, else `defaultMode`. 0 leaves the mode to the umask. */
  mode?: number;
  defaultMode?: number;
  /** mkdir -p the parent directory first. */
  createDirs?: boolean;
  /** chown the file (-1 keeps either id); needs the privilege to do so. */
  owner?: { uid: number; gid: number };
}

/** Replaces `path` with `content`. Rejects (and removes the temp file) on any failure. */
export async function writeFileAtomic(path: string, content: string | Buffer, opts: AtomicWriteOptions = {}): Promise<void> {
  const dir = dirname(path);
  if (opts.createDirs === true) await mkdir(dir, { recursive: true });
  let mode = opts.mode;
  if (mode === undefined) {
    mode = await stat(path).then(
      (s) => s.mode & 0o7777,
      () => opts.defaultMode ?? 0o644,
    );
  }
  const tmp = join(dir, `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const fh = await open(tmp, 'wx', mode === 0 ? 0o666 : 0o600);
    try {
      await fh.writeFile(content);
      await fh.sync();
    } finally {
      await fh.close();
    }
    // chmod after creation: the umask must not narrow the configured mode.
    if (mode !== 0) await chmod(tmp, mode);
    if (opts.owner !== undefined && (opts.owner.uid !== -1 || opts.owner.gid !== -1)) await chown(tmp, opts.owner.uid, opts.owner.gid);
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}

/**
 * Copies `path` to `<path>.bak` with the same mode (consul-template's `backup`), replacing an
 * older backup. A missing `path` is not an error: there is nothing to keep.
 */
export async function backupFile(path: string): Promise<void> {
  let mode: number;
  try {
    mode = (await stat(path)).mode & 0o7777;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw e;
  }
  const content = await readFile(path);
  await writeFileAtomic(`${path}.bak`, content, { mode });
}
