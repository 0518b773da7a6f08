// A bounded least-recently-used map (Map insertion order doubles as recency order).

export interface Lru<K, V> {
  /** The value and marks it most recently used; undefined on a miss. */
  get(key: K): V | undefined;
  /** Inserts or replaces as most recently used, evicting the least recently used beyond capacity. */
  set(key: K, value: V): void;
  delete(key: K): void;
  clear(): void;
  readonly size: number;
}

/** An LRU holding at most `capacity` entries; capacity 0 stores nothing. */
export function createLru<K, V>(capacity: number): Lru<K, V> {
  const map = new Map<K, V>();
  return {
    get(key) {
      if (!map.has(key)) return undefined;
      const v = map.get(key) as V;
      map.delete(key);
      map.set(key, v);
      return v;
    },
    set(key, value) {
      if (capacity <= 0) return;
      map.delete(key);
      map.set(key, value);
      while (map.size > capacity) {
        const oldest = map.keys().next();
        if (oldest.done) break;
        map.delete(oldest.value);
      }
    },
    delete: (key) => void map.delete(key),
    clear: () => map.clear(),
    get size() {
      return map.size;
    },
  };
}
