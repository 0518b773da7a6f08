// The token store (foundation): tokens persisted by a salted hash of their id, indexed by
// accessor, cached in memory by hash. This issue needs root tokens only; the full store (roles,
// children, TTLs, renewal) builds on these records.

import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../shared/index.js';
import { CofferError } from '../shared/index.js';
import type { Storage } from '../sdk/index.js';
import { getJson, putJson } from '../sdk/index.js';

export interface TokenEntry {
  /** HMAC of the token id; the id itself is never stored. */
  idHash: string;
  accessor: string;
  policies: string[];
  path: string;
  displayName: string;
  meta: Record<string, string> | null;
  /** Unix seconds */
  creationTime: number;
  /** seconds; 0 = never expires */
  ttl: number;
  numUses: number;
  orphan: boolean;
  type: 'service';
}

export interface TokenStore {
  createRootToken(opts?: { id?: string; displayName?: string }): Promise<{ token: string; entry: TokenEntry }>;
  /** Resolves a presented token; undefined when it is unknown. */
  lookup(token: string): Promise<TokenEntry | undefined>;
  lookupAccessor(accessor: string): Promise<TokenEntry | undefined>;
  revoke(token: string): Promise<void>;
  /** Drops cached entries (on seal). */
  reset(): void;
}

const BASE62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** Random base62 string of `n` characters (rejection sampling keeps it unbiased). */
export function randomBase62(n: number): string {
  let out = '';
  while (out.length < n) {
    for (const b of randomBytes(n * 2)) {
      if (b < 248 && out.length < n) out += BASE62[b % 62];
    }
  }
  return out;
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function parseEntry(v: unknown): TokenEntry | undefined {
  if (v === null || typeof v !== 'object') return undefined;
  const r = v as Record<string, unknown>;
  if (typeof r['idHash'] !== 'string' || typeof r['accessor'] !== 'string' || !Array.isArray(r['policies'])) return undefined;
  return r as unknown as TokenEntry;
}

/** storage is the token store's view (`sys/token/` in the barrier). */
export function createTokenStore(deps: { storage: Storage; clock: Clock }): TokenStore {
  const { storage, clock } = deps;
  let salt: Buffer | undefined;
  const cache = new Map<string, TokenEntry>();

  const getSalt = async (): Promise<Buffer> => {
    if (salt) return salt;
    const raw = await storage.get('salt');
    if (raw) salt = Buffer.from(raw);
    else {
      const fresh = randomBytes(32);
      await storage.put('salt', fresh);
      salt = fresh;
    }
    return salt;
  };
  const hash = async (s: string): Promise<string> => createHmac('sha256', await getSalt()).update(s).digest('hex');

  const store = {
    async createRootToken(opts: { id?: string; displayName?: string } = {}) {
      const token = opts.id ?? `hvs.${randomBase62(24)}`;
      if (token === '' || token.length > 512) throw new CofferError('invalid_request', 'invalid token id');
      const idHash = await hash(token);
      const entry: TokenEntry = {
        idHash,
        accessor: randomBase62(24),
        policies: ['root'],
        path: 'auth/token/root',
        displayName: opts.displayName ?? 'root',
        meta: null,
        creationTime: Math.floor(clock.now() / 1000),
        ttl: 0,
        numUses: 0,
        orphan: true,
        type: 'service',
      };
      await putJson(storage, `id/${idHash}`, entry);
      await putJson(storage, `accessor/${await hash(entry.accessor)}`, { idHash });
      cache.set(idHash, entry);
      return { token, entry };
    },
    async lookup(token: string) {
      if (token === '' || token.length > 512) return undefined;
      const idHash = await hash(token);
      const cached = cache.get(idHash);
      if (cached) return cached;
      const entry = parseEntry(await getJson(storage, `id/${idHash}`));
      if (!entry || !safeEqual(entry.idHash, idHash)) return undefined;
      cache.set(idHash, entry);
      return entry;
    },
    async lookupAccessor(accessor: string) {
      const idx = await getJson(storage, `accessor/${await hash(accessor)}`);
      if (idx === null || typeof idx !== 'object') return undefined;
      const idHash = (idx as Record<string, unknown>)['idHash'];
      if (typeof idHash !== 'string') return undefined;
      return parseEntry(await getJson(storage, `id/${idHash}`));
    },
    async revoke(token: string) {
      const entry = await store.lookup(token);
      if (!entry) return;
      cache.delete(entry.idHash);
      await storage.delete(`accessor/${await hash(entry.accessor)}`);
      await storage.delete(`id/${entry.idHash}`);
    },
    reset() {
      cache.clear();
      salt = undefined;
    },
  };
  return store;
}
