// The physical storage contract: untrusted bytes under hierarchical keys. Backends never see
// plaintext: values are Ciphertext, a brand only barrier/ mints.

import type { Brand } from '../shared/index.js';

/**
 * Bytes produced by the barrier (encrypted entries, or barrier-owned non-secret metadata).
 * Treat a value returned by `get` as read-only: caching backends may hand the same instance to
 * several callers.
 */
export type Ciphertext = Brand<Uint8Array, 'Ciphertext'>;

/**
 * A physical storage backend.
 * - Keys are '/'-separated paths without a leading '/', e.g. "logical/1234/foo/bar". A key must be
 *   well-formed Unicode (no lone surrogates) without NUL; otherwise the call rejects with
 *   `invalid_request`.
 * - `list(prefix)` returns the direct children of `prefix` (normally "" or ending in '/'), sorted by
 *   Unicode code point (= UTF-8 byte order, the same in every backend): leaf names as-is,
 *   sub-folders once each with a trailing '/'. As in Vault, `prefix` is a plain string prefix:
 *   each key starting with it contributes the remainder up to and including its first '/'
 *   (so list("a/b") over keys "a/b", "a/b/x", "a/bc/y" gives ["", "/", "c/"]).
 * - `put` is durable once its promise resolves (for durable backends). The backend keeps its own
 *   copy: mutating the array after `put` does not change what is stored.
 * - `delete` of a missing key succeeds.
 * - After `close`, every call rejects (a second `close` resolves).
 */
export interface PhysicalBackend {
  get(key: string): Promise<Ciphertext | undefined>;
  put(key: string, value: Ciphertext): Promise<void>;
  delete(key: string): Promise<void>;
  list(prefix: string): Promise<string[]>;
  /** Flushes pending work and releases resources; later calls reject. */
  close(): Promise<void>;
}

/** One operation of an atomic batch. */
export type TxnOp = { op: 'put'; key: string; value: Ciphertext } | { op: 'delete'; key: string };

/** Optional capability: apply several operations atomically. Detect with `hasTransactions`. */
export interface Transactional {
  /**
   * Applies `ops` in order, all or nothing. If any key is invalid the call rejects with
   * `invalid_request` and nothing is applied.
   */
  transaction(ops: readonly TxnOp[]): Promise<void>;
}

export function hasTransactions(b: PhysicalBackend): b is PhysicalBackend & Transactional {
  return typeof (b as Partial<Transactional>).transaction === 'function';
}
