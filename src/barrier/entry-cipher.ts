// AES-256-GCM entry encryption. Layout: [1 version][4 term, big-endian][12 nonce][ciphertext][16 tag].
// The storage key is the additional authenticated data, so an entry moved to another key fails.
import { createCipheriv, createDecipheriv } from 'node:crypto';
import { secureRandomFill } from '../shared/index.js';

export const ENTRY_VERSION = 1;
const NONCE_LEN = 12;
const TAG_LEN = 16;
const HEADER_LEN = 1 + 4 + NONCE_LEN;
/** Length of every key this module accepts (AES-256). */
export const KEY_LEN = 32;

/** Encrypts `plaintext` for storage under `storageKey` with `key`, labelled with `term`. */
export function encryptEntry(key: Uint8Array, term: number, storageKey: string, plaintext: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(HEADER_LEN + plaintext.length + TAG_LEN);
  out[0] = ENTRY_VERSION;
  out.writeUInt32BE(term, 1);
  secureRandomFill(out, 5, NONCE_LEN);
  const cipher = createCipheriv('aes-256-gcm', key, out.subarray(5, HEADER_LEN), { authTagLength: TAG_LEN });
  cipher.setAAD(Buffer.from(storageKey, 'utf8'));
  let at = HEADER_LEN;
  at += cipher.update(plaintext).copy(out, at);
  at += cipher.final().copy(out, at);
  cipher.getAuthTag().copy(out, at);
  return out;
}

/** Reads the term of an entry; undefined when the entry is too short or of an unknown version. */
export function entryTerm(entry: Uint8Array): number | undefined {
  if (entry.length < HEADER_LEN + TAG_LEN || entry[0] !== ENTRY_VERSION) return undefined;
  return Buffer.from(entry.buffer, entry.byteOffset, entry.byteLength).readUInt32BE(1);
}

/**
 * Decrypts an entry stored under `storageKey`. Returns undefined when authentication fails
 * (wrong key, moved entry, tampered bytes, bad layout); the caller decides which error to raise.
 */
export function decryptEntry(key: Uint8Array, storageKey: string, entry: Uint8Array): Buffer | undefined {
  if (entryTerm(entry) === undefined) return undefined;
  const bytes = Buffer.from(entry.buffer, entry.byteOffset, entry.byteLength);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(5, HEADER_LEN), { authTagLength: TAG_LEN });
    decipher.setAAD(Buffer.from(storageKey, 'utf8'));
    decipher.setAuthTag(bytes.subarray(bytes.length - TAG_LEN));
    const body = decipher.update(bytes.subarray(HEADER_LEN, bytes.length - TAG_LEN));
    const tail = decipher.final();
    return tail.length === 0 ? body : Buffer.concat([body, tail]);
  } catch {
    return undefined;
  }
}
