// KV v2 storage layout. Everything lives under the reserved top-level folder `_kv2/` so that a
// mount upgraded from v1 can tell its old keys apart from the new layout:
//   _kv2/layout              marker {"layout":1}; present once the v2 layout is in use
//   _kv2/config              engine config (EngineConfig JSON)
//   _kv2/meta/<path>         one secret's metadata (SecretMeta JSON, incl. the versions map)
//   _kv2/versions/<path>/<n> version n's payload {"data":{...}}
// A write costs two puts (version + metadata), issued together so one group commit can take both.

import type { Storage } from '../../sdk/index.js';
import { getJson, putJson } from '../../sdk/index.js';
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
}

const versionKey = (path: string, n: number): string => `${VERSIONS_PREFIX}${path}/${n}`;

/** Wraps a mount's storage view; the engine config is cached (this instance is its only writer). */
export function createKv2Store(storage: Storage): Kv2Store {
  let config: EngineConfig | undefined;
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
    putMeta: (path, m) => putJson(storage, META_PREFIX + path, m),
    deleteMeta: (path) => storage.delete(META_PREFIX + path),
    async getVersion(path, n) {
      return parseVersionData(await getJson(storage, versionKey(path, n)));
    },
    putVersion: (path, n, data) => putJson(storage, versionKey(path, n), { data }),
    deleteVersion: (path, n) => storage.delete(versionKey(path, n)),
    listMeta: (prefix) => storage.list(META_PREFIX + prefix),
  };
}
