// A read cache of ciphertext in front of a physical backend: bounded LRU, kept coherent with
// writes that go through it (it assumes it is the only writer of the inner backend).

import { CofferError } from '../../shared/index.js';
import { closedError, copyCiphertext } from '../keys.js';
import { hasTransactions } from '../types.js';
import type { Ciphertext, PhysicalBackend, Transactional, TxnOp } from '../types.js';
import { createLru } from './lru.js';

export interface CachedBackendOptions {
  /** Most keys remembered (values and known-missing keys alike); 0 disables caching. */
  maxEntries: number;
}

/** Cached absence: a get that found nothing, or a committed delete. */
const ABSENT = null;

/**
 * Wraps `inner` with an LRU cache of `get` results (including "not found"). put/delete/transaction
 * invalidate the keys they touch while in flight and cache the written state once they succeed;
 * a read racing a write on the same key is never cached, so the cache cannot go stale through its
 * own traffic. `list` passes through. `transaction` exists iff `inner` has it. Cached values are
 * shared between callers: treat them as read-only.
 */
export function createCachedBackend(
  inner: PhysicalBackend & Transactional,
  opts: CachedBackendOptions,
): PhysicalBackend & Transactional;
export function createCachedBackend(inner: PhysicalBackend, opts: CachedBackendOptions): PhysicalBackend;
export function createCachedBackend(inner: PhysicalBackend, opts: CachedBackendOptions): PhysicalBackend {
  if (!Number.isInteger(opts.maxEntries) || opts.maxEntries < 0) {
    throw new CofferError('invalid_request', 'cache maxEntries must be a non-negative integer');
  }
  const cache = createLru<string, Ciphertext | typeof ABSENT>(opts.maxEntries);
  // Writes in flight per key; `overlapped` when two overlapped, so neither knows the final state.
  const writing = new Map<string, { count: number; overlapped: boolean }>();
  // Cache-filling reads in flight per key; `stale` once a write touched the key meanwhile.
  const reading = new Map<string, { count: number; stale: boolean }>();
  let closed = false;

  /** Runs `write` (touching `finals`: key → state it leaves), keeping the cache coherent. */
  const guardedWrite = async (finals: Map<string, Ciphertext | typeof ABSENT>, write: () => Promise<void>) => {
    if (closed) throw closedError();
    for (const key of finals.keys()) {
      const w = writing.get(key);
      if (w) {
        w.count++;
        w.overlapped = true;
      } else writing.set(key, { count: 1, overlapped: false });
      cache.delete(key);
      const r = reading.get(key);
      if (r) r.stale = true;
    }
    let ok = false;
    try {
      await write();
      ok = true;
    } finally {
      for (const [key, state] of finals) {
        const w = writing.get(key)!;
        w.count--;
        if (w.count > 0) continue;
        writing.delete(key);
        if (ok && !w.overlapped && !closed) cache.set(key, state);
      }
    }
  };

  const backend: PhysicalBackend = {
    async get(key) {
      if (closed) throw closedError();
      const hit = cache.get(key);
      if (hit !== undefined) return hit ?? undefined;
      let r = reading.get(key);
      if (!r) {
        r = { count: 0, stale: false };
        reading.set(key, r);
      }
      r.count++;
      // A write already in flight may or may not be visible to this read: don't trust it.
      if (writing.has(key)) r.stale = true;
      try {
        const v = await inner.get(key);
        if (!r.stale && !closed) cache.set(key, v ?? ABSENT);
        return v;
      } finally {
        r.count--;
        if (r.count === 0) reading.delete(key);
      }
    },
    put(key, value) {
      const copy = copyCiphertext(value);
      return guardedWrite(new Map([[key, copy]]), () => inner.put(key, copy));
    },
    delete(key) {
      return guardedWrite(new Map([[key, ABSENT]]), () => inner.delete(key));
    },
    async list(prefix) {
      if (closed) throw closedError();
      return inner.list(prefix);
    },
    async close() {
      closed = true;
      cache.clear();
      await inner.close();
    },
  };

  if (!hasTransactions(inner)) return backend;
  const transaction = (ops: readonly TxnOp[]): Promise<void> => {
    const copies = ops.map((op) => (op.op === 'put' ? { ...op, value: copyCiphertext(op.value) } : op));
    const finals = new Map<string, Ciphertext | typeof ABSENT>();
    for (const op of copies) finals.set(op.key, op.op === 'put' ? op.value : ABSENT);
    return guardedWrite(finals, () => inner.transaction(copies));
  };
  const withTxn: PhysicalBackend & Transactional = { ...backend, transaction };
  return withTxn;
}
