// Decoding of an unseal key share as Vault's sys/unseal reads it: hex first, else base64.
import { invalidRequest } from '../shared/index.js';
import { KEY_LEN } from './entry-cipher.js';

/** Shamir shares of a KEY_LEN key carry one extra byte (the x coordinate). */
export const SHARE_LEN = KEY_LEN + 1;

const HEX = /^(?:[0-9a-fA-F]{2})*$/;
const BASE64_STD = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * Decodes a share string. Hex is accepted only when it decodes to a valid share length (33 bytes
 * for a split key, 32 for a 1-of-1 key), so a base64 string that happens to be valid hex is read
 * as base64. Otherwise standard padded base64. Neither → invalid_request
 * `'key' must be a valid hex or base64 string`.
 */
export function decodeUnsealKey(s: string): Uint8Array {
  if (HEX.test(s) && (s.length / 2 === SHARE_LEN || s.length / 2 === KEY_LEN)) {
    return new Uint8Array(Buffer.from(s, 'hex'));
  }
  if (BASE64_STD.test(s)) return new Uint8Array(Buffer.from(s, 'base64'));
  throw invalidRequest("'key' must be a valid hex or base64 string");
}
