// KV v2 storage layout. Everything lives under the reserved top-level folder `_kv2/` so that a
// mount upgraded from v1 can tell its old keys apart from the new layout:
//   _kv2/layout              marker {"layout":1}; present once the v2 layout is in use
//   _kv2/config              engine config (EngineConfig JSON)
//   _kv2/meta/<path>         one secret's metadata (SecretMeta JSON, incl. the versions map)
//   _kv2/versions/<path>/<n> version n's payload {"data":{...}}
// A write costs two puts (version + metadata), issued together so one group commit can take both.
// Reads go through a bounded cache of parsed, frozen records (readMeta/readVersion): a hot secret's
// read then costs no storage lookup, copy or JSON parse. Writers keep using getMeta/getVersion,
// which return fresh, mutable objects.

import type { Storage } from '../../sdk/index.js';
import { getJson, getJsonSized, putJson } from '../../sdk/index.js';
import type { EngineConfig, SecretMeta } from './kv2-records.js';
import { parseEngineConfig, parseSecretMeta, parseVersionData } from './kv2-records.js';

export const ROOT = '_kv2/';
export const LAYOUT_KEY = `${ROOT}layout`;
export const CONFIG_KEY = `${ROOT}config`;
export const META_PREFIX = `${ROOT}meta/`;
export const VERSIONS_PREFIX = `${ROOT}versions/`;

export interface Kv2Store {
  readonly storage: Storage;
  getConfig(): Promise<EngineConfig>;
  putConfig(c: EngineConfig): Promise<void>;
  getMeta(path: string): Promise<SecretMeta | undefined>;
  putMeta(path: string, m: SecretMeta): Promise<void>;
  deleteMeta(path: string): Promise<void>;
  getVersion(path: string, n: number): Promise<Record<string, unknown> | undefined>;
  putVersion(path: string, n: number, data: Record<string, unknown>): Promise<void>;
  deleteVersion(path: string, n: number): Promise<void>;
  /** Direct children of a secret-path prefix ("" or ending in '/'); folders end in '/'. */
  listMeta(prefix: string): Promise<string[]>;
  /** Like getMeta, but possibly shared with other readers: frozen, never to be mutated. */
  readMeta(path: string): Promise<Readonly<SecretMeta> | undefined>;
  /** Like getVersion, but possibly shared with other readers: deeply frozen. */
  readVersion(path: string, n: number): Promise<Readonly<Record<string, unknown>> | undefined>;
  /** Drops every cached record (the backend is being unloaded, e.g. on seal). */
  clearCache(): void;
}

/** Most records each read cache keeps (metadata and version payloads separately). */
export const READ_CACHE_ENTRIES = 4096;
/** Most stored bytes (JSON) each read cache holds; larger records than READ_CACHE_MAX_ENTRY_BYTES are never cached. */
export const READ_CACHE_BYTES = 16 * 1024 * 1024;
export const READ_CACHE_MAX_ENTRY_BYTES = 64 * 1024;

function deepFreeze<T>(v: T): T {
  if (v !== null && typeof v === 'object' && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const child of Object.values(v)) deepFreeze(child);
  }
  return v;
}

/**
 * A bounded map of frozen records with the same race rule as the barrier's plaintext cache: a
 * reader notes the generation before its storage read and installs what it read only if no write
 * happened meanwhile (it may have read the old value). Writers invalidate before and after.
 */
function createReadCache<V>() {
  const entries = new Map<string, { value: V; bytes: number }>();
  let bytes = 0;
  let generation = 0;
  const drop = (key: string): void => {
    const e = entries.get(key);
    if (e === undefined) return;
    entries.delete(key);
    bytes -= e.bytes;
  };
  return {
    get generation(): number {
      return generation;
    },
    get: (key: string): V | undefined => entries.get(key)?.value,
    /** Caches `value` (whose stored form is `size` bytes) unless a write happened since `seen`. */
    install(key: string, value: V, size: number, seen: number): void {
      if (seen !== generation || size > READ_CACHE_MAX_ENTRY_BYTES) return;
      drop(key);
      // Oldest first (insertion order) until both bounds hold with the new entry.
      for (const oldest of entries.keys()) {
        if (entries.size < READ_CACHE_ENTRIES && bytes + size <= READ_CACHE_BYTES) break;
        drop(oldest);
      }
      entries.set(key, { value, bytes: size });
      bytes += size;
    },
    invalidate(key: string): void {
      drop(key);
      generation++;
    },
    clear(): void {
      entries.clear();
      bytes = 0;
      generation++;
    },
  };
}

const versionKey = (path: string, n: number): string => `${VERSIONS_PREFIX}${path}/${n}`;

/** Wraps a mount's storage view; the engine config is cached (this instance is its only writer). */
export function createKv2Store(storage: Storage): Kv2Store {
  let config: EngineConfig | undefined;
  const metas = createReadCache<Readonly<SecretMeta>>();
  const versions = createReadCache<Readonly<Record<string, unknown>>>();
  /** Runs a storage write with `key` invalidated in `cache` before and after it. */
  const writing = async (cache: { invalidate(key: string): void }, key: string, write: () => Promise<void>): Promise<void> => {
    cache.invalidate(key);
    try {
      await write();
    } finally {
      cache.invalidate(key);
    }
  };
  return {
    storage,
    async getConfig() {
      config ??= parseEngineConfig(await getJson(storage, CONFIG_KEY));
      return config;
    },
    async putConfig(c) {
      await putJson(storage, CONFIG_KEY, c);
      config = c;
    },
    async getMeta(path) {
      return parseSecretMeta(await getJson(storage, META_PREFIX + path));
    },
    putMeta: (path, m) => writing(metas, path, () => putJson(storage, META_PREFIX + path, m)),
    deleteMeta: (path) => writing(metas, path, () => storage.delete(META_PREFIX + path)),
    async getVersion(path, n) {
      return parseVersionData(await getJson(storage, versionKey(path, n)));
    },
    putVersion: (path, n, data) => writing(versions, versionKey(path, n), () => putJson(storage, versionKey(path, n), { data })),
    deleteVersion: (path, n) => writing(versions, versionKey(path, n), () => storage.delete(versionKey(path, n))),
    listMeta: (prefix) => storage.list(META_PREFIX + prefix),
    async readMeta(path) {
      const hit = metas.get(path);
      if (hit !== undefined) return hit;
      const seen = metas.generation;
      const { value, size } = await getJsonSized(storage, META_PREFIX + path);
      const meta = parseSecretMeta(value);
      if (meta === undefined) return undefined;
      const frozen = deepFreeze(meta);
      metas.install(path, frozen, size, seen);
      return frozen;
    },
    async readVersion(path, n) {
      const key = versionKey(path, n);
      const hit = versions.get(key);
      if (hit !== undefined) return hit;
      const seen = versions.generation;
      const { value, size } = await getJsonSized(storage, key);
      const data = parseVersionData(value);
      if (data === undefined) return undefined;
      const frozen = deepFreeze(data);
      versions.install(key, frozen, size, seen);
      return frozen;
    },
    clearCache() {
      metas.clear();
      versions.clear();
    },
  };
}
