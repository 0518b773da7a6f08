// Merges config fragments in order, as Vault merges several -config files: later files
// override scalar settings, storage and ha_storage; listeners, seals and warnings accumulate.

import { assignOwn } from './assign-own.js';
import type { ConfigFragment } from './parse-server-config.js';
import type { ServerConfig } from './types.js';

/** Folds fragments left to right into a complete ServerConfig with defaults filled in. */
export function mergeConfigFragments(fragments: readonly ConfigFragment[]): ServerConfig {
  const out: ServerConfig = {
    listeners: [],
    ui: false,
    disableMlock: false,
    rawStorageEndpoint: false,
    telemetry: {},
    seals: [],
    warnings: [],
  };
  for (const f of fragments) {
    Object.assign(out, f.settings);
    if (f.storage) out.storage = f.storage;
    if (f.haStorage) out.haStorage = f.haStorage;
    out.listeners.push(...f.listeners);
    out.seals.push(...f.seals);
    assignOwn(out.telemetry, f.telemetry);
    out.warnings.push(...f.warnings);
  }
  return out;
}
