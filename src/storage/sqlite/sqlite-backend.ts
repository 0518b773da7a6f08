// The SQLite physical backend (the embedded default): one file, WAL + synchronous=FULL, group
// commit of concurrent writes, read-your-writes through the write queue's overlay.

import type { Logger } from '../../shared/index.js';
import { silentLogger } from '../../shared/index.js';
import { assertValidKey, closedError, compareKeys, copyCiphertext, listEntry } from '../keys.js';
import type { Ciphertext, PhysicalBackend, Transactional, TxnOp } from '../types.js';
import { folderHasKey, listStored } from './list-keys.js';
import type { ListStatements } from './list-keys.js';
import { openDatabase } from './open-database.js';
import { createWriteQueue } from './write-queue.js';

export interface SqliteBackendOptions {
  /** The database file (parents are created); ':memory:' gives a throwaway, non-durable store. */
  path: string;
  logger?: Logger;
}

export interface SqliteBackendStats {
  /** Durable transactions committed. */
  commits: number;
  /** put/delete operations those transactions applied. */
  writes: number;
}

export type SqliteBackend = PhysicalBackend & Transactional & { stats(): SqliteBackendStats };

/**
 * Opens the SQLite backend at `opts.path`. A put/delete/transaction resolves only after the batch
 * holding it has been committed and fsynced; every write issued in the same event-loop turn shares
 * one commit. Reads see queued writes in issue order. Rejects with CofferError('internal') naming
 * the path when the file cannot be opened as a Coffer database.
 */
export function createSqliteBackend(opts: SqliteBackendOptions): Promise<SqliteBackend> {
  // The executor turns a throw while opening into a rejection.
  return new Promise((resolve) => resolve(openSqliteBackend(opts)));
}

function openSqliteBackend(opts: SqliteBackendOptions): SqliteBackend {
  const log = (opts.logger ?? silentLogger).child({ storage: 'sqlite' });
  const db = openDatabase(opts.path);

  const getValue = db.prepare<[string], Uint8Array>('SELECT value FROM coffer_kv WHERE key = ?').pluck();
  const upsert = db.prepare<[string, Uint8Array]>(
    'INSERT INTO coffer_kv (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
  );
  const remove = db.prepare<[string]>('DELETE FROM coffer_kv WHERE key = ?');
  const stmts: ListStatements = {
    keysFrom: db.prepare<[string], string>('SELECT key FROM coffer_kv WHERE key >= ? ORDER BY key').pluck(),
    keysBetween: db
      .prepare<[string, string], string>('SELECT key FROM coffer_kv WHERE key >= ? AND key < ? ORDER BY key')
      .pluck(),
  };

  const applyAll = db.transaction((ops: readonly TxnOp[]) => {
    for (const op of ops) {
      if (op.op === 'put') upsert.run(op.key, op.value);
      else remove.run(op.key);
    }
  });

  const queue = createWriteQueue({
    commit: (ops) => applyAll(ops),
    onCommitError: (e, ops) =>
      log.error({ err: e instanceof Error ? e.message : String(e), ops }, 'sqlite storage commit failed'),
  });

  let closed = false;

  const run = async <T>(fn: () => T | Promise<T>): Promise<T> => {
    if (closed) throw closedError();
    return fn();
  };

  const get = (key: string): Ciphertext | undefined => {
    const p = queue.pending(key);
    if (p) return p.op === 'put' ? copyCiphertext(p.value) : undefined;
    const v = getValue.get(key);
    // A view, not a Buffer: callers compare and slice plain Uint8Arrays.
    return v === undefined ? undefined : (new Uint8Array(v.buffer, v.byteOffset, v.byteLength) as Ciphertext);
  };

  const list = (prefix: string): string[] => {
    const stored = listStored(stmts, prefix);
    // Merge queued writes: a leaf exists iff its newest state is a put; a folder exists iff a
    // queued put lands in it or a stored key in it is not queued for deletion.
    const touched = new Map<string, boolean>();
    for (const [key, state] of queue.pendingEntries()) {
      if (!key.startsWith(prefix)) continue;
      const entry = listEntry(prefix, key);
      if (entry.endsWith('/')) touched.set(entry, touched.get(entry) === true || state.op === 'put');
      else touched.set(entry, state.op === 'put');
    }
    if (touched.size === 0) return stored;
    const entries = new Set(stored);
    const queuedDelete = (k: string): boolean => queue.pending(k)?.op === 'delete';
    for (const [entry, present] of touched) {
      const exists =
        present || (entry.endsWith('/') && entries.has(entry) && folderHasKey(stmts, prefix + entry, queuedDelete));
      if (exists) entries.add(entry);
      else entries.delete(entry);
    }
    return [...entries].sort(compareKeys);
  };

  log.debug({ path: opts.path }, 'sqlite storage opened');

  return {
    get: (key) =>
      run(() => {
        assertValidKey(key);
        return get(key);
      }),
    put: (key, value) =>
      run(() => {
        assertValidKey(key);
        return queue.enqueue([{ op: 'put', key, value: copyCiphertext(value) }]);
      }),
    delete: (key) =>
      run(() => {
        assertValidKey(key);
        return queue.enqueue([{ op: 'delete', key }]);
      }),
    list: (prefix) =>
      run(() => {
        assertValidKey(prefix);
        return list(prefix);
      }),
    transaction: (ops) =>
      run(() => {
        for (const op of ops) assertValidKey(op.key);
        return queue.enqueue(ops.map((op) => (op.op === 'put' ? { ...op, value: copyCiphertext(op.value) } : op)));
      }),
    stats: () => queue.stats(),
    close() {
      if (closed) return Promise.resolve();
      closed = true;
      try {
        queue.drain();
      } finally {
        db.close();
      }
      log.debug({ path: opts.path }, 'sqlite storage closed');
      return Promise.resolve();
    },
  };
}
