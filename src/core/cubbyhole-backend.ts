// The cubbyhole backend (cubbyhole/): private storage per token. Each token sees only keys under
// its own (salted-hash) prefix; the data is destroyed when the token is revoked or expires.

import type { BackendRequest, LogicalBackend, Storage } from '../sdk/index.js';
import { createBackend, dataResponse, definePath, getJson, listResponse, noContent, putJson } from '../sdk/index.js';
import { CofferError, permissionDenied } from '../shared/index.js';
import { deletePrefix } from './delete-prefix.js';
import { contextOf } from './request-context.js';

/** The caller's own prefix inside the cubbyhole mount. */
function ownPrefix(req: BackendRequest): string {
  const entry = contextOf(req).tokenEntry;
  if (!entry) throw permissionDenied();
  if (entry.type === 'batch') throw new CofferError('invalid_request', 'cubbyhole is not available to batch tokens');
  return `${entry.idHash}/`;
}

export function createCubbyholeBackend(): LogicalBackend {
  const keyOf = (req: BackendRequest & { params: Readonly<Record<string, string>> }): string => req.params['key'] ?? '';
  return createBackend({
    paths: [
      definePath({
        pattern: '*key?',
        anyData: true,
        exists: async (req) => (await req.storage.get(ownPrefix(req) + keyOf(req))) !== undefined,
        operations: {
          list: async (req) => {
            const key = keyOf(req);
            const prefix = key === '' || key.endsWith('/') ? key : key + '/';
            return listResponse(await req.storage.list(ownPrefix(req) + prefix));
          },
          read: async (req) => {
            const key = keyOf(req);
            if (key === '' || key.endsWith('/')) return noContent();
            const v = await getJson(req.storage, ownPrefix(req) + key);
            if (v === undefined || v === null || typeof v !== 'object') return noContent();
            return dataResponse(v as Record<string, unknown>);
          },
          update: async (req) => {
            const key = keyOf(req);
            if (key === '' || key.endsWith('/')) throw new CofferError('invalid_request', "cannot write to a path ending in '/'");
            if (req.data === undefined || Object.keys(req.data).length === 0) throw new CofferError('invalid_request', 'missing data fields');
            await putJson(req.storage, ownPrefix(req) + key, req.data);
            return noContent();
          },
          delete: async (req) => {
            const key = keyOf(req);
            if (key !== '') await req.storage.delete(ownPrefix(req) + key);
            return noContent();
          },
        },
        help: "Private storage of the calling token, destroyed with it.",
      }),
    ],
  });
}

/** Destroys a token's cubbyhole (called when the token is revoked or expires). */
export async function destroyCubbyhole(storage: Storage, idHash: string): Promise<void> {
  await deletePrefix(storage, `${idHash}/`);
}
