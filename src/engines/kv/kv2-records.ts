// KV v2 stored records (engine config, per-secret metadata, version payloads) and their parsers.
// Storage JSON enters as `unknown` and is checked here once; times are ms since the epoch.

import { CofferError } from '../../shared/index.js';

/** Engine-wide settings (`config`); durations in seconds, 0 = unset. */
export interface EngineConfig {
  maxVersions: number;
  casRequired: boolean;
  /** Negative disables delete_version_after on every key. */
  deleteVersionAfter: number;
}

export interface VersionMeta {
  created: number;
  /** When the version counts as deleted (may be in the future); null = not deleted. */
  deletion: number | null;
  destroyed: boolean;
}

/** One secret's metadata; `versions` is keyed by the decimal version number. */
export interface SecretMeta {
  created: number;
  updated: number;
  currentVersion: number;
  /** 0 until trimming first removes a version (as Vault reports it). */
  oldestVersion: number;
  maxVersions: number;
  casRequired: boolean;
  deleteVersionAfter: number;
  customMetadata: Record<string, string> | null;
  versions: Record<string, VersionMeta>;
}

export const defaultEngineConfig = (): EngineConfig => ({ maxVersions: 0, casRequired: false, deleteVersionAfter: 0 });

export const newSecretMeta = (now: number): SecretMeta => ({
  created: now,
  updated: now,
  currentVersion: 0,
  oldestVersion: 0,
  maxVersions: 0,
  casRequired: false,
  deleteVersionAfter: 0,
  customMetadata: null,
  versions: {},
});

function corrupt(what: string): CofferError {
  return new CofferError('internal', `stored kv v2 ${what} is malformed`);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function num(o: Record<string, unknown>, k: string, what: string): number {
  const v = o[k];
  if (typeof v !== 'number' || !Number.isFinite(v)) throw corrupt(what);
  return v;
}

function bool(o: Record<string, unknown>, k: string, what: string): boolean {
  const v = o[k];
  if (typeof v !== 'boolean') throw corrupt(what);
  return v;
}

export function parseEngineConfig(v: unknown): EngineConfig {
  if (v === undefined) return defaultEngineConfig();
  if (!isObject(v)) throw corrupt('config');
  return {
    maxVersions: num(v, 'maxVersions', 'config'),
    casRequired: bool(v, 'casRequired', 'config'),
    deleteVersionAfter: num(v, 'deleteVersionAfter', 'config'),
  };
}

function parseVersionMeta(v: unknown): VersionMeta {
  if (!isObject(v)) throw corrupt('version metadata');
  const d = v['deletion'];
  if (d !== null && (typeof d !== 'number' || !Number.isFinite(d))) throw corrupt('version metadata');
  return { created: num(v, 'created', 'version metadata'), deletion: d, destroyed: bool(v, 'destroyed', 'version metadata') };
}

export function parseSecretMeta(v: unknown): SecretMeta | undefined {
  if (v === undefined) return undefined;
  if (!isObject(v)) throw corrupt('metadata');
  const cm = v['customMetadata'];
  let customMetadata: Record<string, string> | null = null;
  if (cm !== null) {
    if (!isObject(cm)) throw corrupt('metadata');
    customMetadata = {};
    for (const [k, x] of Object.entries(cm)) {
      if (typeof x !== 'string') throw corrupt('metadata');
      customMetadata[k] = x;
    }
  }
  const vs = v['versions'];
  if (!isObject(vs)) throw corrupt('metadata');
  const versions: Record<string, VersionMeta> = {};
  for (const [k, x] of Object.entries(vs)) versions[k] = parseVersionMeta(x);
  return {
    created: num(v, 'created', 'metadata'),
    updated: num(v, 'updated', 'metadata'),
    currentVersion: num(v, 'currentVersion', 'metadata'),
    oldestVersion: num(v, 'oldestVersion', 'metadata'),
    maxVersions: num(v, 'maxVersions', 'metadata'),
    casRequired: bool(v, 'casRequired', 'metadata'),
    deleteVersionAfter: num(v, 'deleteVersionAfter', 'metadata'),
    customMetadata,
    versions,
  };
}

/** A version's payload record: `{ "data": {...} }`. Undefined when absent. */
export function parseVersionData(v: unknown): Record<string, unknown> | undefined {
  if (v === undefined) return undefined;
  if (!isObject(v) || !isObject(v['data'])) throw corrupt('version');
  return v['data'];
}
