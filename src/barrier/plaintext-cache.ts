// A bounded LRU of decrypted entries held inside the barrier, so hot reads skip AES-GCM (a fresh
// cipher context per read dominated the KV read path). Plaintext lives only in this process's
// memory, exactly like the value a caller gets back: nothing below the barrier ever sees it, so
// "nothing at rest is plaintext" still holds. The barrier zeroes and drops it on seal.

export interface PlaintextCacheLimits {
  /** Most entries kept; 0 disables the cache. */
  maxEntries: number;
  /** Most plaintext bytes kept in total. */
  maxBytes: number;
  /** Entries larger than this are never cached. */
  maxEntryBytes: number;
}

export const DEFAULT_PLAINTEXT_CACHE: PlaintextCacheLimits = {
  maxEntries: 16384,
  maxBytes: 32 * 1024 * 1024,
  maxEntryBytes: 64 * 1024,
};

export interface PlaintextCache {
  /** A private copy of the cached plaintext (callers may mutate it), or undefined. */
  get(key: string): Uint8Array | undefined;
  /**
   * Caches `plain` unless a write or delete happened since `generation` was read (a read that
   * raced a write must not install the value it saw, which may be the old one) or it is too
   * large. Returns what the reader may hand out: `plain` itself when it was not cached, else a
   * copy (the cache owns `plain` from then on and zeroes it on eviction and wipe).
   */
  offer(key: string, plain: Uint8Array, generation: number): Uint8Array;
  /** The write generation; read it before the storage read whose result you will `offer`. */
  readonly generation: number;
  /** Drops `key` and advances the generation. Call before and after each write or delete. */
  invalidate(key: string): void;
  /** Zeroes and drops everything (on seal). */
  wipe(): void;
}

interface Slot {
  plain: Uint8Array;
  used: boolean;
}

export function createPlaintextCache(limits: PlaintextCacheLimits = DEFAULT_PLAINTEXT_CACHE): PlaintextCache {
  // Eviction is "second chance" (CLOCK), an LRU approximation: a hit only sets a flag instead of
  // re-inserting the key, and the oldest entry not used since it was last passed goes first.
  const entries = new Map<string, Slot>();
  let bytes = 0;
  let generation = 0;
  const enabled = limits.maxEntries > 0 && limits.maxBytes > 0;

  const drop = (key: string): void => {
    const slot = entries.get(key);
    if (slot === undefined) return;
    entries.delete(key);
    bytes -= slot.plain.byteLength;
    slot.plain.fill(0);
  };

  const evictOne = (): void => {
    for (const [key, slot] of entries) {
      if (slot.used) {
        slot.used = false;
        entries.delete(key);
        entries.set(key, slot);
        continue;
      }
      drop(key);
      return;
    }
  };

  return {
    get(key) {
      const slot = entries.get(key);
      if (slot === undefined) return undefined;
      slot.used = true;
      return new Uint8Array(slot.plain);
    },
    offer(key, plain, gen) {
      if (!enabled || gen !== generation || plain.byteLength > Math.min(limits.maxEntryBytes, limits.maxBytes)) return plain;
      const out = new Uint8Array(plain);
      drop(key);
      entries.set(key, { plain, used: false });
      bytes += plain.byteLength;
      while (entries.size > limits.maxEntries || bytes > limits.maxBytes) evictOne();
      return out;
    },
    get generation() {
      return generation;
    },
    invalidate(key) {
      generation++;
      drop(key);
    },
    wipe() {
      generation++;
      for (const slot of entries.values()) slot.plain.fill(0);
      entries.clear();
      bytes = 0;
    },
  };
}
