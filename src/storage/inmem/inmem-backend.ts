// The in-memory physical backend: for dev mode and tests. Nothing survives the process.

import { assertValidKey, closedError, copyCiphertext } from '../keys.js';
import type { Ciphertext, PhysicalBackend, Transactional, TxnOp } from '../types.js';
import { createFolderTree } from './folder-tree.js';

/**
 * A non-durable backend holding everything in memory. Values are copied in and out, so callers
 * can never alias stored bytes. Transactions are trivially atomic (applied synchronously).
 */
export function createInmemBackend(): PhysicalBackend & Transactional {
  const values = new Map<string, Ciphertext>();
  const tree = createFolderTree();
  let closed = false;

  // Synchronous work, delivered as a promise; a throw becomes a rejection.
  const run = async <T>(fn: () => T | Promise<T>): Promise<T> => {
    if (closed) throw closedError();
    return fn();
  };
  const put = (key: string, value: Ciphertext): void => {
    if (!values.has(key)) tree.add(key);
    values.set(key, value);
  };
  const del = (key: string): void => {
    if (values.delete(key)) tree.remove(key);
  };

  return {
    get: (key) =>
      run(() => {
        assertValidKey(key);
        const v = values.get(key);
        return v === undefined ? undefined : copyCiphertext(v);
      }),
    put: (key, value) =>
      run(() => {
        assertValidKey(key);
        put(key, copyCiphertext(value));
      }),
    delete: (key) =>
      run(() => {
        assertValidKey(key);
        del(key);
      }),
    list: (prefix) =>
      run(() => {
        assertValidKey(prefix);
        return tree.list(prefix);
      }),
    transaction: (ops: readonly TxnOp[]) =>
      run(() => {
        for (const op of ops) assertValidKey(op.key);
        for (const op of ops) {
          if (op.op === 'put') put(op.key, copyCiphertext(op.value));
          else del(op.key);
        }
      }),
    close() {
      closed = true;
      values.clear();
      return Promise.resolve();
    },
  };
}
