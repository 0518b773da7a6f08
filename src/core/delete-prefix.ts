// Deleting a whole subtree of storage (a disabled mount's data).

import type { Storage } from '../sdk/index.js';

/** Deletes every key under `prefix` (which ends in '/'). */
export async function deletePrefix(storage: Storage, prefix: string): Promise<void> {
  for (const child of await storage.list(prefix)) {
    if (child.endsWith('/')) await deletePrefix(storage, prefix + child);
    else await storage.delete(prefix + child);
  }
}
