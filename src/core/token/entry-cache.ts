// A bounded cache of stored token records keyed by idHash, so the hot path (authenticate every
// request) skips storage. Callers replace or drop entries on every change.
// Eviction is "second chance" (CLOCK), an LRU approximation: a hit only sets a flag, instead of
// re-inserting the key into the Map on every request.

export interface EntryCache<V> {
  get(key: string): V | undefined;
  set(key: string, value: V): void;
  delete(key: string): void;
  clear(): void;
  readonly size: number;
}

interface Slot<V> {
  value: V;
  used: boolean;
}

/** `onEvict` is told about entries pushed out by the size bound (not about delete/clear). */
export function createEntryCache<V>(limit: number, onEvict?: (key: string, value: V) => void): EntryCache<V> {
  const map = new Map<string, Slot<V>>();

  // Oldest first; a slot used since it was last passed goes to the back once instead of out.
  const evictOne = (): void => {
    for (const [key, slot] of map) {
      map.delete(key);
      if (slot.used) {
        slot.used = false;
        map.set(key, slot);
        continue;
      }
      onEvict?.(key, slot.value);
      return;
    }
  };

  return {
    get(key) {
      const slot = map.get(key);
      if (slot === undefined) return undefined;
      slot.used = true;
      return slot.value;
    },
    set(key, value) {
      const slot = map.get(key);
      if (slot !== undefined) {
        slot.value = value;
        slot.used = true;
        return;
      }
      if (limit <= 0) return;
      map.set(key, { value, used: false });
      while (map.size > limit) evictOne();
    },
    delete: (key) => void map.delete(key),
    clear: () => map.clear(),
    get size() {
      return map.size;
    },
  };
}
