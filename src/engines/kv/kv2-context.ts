// What every KV v2 path handler shares: the store, the clock, the per-secret lock, and the
// check-and-set rule.

import { parseField } from '../../sdk/index.js';
import type { Clock, KeyedMutex } from '../../shared/index.js';
import { CofferError } from '../../shared/index.js';
import type { EngineConfig, SecretMeta } from './kv2-records.js';
import type { Kv2Store } from './kv2-store.js';

export interface Kv2Context {
  store: Kv2Store;
  clock: Clock;
  /** Serialises read-modify-write of one secret (keyed by its path). */
  locks: KeyedMutex;
}

/** The lock key of the engine config (cannot collide with a secret path, which never starts with NUL). */
export const CONFIG_LOCK = '\u0000config';

/**
 * Reads `options.cas` as Vault does: decoded weakly; present-but-null counts as 0.
 * Returns undefined when the caller sent no cas.
 */
export function readCas(options: Record<string, unknown> | undefined): number | undefined {
  if (options === undefined || !('cas' in options)) return undefined;
  const raw = options['cas'];
  if (raw === null || raw === undefined) return 0;
  try {
    return parseField('cas', 'int', raw);
  } catch {
    throw new CofferError('invalid_request', 'error parsing check-and-set parameter');
  }
}

/** Enforces check-and-set for a write to a secret whose current version is `meta.currentVersion`. */
export function checkCas(cas: number | undefined, config: EngineConfig, meta: SecretMeta | undefined): void {
  const current = meta?.currentVersion ?? 0;
  if (cas !== undefined) {
    if (cas !== current) throw new CofferError('invalid_request', 'check-and-set parameter did not match the current version');
    return;
  }
  if (config.casRequired || meta?.casRequired === true) {
    throw new CofferError('invalid_request', 'check-and-set parameter required for this call');
  }
}
