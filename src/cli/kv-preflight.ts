// The KV version preflight the vault CLI does before every `kv` command: ask
// sys/internal/ui/mounts/<path> for the mount and its options.version. A 404 means an old server:
// assume KV v1.

import { ApiError } from '../api/index.js';
import type { ApiClient } from '../api/index.js';

export interface KvMount {
  /** Mount path with a trailing slash; '' when the server could not say (KV v1 assumed). */
  mountPath: string;
  version: 1 | 2;
}

/** The preflight is never wrapped (as in vault): its answer is needed in the clear. */
export async function kvPreflight(client: ApiClient, path: string): Promise<KvMount> {
  try {
    const m = await withoutWrapping(client, () => client.uiMount(path));
    return { mountPath: m.path, version: m.options?.['version'] === '2' ? 2 : 1 };
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) return { mountPath: '', version: 1 };
    throw e;
  }
}

/** Runs `fn` with the client's wrap TTL cleared, restoring it afterwards (for internal reads). */
export async function withoutWrapping<T>(client: ApiClient, fn: () => Promise<T>): Promise<T> {
  const saved = client.wrapTTL;
  client.wrapTTL = undefined;
  try {
    return await fn();
  } finally {
    client.wrapTTL = saved;
  }
}

/**
 * Inserts `prefix` (data, metadata, delete, …) after the mount: `secret/app` → `secret/data/app`.
 * A path that already starts with the prefix after the mount is left alone, as vault does.
 */
export function kvV2Path(path: string, mountPath: string, prefix: string): string {
  const mount = mountPath.replace(/\/+$/, '');
  const trimmed = path.replace(/^\/+/, '');
  const rest = trimmed === mount ? '' : trimmed.startsWith(mount + '/') ? trimmed.slice(mount.length + 1) : trimmed;
  if (rest === prefix || rest.startsWith(prefix + '/')) return `${mount}/${rest}`;
  return `${mount}/${prefix}/${rest}`;
}
