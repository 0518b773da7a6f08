// A bounded map from a presented token id to its salted hash, so authenticating a token seen
// before skips the HMAC (a fresh native HMAC context per request cost more than the rest of the
// lookup). Only tokens that authenticated are remembered; revocation drops them. It never
// decides validity: every lookup still checks the record (status, expiry, revocation).

import { createEntryCache } from './entry-cache.js';

export interface TokenHashCache {
  get(token: string): string | undefined;
  set(token: string, idHash: string): void;
  /** Forgets the token whose hash is `idHash` (called when it is revoked). */
  forgetHash(idHash: string): void;
  clear(): void;
  readonly size: number;
}

export function createTokenHashCache(limit: number): TokenHashCache {
  const byHash = new Map<string, string>();
  const byToken = createEntryCache<string>(limit, (_token, idHash) => byHash.delete(idHash));
  return {
    get: (token) => byToken.get(token),
    set(token, idHash) {
      const old = byToken.get(token);
      if (old !== undefined) byHash.delete(old);
      if (limit <= 0) return;
      byToken.set(token, idHash);
      byHash.set(idHash, token);
    },
    forgetHash(idHash) {
      const token = byHash.get(idHash);
      if (token === undefined) return;
      byHash.delete(idHash);
      byToken.delete(token);
    },
    clear() {
      byToken.clear();
      byHash.clear();
    },
    get size() {
      return byToken.size;
    },
  };
}
