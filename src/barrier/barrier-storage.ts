// The barrier proper: SecureStorage over a PhysicalBackend, encrypting every value with the
// active keyring term and decrypting with whichever term an entry names.
import { CofferError, invalidRequest } from '../shared/index.js';
import { mintCiphertext } from './ciphertext.js';
import { decryptEntry, encryptEntry, entryTerm } from './entry-cipher.js';
import { activeKey, type Keyring } from './keyring.js';
import type { PhysicalBackend } from './physical.js';
import { isReservedKey } from './reserved-keys.js';
import type { SecureStorage } from './secure-storage.js';
import { assertValidKey, assertValidPrefix } from './storage-key.js';

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

/**
 * Creates the barrier. Errors: 'sealed' while sealed (checked before touching storage, and again
 * after every storage await); 'invalid_request' for malformed or reserved keys; 'internal' when
 * an entry fails authentication (moved, tampered, or of an unknown term).
 */
export function createBarrierStorage(physical: PhysicalBackend, keys: KeyAccess): SecureStorage {
  return {
    async get(key) {
      keys.keyring();
      assertUsableKey(key);
      const entry = await physical.get(key);
      if (entry === undefined) return undefined;
      const ring = keys.keyring();
      const term = entryTerm(entry);
      const k = term === undefined ? undefined : ring.terms.get(term);
      if (!k) throw decryptFailed(key);
      const plain = decryptEntry(k.key, key, entry);
      if (!plain) throw decryptFailed(key);
      return new Uint8Array(plain.buffer, plain.byteOffset, plain.byteLength);
    },
    async put(key, value) {
      const ring = keys.keyring();
      assertUsableKey(key);
      const k = activeKey(ring);
      const entry = encryptEntry(k.key, k.term, key, value);
      keys.countEncryption();
      await physical.put(key, mintCiphertext(entry));
    },
    async delete(key) {
      keys.keyring();
      assertUsableKey(key);
      await physical.delete(key);
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
