// Minting of the Ciphertext brand. Only barrier/ may turn bytes into Ciphertext, and only for
// bytes that are encrypted entries or deliberately non-secret barrier metadata (the seal config).
import type { Ciphertext } from './physical.js';

/** Brands bytes as Ciphertext. Internal to barrier/: never re-exported from index.ts. */
export function mintCiphertext(bytes: Uint8Array): Ciphertext {
  return bytes as Ciphertext;
}
