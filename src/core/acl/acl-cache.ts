// A bounded LRU of compiled ACLs keyed by (policy set, identity), emptied whenever any policy changes.

import type { Acl } from './types.js';

export interface AclCache {
  /**
   * Returns the cached Acl for this policy set (order and duplicates ignored) and identity key,
   * or calls `build` once, caches and returns its result. `build` errors propagate uncached.
   * Use an empty `identityKey` when none of the policies is templated.
   */
  get(policyNames: readonly string[], identityKey: string, build: () => Acl): Acl;
  /** Drops every entry; call on any policy write or delete. */
  invalidate(): void;
  /** Number of cached ACLs (for tests and metrics). */
  readonly size: number;
}

/** Creates a cache holding at most `maxEntries` ACLs (least recently used evicted first; 0 disables). */
export function createAclCache(maxEntries: number): AclCache {
  const limit = Math.max(0, Math.floor(maxEntries));
  const entries = new Map<string, Acl>();
  return {
    get(policyNames, identityKey, build) {
      const key = cacheKey(policyNames, identityKey);
      const hit = entries.get(key);
      if (hit !== undefined) {
        // Re-insert to mark as most recently used.
        entries.delete(key);
        entries.set(key, hit);
        return hit;
      }
      const acl = build();
      if (limit === 0) return acl;
      entries.set(key, acl);
      if (entries.size > limit) {
        const oldest = entries.keys().next();
        if (oldest.done !== true) entries.delete(oldest.value);
      }
      return acl;
    },
    invalidate() {
      entries.clear();
    },
    get size() {
      return entries.size;
    },
  };
}

// NUL cannot appear in a policy name that came through the API, so the key is unambiguous.
function cacheKey(names: readonly string[], identityKey: string): string {
  const sorted = names.length === 1 ? names : [...new Set(names)].sort();
  return `${sorted.join('\u0000')}\u0001${identityKey}`;
}
