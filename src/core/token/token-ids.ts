// Random token ids and accessors, constant-time comparison, and the salted hash under which
// tokens and accessors are indexed.

import { createHmac, timingSafeEqual } from 'node:crypto';
import { secureRandomBytes } from '../../shared/index.js';

const BASE62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** Random base62 string of `n` characters (rejection sampling keeps it unbiased). */
export function randomBase62(n: number): string {
  let out = '';
  while (out.length < n) {
    for (const b of secureRandomBytes(n * 2)) {
      if (b < 248 && out.length < n) out += BASE62[b % 62];
    }
  }
  return out;
}

export const SERVICE_PREFIX = 'hvs.';
export const BATCH_PREFIX = 'hvb.';

export const newServiceTokenId = (): string => `${SERVICE_PREFIX}${randomBase62(24)}`;
export const newAccessor = (): string => randomBase62(24);

/** Equality of two secrets without an early exit on the first differing byte. */
export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** HMAC-SHA256 (hex) of `value` under `salt`. */
export function saltedHash(salt: Uint8Array, value: string): string {
  return createHmac('sha256', salt).update(value).digest('hex');
}
