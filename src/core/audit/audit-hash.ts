// HMAC-SHA256 of audited values under a device's salt, in Vault's `hmac-sha256:<hex>` form.
// Token strings recur on every request, so their hashes are remembered (bounded).

import { createHmac } from 'node:crypto';

export type Hash = (value: string) => string;

/** The identity "hash" of a device with log_raw. */
export const noHash: Hash = (v) => v;

/** A hasher for `salt`; remembers up to `cacheSize` recent inputs of token length or less. */
export function createAuditHash(salt: Buffer, cacheSize = 4096): Hash {
  const cache = new Map<string, string>();
  return (value) => {
    const hit = cache.get(value);
    if (hit !== undefined) return hit;
    const out = 'hmac-sha256:' + createHmac('sha256', salt).update(value).digest('hex');
    // Only short strings (tokens, accessors) are worth keeping.
    if (value.length <= 128) {
      if (cache.size >= cacheSize) cache.delete(cache.keys().next().value as string);
      cache.set(value, out);
    }
    return out;
  };
}

/** Copies a JSON-like value with every string (at any depth, map keys excepted) hashed. */
export function hashStrings(value: unknown, hash: Hash): unknown {
  if (typeof value === 'string') return hash(value);
  if (Array.isArray(value)) return value.map((v) => hashStrings(v, hash));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = hashStrings(v, hash);
    return out;
  }
  return value;
}
