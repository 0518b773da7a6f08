// SecureStorage: the plaintext storage shape every layer above the barrier uses (the barrier
// itself, and prefixed views of it).

/**
 * Key/value storage whose values are plaintext to the caller and encrypted below it.
 * Keys are '/'-separated, relative, never start with '/', never contain a '..' segment.
 * `list(prefix)` takes "" or a prefix ending in '/', and returns direct children relative to it
 * (sub-folders once, with a trailing '/'), sorted.
 * Every operation rejects with CofferError 'sealed' while the barrier is sealed, and with
 * 'invalid_request' for a malformed key.
 */
export interface SecureStorage {
  get(key: string): Promise<Uint8Array | undefined>;
  put(key: string, value: Uint8Array): Promise<void>;
  delete(key: string): Promise<void>;
  list(prefix: string): Promise<string[]>;
}
