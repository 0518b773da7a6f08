// Views: the barrier (or another view) seen through a key prefix, so a mount cannot reach
// outside its own subtree.
import { invalidRequest } from '../shared/index.js';
import type { SecureStorage } from './secure-storage.js';
import { assertValidKey, assertValidPrefix } from './storage-key.js';

/**
 * Returns storage whose keys are relative to `prefix`. `prefix` must be non-empty, end with '/',
 * and pass key validation (throws invalid_request otherwise). Relative keys are validated before
 * they are joined, so '..' can never climb out of the view. `list` answers relative names.
 */
export function createView(storage: SecureStorage, prefix: string): SecureStorage {
  if (prefix === '') throw invalidRequest('invalid view prefix: must not be empty');
  assertValidPrefix(prefix);
  return {
    async get(key) {
      assertValidKey(key);
      return storage.get(prefix + key);
    },
    async put(key, value) {
      assertValidKey(key);
      return storage.put(prefix + key, value);
    },
    async delete(key) {
      assertValidKey(key);
      return storage.delete(prefix + key);
    },
    async list(listPrefix) {
      assertValidPrefix(listPrefix);
      return storage.list(prefix + listPrefix);
    },
  };
}
