// An in-memory sdk Storage for this engine's tests (direct backend tests need no barrier).

import type { Storage } from '../../sdk/index.js';

export interface MemoryStorage extends Storage {
  /** Every stored key, sorted. */
  keys(): string[];
  /** How many put calls have been made. */
  puts(): number;
}

export function createMemoryStorage(): MemoryStorage {
  const entries = new Map<string, Uint8Array>();
  let putCount = 0;
  return {
    async get(key) {
      const v = entries.get(key);
      return v === undefined ? undefined : v.slice();
    },
    async put(key, value) {
      putCount++;
      entries.set(key, value.slice());
    },
    async delete(key) {
      entries.delete(key);
    },
    async list(prefix) {
      const out = new Set<string>();
      for (const k of entries.keys()) {
        if (!k.startsWith(prefix)) continue;
        const rest = k.slice(prefix.length);
        const slash = rest.indexOf('/');
        out.add(slash === -1 ? rest : rest.slice(0, slash + 1));
      }
      return [...out].sort();
    },
    keys: () => [...entries.keys()].sort(),
    puts: () => putCount,
  };
}
