// A Map-based PhysicalBackend for barrier tests, with direct access to the stored bytes so
// tests can scan, move and tamper with entries. Not exported from index.ts.
import type { Ciphertext, PhysicalBackend } from './physical.js';

export interface MapPhysical extends PhysicalBackend {
  /** The stored entries themselves (tests may read and rewrite them). */
  readonly entries: Map<string, Ciphertext>;
}

export function createMapPhysical(): MapPhysical {
  const entries = new Map<string, Ciphertext>();
  return {
    entries,
    get(key) {
      return Promise.resolve(entries.get(key));
    },
    put(key, value) {
      entries.set(key, value);
      return Promise.resolve();
    },
    delete(key) {
      entries.delete(key);
      return Promise.resolve();
    },
    list(prefix) {
      const out = new Set<string>();
      for (const k of entries.keys()) {
        if (!k.startsWith(prefix)) continue;
        const rest = k.slice(prefix.length);
        const slash = rest.indexOf('/');
        out.add(slash === -1 ? rest : rest.slice(0, slash + 1));
      }
      return Promise.resolve([...out].sort());
    },
    close() {
      return Promise.resolve();
    },
  };
}
