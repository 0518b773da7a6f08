// KV v2 metadata/<path>: read, write, patch and delete a secret's metadata, and LIST a folder —
// one level as Vault does, or (Coffer extension) recursively with pagination:
//   LIST metadata/<prefix>/?recursive=true[&after=<key>][&limit=N][&filter=<glob>]
// returns data {"keys": [full paths relative to <prefix>/, sorted], "next_after": "<last key
// returned when more follow, else empty>"}. limit defaults to 1000 and is capped at 10000; the
// glob is matched against the full relative path ('*' any run including '/', '?' one character).
// An empty page is a 404 like any empty list.

import type { BackendResponse } from '../../sdk/index.js';
import { dataResponse, definePath, listResponse, noContent } from '../../sdk/index.js';
import { invalidRequest, notFound } from '../../shared/index.js';
import { decodeCustomMetadata, mergeCustomMetadata, validateCustomMetadata } from './custom-metadata.js';
import type { Kv2Context } from './kv2-context.js';
import type { SecretMeta } from './kv2-records.js';
import { newSecretMeta } from './kv2-records.js';
import { metadataView } from './kv2-versions.js';
import { compileGlob, listRecursive } from './recursive-list.js';

export const DEFAULT_LIST_LIMIT = 1000;
export const MAX_LIST_LIMIT = 10000;

const metadataFields = {
  max_versions: { type: 'int' as const, description: 'Versions to keep; 0 = the engine setting.' },
  cas_required: { type: 'bool' as const, description: 'Require check-and-set on every write.' },
  delete_version_after: { type: 'duration' as const, description: 'Delete each new version after this long.' },
  custom_metadata: { type: 'map' as const, description: 'Arbitrary string → string metadata.' },
  recursive: { type: 'bool' as const, description: 'LIST: every secret under the prefix, not one level.' },
  after: { type: 'string' as const, description: 'LIST recursive: start after this key.' },
  limit: { type: 'int' as const, description: 'LIST recursive: page size.' },
  filter: { type: 'string' as const, description: 'LIST recursive: glob on the relative key.' },
};

function checkSettings(maxVersions: number | undefined, dva: number | undefined): void {
  if (maxVersions !== undefined && maxVersions < 0) throw invalidRequest('max_versions must not be negative');
  if (dva !== undefined && dva < 0) throw invalidRequest('delete_version_after must not be negative');
}

export function kv2MetadataPaths(ctx: Kv2Context): ReturnType<typeof definePath>[] {
  const { store, clock, locks } = ctx;

  const secretPath = (raw: string | undefined): string => {
    const p = raw ?? '';
    if (p === '' || p.endsWith('/')) throw invalidRequest('missing secret path');
    return p;
  };

  return [
    definePath({
      pattern: 'metadata/*path?',
      fields: metadataFields,
      exists: async (req) => (await store.readMeta(req.params['path'] ?? '')) !== undefined,
      operations: {
        list: async (req): Promise<BackendResponse> => {
          const raw = req.params['path'] ?? '';
          const prefix = raw === '' || raw.endsWith('/') ? raw : raw + '/';
          if (req.fields.recursive !== true) return listResponse(await store.listMeta(prefix));
          const limit = Math.min(req.fields.limit ?? DEFAULT_LIST_LIMIT, MAX_LIST_LIMIT);
          if (limit < 1) throw invalidRequest('limit must be a positive integer');
          const filter = req.fields.filter;
          const page = await listRecursive((p) => store.listMeta(p), prefix, {
            after: req.fields.after ?? '',
            limit,
            ...(filter !== undefined && filter !== '' ? { filter: compileGlob(filter) } : {}),
          });
          if (page.keys.length === 0) return noContent();
          return dataResponse({ keys: page.keys, next_after: page.nextAfter });
        },
        read: async (req) => {
          const path = req.params['path'] ?? '';
          if (path === '' || path.endsWith('/')) return noContent();
          const meta = await store.readMeta(path);
          return meta === undefined ? noContent() : dataResponse(metadataView(meta));
        },
        update: async (req) => {
          const path = secretPath(req.params['path']);
          const f = req.fields;
          checkSettings(f.max_versions, f.delete_version_after);
          const custom = f.custom_metadata === undefined ? undefined : decodeCustomMetadata(f.custom_metadata);
          if (custom !== undefined) validateCustomMetadata(custom);
          return locks.run(path, async () => {
            const now = clock.now();
            const meta: SecretMeta = (await store.getMeta(path)) ?? newSecretMeta(now);
            if (f.max_versions !== undefined) meta.maxVersions = f.max_versions;
            if (f.cas_required !== undefined) meta.casRequired = f.cas_required;
            if (f.delete_version_after !== undefined) meta.deleteVersionAfter = f.delete_version_after;
            if (custom !== undefined) meta.customMetadata = custom;
            meta.updated = now;
            await store.putMeta(path, meta);
            return noContent();
          });
        },
        patch: async (req) => {
          const path = secretPath(req.params['path']);
          const f = req.fields;
          checkSettings(f.max_versions, f.delete_version_after);
          return locks.run(path, async () => {
            const meta = await store.getMeta(path);
            if (meta === undefined) throw notFound();
            if (f.max_versions !== undefined) meta.maxVersions = f.max_versions;
            if (f.cas_required !== undefined) meta.casRequired = f.cas_required;
            if (f.delete_version_after !== undefined) meta.deleteVersionAfter = f.delete_version_after;
            if (f.custom_metadata !== undefined) {
              const merged = mergeCustomMetadata(meta.customMetadata, f.custom_metadata);
              validateCustomMetadata(merged);
              meta.customMetadata = merged;
            }
            meta.updated = clock.now();
            await store.putMeta(path, meta);
            return noContent();
          });
        },
        delete: async (req) => {
          const path = secretPath(req.params['path']);
          return locks.run(path, async () => {
            const meta = await store.getMeta(path);
            if (meta === undefined) return noContent();
            await Promise.all(Object.keys(meta.versions).map((n) => store.deleteVersion(path, Number(n))));
            await store.deleteMeta(path);
            return noContent();
          });
        },
      },
      help: "A secret's metadata and versions; LIST lists secrets (recursive=true for every level).",
    }),
  ];
}
