// Persistence of service-token records: id/<hash> (record), accessor/<hash(accessor)> (index),
// parent/<parent>/<child> (tree), a bounded cache, per-token locks and tree revocation.

import { randomBytes } from 'node:crypto';
import type { Storage } from '../../sdk/index.js';
import { getJson, putJson } from '../../sdk/index.js';
import type { Clock, KeyedMutex } from '../../shared/index.js';
import { createKeyedMutex } from '../../shared/index.js';
import { createEntryCache } from './entry-cache.js';
import { createTokenHashCache } from './token-hash-cache.js';
import type { StoredToken, TokenEntry } from './token-entry.js';
import { parseStoredToken, toEntry } from './token-entry.js';
import { safeEqual, saltedHash } from './token-ids.js';

export interface TokenRecords {
  /** Salted HMAC of a token id or accessor (the salt lives in the view). */
  hash(value: string): Promise<string>;
  /** The AES-256 key sealing batch tokens (kept in the view). */
  batchKey(): Promise<Uint8Array>;
  /** The record, whatever its state; cached. */
  load(idHash: string): Promise<StoredToken | undefined>;
  /** The record only if it authenticates now: active, not being revoked, not expired. */
  live(idHash: string): Promise<StoredToken | undefined>;
  /**
   * `live` answered from memory alone: undefined when the record is not cached (ask `live`),
   * null when it is cached but does not authenticate now.
   */
  liveCached(idHash: string): StoredToken | null | undefined;
  /** The hash of a presented token that authenticated before (no HMAC), or undefined. */
  knownHash(token: string): string | undefined;
  /** Remembers the hash of a token that just authenticated; forgotten when it is revoked. */
  rememberHash(token: string, idHash: string): void;
  persist(record: StoredToken): Promise<void>;
  /** Writes a new record with its accessor and parent indexes. */
  insert(record: StoredToken): Promise<void>;
  children(idHash: string): Promise<string[]>;
  /** Revokes a token and every descendant, leaves first (onRevoke for each); returns the count. */
  revokeTree(idHash: string): Promise<number>;
  /** Makes a token unusable at once (and persistently) ahead of its revocation. */
  markRevoking(idHash: string): Promise<void>;
  /** Revokes one token (its children are the caller's business). */
  revokeOne(idHash: string): Promise<void>;
  /** Per-token critical sections (read-modify-write of one record). */
  readonly lock: KeyedMutex;
  reset(): void;
}

export function createTokenRecords(deps: {
  storage: Storage;
  clock: Clock;
  onRevoke?: (entry: TokenEntry) => Promise<void>;
  cacheSize?: number;
}): TokenRecords {
  const { storage, clock } = deps;
  const cache = createEntryCache<StoredToken>(deps.cacheSize ?? 10000);
  // Raw token ids held only in memory (like the one in flight), dropped on revoke and on seal.
  const tokenHashes = createTokenHashCache(deps.cacheSize ?? 10000);
  const lock = createKeyedMutex();
  // Tokens whose revocation has started in this process: refused at once, before any write lands.
  const revoking = new Set<string>();
  let salt: Uint8Array | undefined;
  let batchKey: Uint8Array | undefined;

  const secret = async (key: string): Promise<Uint8Array> => {
    const raw = await storage.get(key);
    if (raw !== undefined && raw.length === 32) return raw;
    const fresh = randomBytes(32);
    await storage.put(key, fresh);
    return fresh;
  };

  const load = async (idHash: string): Promise<StoredToken | undefined> => {
    const cached = cache.get(idHash);
    if (cached) return cached;
    const s = parseStoredToken(await getJson(storage, `id/${idHash}`));
    if (!s || !safeEqual(s.idHash, idHash)) return undefined;
    cache.set(idHash, s);
    return s;
  };
  const persist = async (s: StoredToken): Promise<void> => {
    await putJson(storage, `id/${s.idHash}`, s);
    cache.set(s.idHash, s);
  };
  const hash = async (value: string): Promise<string> => {
    salt ??= await secret('salt');
    return saltedHash(salt, value);
  };
  const children = async (idHash: string): Promise<string[]> =>
    (await storage.list(`parent/${idHash}/`)).filter((k) => !k.endsWith('/'));

  const markRevoking = (idHash: string): Promise<void> =>
    lock.run(idHash, async () => {
      revoking.add(idHash);
      const s = await load(idHash);
      if (s && s.status !== 'revoking') await persist({ ...s, status: 'revoking' });
    });

  const revokeOne = (idHash: string): Promise<void> =>
    lock.run(idHash, async () => {
      revoking.add(idHash);
      const s = parseStoredToken(await getJson(storage, `id/${idHash}`));
      if (s) {
        if (deps.onRevoke) await deps.onRevoke(toEntry(s));
        if (s.accessor !== '') await storage.delete(`accessor/${await hash(s.accessor)}`);
        if (s.parent !== '') await storage.delete(`parent/${s.parent}/${idHash}`);
      }
      await storage.delete(`id/${idHash}`);
      cache.delete(idHash);
      tokenHashes.forgetHash(idHash);
      revoking.delete(idHash);
    });

  const isLive = (s: StoredToken, idHash: string): boolean =>
    s.status === 'active' && !revoking.has(idHash) && (s.expireTime === 0 || clock.now() < s.expireTime);

  return {
    hash,
    async batchKey() {
      batchKey ??= await secret('batch-key');
      return batchKey;
    },
    load,
    async live(idHash) {
      const s = await load(idHash);
      return s !== undefined && isLive(s, idHash) ? s : undefined;
    },
    liveCached(idHash) {
      const s = cache.get(idHash);
      if (s === undefined) return undefined;
      return isLive(s, idHash) ? s : null;
    },
    knownHash: (token) => tokenHashes.get(token),
    rememberHash: (token, idHash) => tokenHashes.set(token, idHash),
    persist,
    async insert(s) {
      // Issued together so the writes share one group commit (one fsync) instead of three.
      const accessorKey = `accessor/${await hash(s.accessor)}`;
      await Promise.all([
        persist(s),
        putJson(storage, accessorKey, { idHash: s.idHash, accessor: s.accessor }),
        ...(s.parent !== '' ? [putJson(storage, `parent/${s.parent}/${s.idHash}`, {})] : []),
      ]);
    },
    children,
    async revokeTree(rootHash) {
      const order: string[] = [];
      const seen = new Set<string>();
      const queue = [rootHash];
      while (queue.length > 0) {
        const h = queue.shift();
        if (h === undefined || seen.has(h)) continue;
        seen.add(h);
        order.push(h);
        queue.push(...(await children(h)));
      }
      // Mark (and persist) the whole tree first so a crash mid-way leaves nothing usable; tidy finishes.
      for (const h of order) await markRevoking(h);
      for (const h of order.reverse()) await revokeOne(h);
      return order.length;
    },
    markRevoking,
    revokeOne,
    lock,
    reset() {
      cache.clear();
      tokenHashes.clear();
      revoking.clear();
      salt = undefined;
      batchKey = undefined;
    },
  };
}
