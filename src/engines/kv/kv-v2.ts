// KV version 2: versioned secrets with metadata, check-and-set, soft delete and destroy, on Vault's
// wire shapes. Storage layout: kv2-store.ts. On start it upgrades a v1 mount in place (kv2-upgrade.ts).

import type { BackendConfig, BackendResponse, LogicalBackend, Operation } from '../../sdk/index.js';
import { createBackend, dataResponse, definePath, noContent } from '../../sdk/index.js';
import { createKeyedMutex, formatGoDuration, invalidRequest } from '../../shared/index.js';
import type { Kv2Context } from './kv2-context.js';
import { CONFIG_LOCK } from './kv2-context.js';
import { kv2DataPaths } from './kv2-data-paths.js';
import { kv2MetadataPaths } from './kv2-metadata-paths.js';
import { createKv2Store } from './kv2-store.js';
import { ensureKv2Layout } from './kv2-upgrade.js';

const CLI_VERB: Record<Operation, string> = { read: 'get', list: 'list', create: 'put', update: 'put', patch: 'patch', delete: 'delete' };

/** The warning Vault gives for a path outside config/ data/ metadata/ … on a versioned mount. */
export function invalidPathWarning(op: Operation): string {
  return (
    'Invalid path for a versioned K/V secrets engine. See the API docs for the appropriate API endpoints to use. ' +
    `If using the Vault CLI, use 'vault kv ${CLI_VERB[op]}' for this operation.`
  );
}

/** Builds a KV v2 backend, first migrating any v1 keys in its storage view to version 1 secrets. */
export async function createKvV2Backend(config: BackendConfig): Promise<LogicalBackend> {
  const store = createKv2Store(config.storage);
  const ctx: Kv2Context = { store, clock: config.clock, locks: createKeyedMutex() };
  await ensureKv2Layout(store, () => config.clock.now(), config.logger);

  const wrongPrefix = async (req: { operation: Operation }): Promise<BackendResponse> => ({
    kind: 'data',
    data: null,
    notFound: true,
    warnings: [invalidPathWarning(req.operation)],
  });

  return createBackend({
    // Unloaded (sealed, unmounted): no decrypted record stays cached in this process.
    cleanup: () => Promise.resolve(store.clearCache()),
    paths: [
      definePath({
        pattern: 'config',
        fields: {
          max_versions: { type: 'int', description: 'Versions kept per key; 0 = 10.' },
          cas_required: { type: 'bool', description: 'Require check-and-set on every write.' },
          delete_version_after: { type: 'duration', description: 'Delete versions after this long; negative disables.' },
        },
        operations: {
          read: async () => {
            const c = await store.getConfig();
            return dataResponse({ cas_required: c.casRequired, delete_version_after: formatGoDuration(c.deleteVersionAfter), max_versions: c.maxVersions });
          },
          update: async (req) => {
            const f = req.fields;
            if (f.max_versions !== undefined && f.max_versions < 0) throw invalidRequest('max_versions must not be negative');
            return ctx.locks.run(CONFIG_LOCK, async () => {
              const next = { ...(await store.getConfig()) };
              if (f.max_versions !== undefined) next.maxVersions = f.max_versions;
              if (f.cas_required !== undefined) next.casRequired = f.cas_required;
              if (f.delete_version_after !== undefined) next.deleteVersionAfter = f.delete_version_after;
              await store.putConfig(next);
              return noContent();
            });
          },
        },
        help: 'Engine-wide defaults for max_versions, cas_required and delete_version_after.',
      }),
      ...kv2DataPaths(ctx),
      ...kv2MetadataPaths(ctx),
      // Anything else (e.g. a v1-style `<mount>/foo`) gets Vault's 404 with a pointer to the kv CLI.
      definePath({
        pattern: '*rest?',
        anyData: true,
        operations: { read: wrongPrefix, list: wrongPrefix, update: wrongPrefix, create: wrongPrefix, patch: wrongPrefix, delete: wrongPrefix },
      }),
    ],
  });
}
