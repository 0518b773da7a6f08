// An in-memory Storage: what a plugin's own tests run against (no barrier, no core). Values are
// copied in and out, and list follows the Storage contract (one level, folders end in '/').

import type { Storage } from './storage.js';

export interface MemoryStorage extends Storage {
  /** The stored entries themselves (tests inspect and tamper with them). */
  readonly data: Map<string, Uint8Array>;
  /** Every stored key, sorted. */
  keys(): string[];
  /** How many put calls have been made. */
  puts(): number;
  /** Every entry as `key=value` text, one per line (to search for leaked plaintext). */
  dump(): string;
}

export function createMemoryStorage(): MemoryStorage {
  const data = new Map<string, Uint8Array>();
  const decoder = new TextDecoder();
  let putCount = 0;
  return {
    data,
    get: (key) => Promise.resolve(data.get(key)?.slice()),
    put: (key, value) => {
      putCount++;
      data.set(key, value.slice());
      return Promise.resolve();
    },
    delete: (key) => {
      data.delete(key);
      return Promise.resolve();
    },
    list: (prefix) => {
      const out = new Set<string>();
      for (const k of data.keys()) {
        if (!k.startsWith(prefix)) continue;
        const rest = k.slice(prefix.length);
        const slash = rest.indexOf('/');
        out.add(slash === -1 ? rest : rest.slice(0, slash + 1));
      }
      return Promise.resolve([...out].sort());
    },
    keys: () => [...data.keys()].sort(),
    puts: () => putCount,
    dump: () => [...data.entries()].map(([k, v]) => `${k}=${decoder.decode(v)}`).join('\n'),
  };
}
