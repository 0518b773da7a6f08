// Upgrade of a KV v1 mount to the v2 layout, run when a v2 backend starts on a view without the
// layout marker: every v1 key (anything outside `_kv2/`) becomes version 1 of a v2 secret at the
// same path and the v1 entry is removed; the marker is written last, so an interrupted upgrade
// simply resumes (already-moved keys live under `_kv2/` and are not seen again).

import type { Storage } from '../../sdk/index.js';
import { collectKeys, getJson, putJson } from '../../sdk/index.js';
import type { Logger } from '../../shared/index.js';
import { newSecretMeta } from './kv2-records.js';
import type { Kv2Store } from './kv2-store.js';
import { LAYOUT_KEY, ROOT } from './kv2-store.js';
import { addVersion } from './kv2-versions.js';

const BATCH = 64;

/** Ensures the v2 layout exists, migrating v1 keys first. Returns how many keys were migrated. */
export async function ensureKv2Layout(store: Kv2Store, now: () => number, logger: Logger): Promise<number> {
  const storage: Storage = store.storage;
  if ((await storage.get(LAYOUT_KEY)) !== undefined) return 0;
  const legacy = (await collectKeys(storage, '')).filter((k) => !k.startsWith(ROOT));
  const config = await store.getConfig();
  let migrated = 0;
  for (let i = 0; i < legacy.length; i += BATCH) {
    await Promise.all(
      legacy.slice(i, i + BATCH).map(async (key) => {
        const value = await getJson(storage, key);
        if (value === null || typeof value !== 'object' || Array.isArray(value)) {
          logger.warn({ key }, 'kv upgrade: skipping a v1 entry that is not a JSON object');
          return;
        }
        // Metadata already present means an interrupted run moved this key before deleting it.
        if ((await store.getMeta(key)) === undefined) {
          const meta = newSecretMeta(now());
          const { version } = addVersion(meta, config, meta.created);
          await store.putVersion(key, version, value as Record<string, unknown>);
          await store.putMeta(key, meta);
        }
        await storage.delete(key);
        migrated++;
      }),
    );
  }
  await putJson(storage, LAYOUT_KEY, { layout: 1 });
  if (migrated > 0) logger.info({ keys: migrated }, 'kv upgrade: migrated v1 keys to v2 version 1');
  return migrated;
}
