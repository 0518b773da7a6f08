// The barrier proper: SecureStorage over a PhysicalBackend, encrypting every value with the
// active keyring term and decrypting with whichever term an entry names.
import { CofferError, invalidRequest } from '../shared/index.js';
import { mintCiphertext } from './ciphertext.js';
import { decryptEntry, encryptEntry, entryTerm } from './entry-cipher.js';
import { activeKey, type Keyring } from './keyring.js';
import type { PhysicalBackend } from './physical.js';
import { createPlaintextCache, DEFAULT_PLAINTEXT_CACHE, type PlaintextCacheLimits } from './plaintext-cache.js';
import { isReservedKey } from './reserved-keys.js';
import type { SecureStorage } from './secure-storage.js';
import { assertValidKey, assertValidPrefix } from './storage-key.js';

/** The rejection an async function would produce for a caught error (non-Errors get wrapped). */
const rejection = (e: unknown): Promise<never> => Promise.reject(e instanceof Error ? e : new Error(String(e)));

/** What the barrier needs from the seal lifecycle. */
export interface KeyAccess {
  /**
   * The unsealed keyring, or throws CofferError 'sealed'. Called synchronously right before each
   * cipher operation, so a seal that happens during an await is always noticed.
   */
  keyring(): Keyring;
  /** Records one encryption with the active term. */
  countEncryption(): void;
}

function assertUsableKey(key: string): void {
  assertValidKey(key);
  if (isReservedKey(key)) throw invalidRequest(`storage key "${key}" is reserved by the barrier`);
}

const decryptFailed = (key: string): CofferError =>
  new CofferError('internal', `barrier: failed to decrypt the entry at "${key}"`);

/** The barrier as its owner (the seal manager) sees it. */
export interface Barrier extends SecureStorage {
  /** Zeroes and forgets every decrypted entry held in memory. Call when sealing. */
  wipe(): void;
}

/**
 * Creates the barrier. Errors: 'sealed' while sealed (checked before touching storage, and again
 * after every storage await); 'invalid_request' for malformed or reserved keys; 'internal' when
 * an entry fails authentication (moved, tampered, or of an unknown term).
 *
 * Decrypted entries are kept in a bounded in-memory cache (`cacheLimits`, maxEntries 0 disables
 * it). It assumes this barrier is the only writer of its physical storage: every put and delete
 * goes through it and invalidates the key, and an entry is only ever cached after it
 * authenticated. A second process writing the same storage (a future HA standby) must not use it.
 */
export function createBarrierStorage(
  physical: PhysicalBackend,
  keys: KeyAccess,
  cacheLimits: PlaintextCacheLimits = DEFAULT_PLAINTEXT_CACHE,
): Barrier {
  const cache = createPlaintextCache(cacheLimits);

  const readThrough = async (key: string): Promise<Uint8Array | undefined> => {
    const generation = cache.generation;
    const entry = await physical.get(key);
    if (entry === undefined) return undefined;
    const ring = keys.keyring();
    const term = entryTerm(entry);
    const k = term === undefined ? undefined : ring.terms.get(term);
    if (!k) throw decryptFailed(key);
    const plain = decryptEntry(k.key, key, entry);
    if (!plain) throw decryptFailed(key);
    return cache.offer(key, new Uint8Array(plain.buffer, plain.byteOffset, plain.byteLength), generation);
  };

  return {
    // Not async: a cached read answers without the extra promise hops of an async function.
    get(key) {
      try {
        keys.keyring();
        // Only keys that passed validation and authenticated are ever cached.
        const hit = cache.get(key);
        if (hit !== undefined) return Promise.resolve(hit);
        assertUsableKey(key);
      } catch (e: unknown) {
        return rejection(e);
      }
      return readThrough(key);
    },
    async put(key, value) {
      const ring = keys.keyring();
      assertUsableKey(key);
      const k = activeKey(ring);
      const entry = encryptEntry(k.key, k.term, key, value);
      keys.countEncryption();
      cache.invalidate(key);
      try {
        await physical.put(key, mintCiphertext(entry));
      } finally {
        cache.invalidate(key);
      }
    },
    async delete(key) {
      keys.keyring();
      assertUsableKey(key);
      cache.invalidate(key);
      try {
        await physical.delete(key);
      } finally {
        cache.invalidate(key);
      }
    },
    wipe() {
      cache.wipe();
    },
    async list(prefix) {
      keys.keyring();
      assertValidPrefix(prefix);
      const names = await physical.list(prefix);
      keys.keyring();
      return names.filter((n) => !isReservedKey(prefix + n));
    },
  };
}
