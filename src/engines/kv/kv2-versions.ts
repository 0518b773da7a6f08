// KV v2 version rules: effective limits (key settings over engine settings), adding and trimming
// versions, and the wire views of version and secret metadata.

import { formatGoDuration } from '../../shared/index.js';
import type { EngineConfig, SecretMeta, VersionMeta } from './kv2-records.js';

/** Vault keeps 10 versions when neither the key nor the engine sets a limit. */
export const DEFAULT_MAX_VERSIONS = 10;

/** The key's max_versions overrides the engine's; 0 on both means the default of 10. */
export function effectiveMaxVersions(config: EngineConfig, meta: SecretMeta): number {
  if (meta.maxVersions > 0) return meta.maxVersions;
  if (config.maxVersions > 0) return config.maxVersions;
  return DEFAULT_MAX_VERSIONS;
}

/**
 * When a version created at `created` becomes deleted, or null. A negative engine value disables
 * the feature; otherwise the key-level value applies, capped by the engine-level one.
 */
export function deletionTimeFor(created: number, config: EngineConfig, meta: SecretMeta): number | null {
  const engine = config.deleteVersionAfter;
  const key = meta.deleteVersionAfter;
  if (engine < 0) return null;
  let secs = 0;
  if (key > 0 && engine > 0) secs = Math.min(key, engine);
  else if (key > 0) secs = key;
  else if (engine > 0) secs = engine;
  return secs > 0 ? created + secs * 1000 : null;
}

export const isDeleted = (vm: VersionMeta, now: number): boolean => vm.deletion !== null && vm.deletion <= now;

/** Whether a read of this version must answer 404 with its metadata instead of its data. */
export const isUnreadable = (vm: VersionMeta, now: number): boolean => vm.destroyed || isDeleted(vm, now);

/**
 * Appends a new version to `meta` (mutating it) and trims past the effective limit. Returns the new
 * version number and the numbers whose payloads must now be removed from storage.
 */
export function addVersion(meta: SecretMeta, config: EngineConfig, now: number): { version: number; trimmed: number[] } {
  const version = meta.currentVersion + 1;
  meta.versions[String(version)] = { created: now, deletion: deletionTimeFor(now, config, meta), destroyed: false };
  meta.currentVersion = version;
  meta.updated = now;
  const max = effectiveMaxVersions(config, meta);
  const numbers = Object.keys(meta.versions)
    .map(Number)
    .sort((a, b) => a - b);
  const trimmed: number[] = [];
  while (numbers.length > max) {
    const n = numbers.shift();
    if (n === undefined) break;
    delete meta.versions[String(n)];
    trimmed.push(n);
  }
  if (trimmed.length > 0) meta.oldestVersion = numbers[0] ?? version;
  return { version, trimmed };
}

const iso = (ms: number): string => new Date(ms).toISOString();
const deletionIso = (vm: VersionMeta): string => (vm.deletion === null ? '' : iso(vm.deletion));

/** Formatted times of frozen (cached, shared) version records: formatting them is a hot-read cost. */
const formattedTimes = new WeakMap<VersionMeta, { created: string; deletion: string }>();

function times(vm: Readonly<VersionMeta>): { created: string; deletion: string } {
  const hit = formattedTimes.get(vm);
  if (hit !== undefined) return hit;
  const t = { created: iso(vm.created), deletion: deletionIso(vm) };
  if (Object.isFrozen(vm)) formattedTimes.set(vm, t);
  return t;
}

/** The `metadata` object of data reads and the `data` of write/patch responses. */
export function versionView(meta: Readonly<SecretMeta>, version: number, vm: Readonly<VersionMeta>): Record<string, unknown> {
  const t = times(vm);
  return {
    created_time: t.created,
    custom_metadata: meta.customMetadata,
    deletion_time: t.deletion,
    destroyed: vm.destroyed,
    version,
  };
}

/** The `data` of a metadata read. */
export function metadataView(meta: Readonly<SecretMeta>): Record<string, unknown> {
  const versions: Record<string, unknown> = {};
  for (const [n, vm] of Object.entries(meta.versions)) {
    versions[n] = { created_time: iso(vm.created), deletion_time: deletionIso(vm), destroyed: vm.destroyed };
  }
  return {
    cas_required: meta.casRequired,
    created_time: iso(meta.created),
    current_version: meta.currentVersion,
    custom_metadata: meta.customMetadata,
    delete_version_after: formatGoDuration(meta.deleteVersionAfter),
    max_versions: meta.maxVersions,
    oldest_version: meta.oldestVersion,
    updated_time: iso(meta.updated),
    versions,
  };
}
