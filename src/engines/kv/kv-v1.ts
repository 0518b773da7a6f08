// KV version 1: an unversioned key/value store. Values are arbitrary JSON objects stored as
// given; reads advertise a refresh interval (the stored "ttl"/"lease" or the mount default).

import type { BackendConfig, LogicalBackend, PathRequest, Storage } from '../../sdk/index.js';
import { createBackend, dataResponse, definePath, getJson, listResponse, noContent, putJson } from '../../sdk/index.js';
import { CofferError, parseDurationSeconds } from '../../shared/index.js';

type Empty = Record<never, never>;

function storedObject(v: unknown, key: string): Record<string, unknown> {
  if (v !== null && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
  throw new CofferError('internal', `stored entry ${JSON.stringify(key)} is not an object`);
}

/** The advisory lease duration: a parsable "ttl" (or legacy "lease") field, else the mount default. */
const REFRESH_FIELDS = ['ttl', 'lease'] as const;

function refreshInterval(data: Record<string, unknown>, config: BackendConfig): number {
  for (const field of REFRESH_FIELDS) {
    const v = data[field];
    if (v === undefined) continue;
    try {
      const secs = parseDurationSeconds(v, field);
      if (secs > 0) return secs;
    } catch {
      // An unparsable ttl is just data; fall back to the default like Vault does.
    }
  }
  return config.system.defaultLeaseTtl();
}

export function createKvV1Backend(config: BackendConfig): LogicalBackend {
  const storage: Storage = config.storage;
  const exists = async (req: PathRequest<Empty>): Promise<boolean> => (await storage.get(req.params['key'] ?? '')) !== undefined;

  return createBackend({
    paths: [
      // Every key of the mount; list paths are "" or end in '/'.
      definePath({
        pattern: '*key?',
        anyData: true,
        exists,
        operations: {
          list: async (req) => {
            const prefix = req.params['key'] ?? '';
            if (prefix !== '' && !prefix.endsWith('/')) return listResponse(await storage.list(prefix + '/'));
            return listResponse(await storage.list(prefix));
          },
          read: async (req) => {
            const key = req.params['key'] ?? '';
            if (key === '' || key.endsWith('/')) return noContent();
            const v = await getJson(storage, key);
            if (v === undefined) return noContent();
            const data = storedObject(v, key);
            return dataResponse(data, { leaseDuration: refreshInterval(data, config) });
          },
          update: async (req) => {
            const key = req.params['key'] ?? '';
            if (key === '' || key.endsWith('/')) throw new CofferError('invalid_request', "cannot write to a path ending in '/'");
            if (req.data === undefined || Object.keys(req.data).length === 0) {
              throw new CofferError('invalid_request', 'missing data fields');
            }
            await putJson(storage, key, req.data);
            return noContent();
          },
          delete: async (req) => {
            const key = req.params['key'] ?? '';
            if (key !== '') await storage.delete(key);
            return noContent();
          },
        },
        help: 'Pass-through secret storage: read, write, list and delete arbitrary JSON objects.',
      }),
    ],
  });
}
