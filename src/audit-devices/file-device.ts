// The `file` audit device: appends each entry as one line to a file (or stdout, or nowhere),
// batching concurrent requests into one write syscall; reload() reopens the path for rotation.

import * as nodeFs from 'node:fs';
import { dirname } from 'node:path';
import type { AuditDeviceConfig } from '../sdk/index.js';
import { CofferError, invalidRequest } from '../shared/index.js';
import type { BatchedDevice } from './batched-device.js';
import { createBatchedDevice } from './batched-device.js';
import { optionValue, recordFailure } from './device-options.js';

/** The few file-system calls the device makes; injectable so tests can count or fail them. */
export interface FileOps {
  /** Opens for appending (created with `mode` when missing); resolves the descriptor. */
  openAppend(path: string, mode: number): Promise<number>;
  /** One write(2) of `buf[offset, offset+length)`; resolves the bytes written. */
  write(fd: number, buf: Buffer, offset: number, length: number): Promise<number>;
  fchmod(fd: number, mode: number): Promise<void>;
  close(fd: number): Promise<void>;
  /** mkdir -p with `mode` for directories it creates. */
  mkdirp(dir: string, mode: number): Promise<void>;
}

/** Where file_path=stdout goes; the callback fires once the OS took the data. */
export interface StdoutTarget {
  write(data: string, done: (err?: Error | null) => void): unknown;
}

export interface FileDeviceDeps {
  fs?: FileOps;
  stdout?: StdoutTarget;
  /** Write-queue bound in characters (default 64 MiB); a write beyond it rejects. */
  maxQueuedChars?: number;
}

export type FileAuditDevice = BatchedDevice;

export const nodeFileOps: FileOps = {
  openAppend: (path, mode) =>
    new Promise((resolve, reject) => {
      const { O_WRONLY, O_APPEND, O_CREAT } = nodeFs.constants;
      nodeFs.open(path, O_WRONLY | O_APPEND | O_CREAT, mode, (err, fd) => (err ? reject(err) : resolve(fd)));
    }),
  // A synchronous append: one batch is a page-cache copy of some kilobytes, far cheaper than the
  // two thread-pool hand-offs an async write costs, which every audited request waited for twice.
  write: (fd, buf, offset, length) => {
    try {
      return Promise.resolve(nodeFs.writeSync(fd, buf, offset, length, null));
    } catch (e) {
      return Promise.reject(e instanceof Error ? e : new Error(String(e)));
    }
  },
  fchmod: (fd, mode) =>
    new Promise((resolve, reject) => {
      nodeFs.fchmod(fd, mode, (err) => (err ? reject(err) : resolve()));
    }),
  close: (fd) =>
    new Promise((resolve, reject) => {
      nodeFs.close(fd, (err) => (err ? reject(err) : resolve()));
    }),
  mkdirp: (dir, mode) =>
    new Promise((resolve, reject) => {
      nodeFs.mkdir(dir, { recursive: true, mode }, (err) => (err ? reject(err) : resolve()));
    }),
};

type Target = { kind: 'discard' } | { kind: 'stdout' } | { kind: 'file'; path: string; mode: number };

function parseTarget(options: Readonly<Record<string, string>>): Target {
  const path = optionValue(options, 'file_path', 'path');
  if (path === undefined) throw invalidRequest('file_path is required');
  if (path === 'discard') return { kind: 'discard' };
  if (path === 'stdout') return { kind: 'stdout' };
  const modeText = optionValue(options, 'mode') ?? '0600';
  if (!/^[0-7]{1,4}$/.test(modeText)) throw invalidRequest(`invalid mode "${modeText}": expected an octal file mode such as "0600"`);
  const mode = parseInt(modeText, 8);
  // Vault refuses executable audit logs.
  if ((mode & 0o111) !== 0) throw invalidRequest(`invalid mode "${modeText}": audit files cannot be executable`);
  return { kind: 'file', path, mode };
}

/**
 * Creates a file device from `file_path` (alias `path`; "stdout" and "discard" are special) and
 * `mode` (octal, default "0600"; "0000" leaves the mode alone). Throws invalid_request when the
 * options are bad or the file cannot be opened, so enabling fails the way Vault's does.
 */
export async function createFileAuditDevice(config: AuditDeviceConfig, deps: FileDeviceDeps = {}): Promise<FileAuditDevice> {
  const fs = deps.fs ?? nodeFileOps;
  const stdout: StdoutTarget = deps.stdout ?? process.stdout;
  const target = parseTarget(config.options);
  let fd: number | undefined;

  const open = async (t: { path: string; mode: number }): Promise<number> => {
    // Directories are created private, whatever the file's mode.
    await fs.mkdirp(dirname(t.path), 0o700);
    const newFd = await fs.openAppend(t.path, t.mode === 0 ? 0o600 : t.mode);
    if (t.mode !== 0) {
      try {
        await fs.fchmod(newFd, t.mode);
      } catch (e) {
        await fs.close(newFd).catch(() => undefined);
        throw e;
      }
    }
    return newFd;
  };

  if (target.kind === 'file') {
    try {
      fd = await open(target);
    } catch (e) {
      const reason = e instanceof Error ? e.message : String(e);
      throw invalidRequest(`sink creation failed: cannot open audit file "${target.path}": ${reason}`);
    }
  }

  const writeAll = async (data: string): Promise<void> => {
    if (fd === undefined) throw new CofferError('internal', 'audit file is not open');
    const buf = Buffer.from(data, 'utf8');
    // A regular file rarely takes less than asked, but a short write must not lose the tail.
    for (let off = 0; off < buf.length; ) off += await fs.write(fd, buf, off, buf.length - off);
  };

  const sink = async (lines: readonly string[]): Promise<void> => {
    const data = lines.join('\n') + '\n';
    switch (target.kind) {
      case 'discard':
        return;
      case 'stdout':
        await new Promise<void>((resolve, reject) => {
          stdout.write(data, (err) => (err ? reject(err) : resolve()));
        });
        return;
      case 'file':
        await writeAll(data);
        return;
    }
  };

  const reopen = async (t: { path: string; mode: number }): Promise<void> => {
    let next: number;
    try {
      next = await open(t);
    } catch (e) {
      throw recordFailure(config.path, `cannot reopen "${t.path}"`, e);
    }
    const old = fd;
    fd = next;
    if (old !== undefined) await fs.close(old).catch(() => undefined);
  };

  return createBatchedDevice({
    path: config.path,
    sink,
    failure: 'write failed',
    close: async () => {
      const old = fd;
      fd = undefined;
      if (old !== undefined) await fs.close(old);
    },
    ...(target.kind === 'file' ? { reopen: () => reopen(target) } : {}),
    ...(deps.maxQueuedChars !== undefined ? { maxQueuedChars: deps.maxQueuedChars } : {}),
  });
}
