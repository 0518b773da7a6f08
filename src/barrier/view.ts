// Views: the barrier (or another view) seen through a key prefix, so a mount cannot reach
// outside its own subtree.
import { invalidRequest } from '../shared/index.js';
import type { SecureStorage } from './secure-storage.js';
import { assertValidKey, assertValidPrefix } from './storage-key.js';

/** The rejection an async function would produce for a caught error (non-Errors get wrapped). */
const rejection = (e: unknown): Promise<never> => Promise.reject(e instanceof Error ? e : new Error(String(e)));

/**
 * Returns storage whose keys are relative to `prefix`. `prefix` must be non-empty, end with '/',
 * and pass key validation (throws invalid_request otherwise). Relative keys are validated before
 * they are joined, so '..' can never climb out of the view. `list` answers relative names.
 */
export function createView(storage: SecureStorage, prefix: string): SecureStorage {
  if (prefix === '') throw invalidRequest('invalid view prefix: must not be empty');
  assertValidPrefix(prefix);
  // Not async functions: each would add a promise (and its microtask hops) per call on the hot
  // path. A failure (validation, or the storage below throwing) still arrives as a rejection,
  // never as a synchronous throw.
  return {
    get(key) {
      try {
        assertValidKey(key);
        return storage.get(prefix + key);
      } catch (e: unknown) {
        return rejection(e);
      }
    },
    put(key, value) {
      try {
        assertValidKey(key);
        return storage.put(prefix + key, value);
      } catch (e: unknown) {
        return rejection(e);
      }
    },
    delete(key) {
      try {
        assertValidKey(key);
        return storage.delete(prefix + key);
      } catch (e: unknown) {
        return rejection(e);
      }
    },
    list(listPrefix) {
      try {
        assertValidPrefix(listPrefix);
        return storage.list(prefix + listPrefix);
      } catch (e: unknown) {
        return rejection(e);
      }
    },
  };
}
