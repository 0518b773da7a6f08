// The token auth backend (auth/token/). Foundation scope: lookup-self, which clients call to
// verify a token (vault login, hvac is_authenticated). The full token API builds on this file.

import type { LogicalBackend } from '../sdk/index.js';
import { createBackend, dataResponse, definePath } from '../sdk/index.js';
import { permissionDenied } from '../shared/index.js';
import { contextOf } from './request-context.js';
import type { TokenEntry } from './token-store.js';

export function tokenLookupData(token: string, e: TokenEntry): Record<string, unknown> {
  return {
    accessor: e.accessor,
    creation_time: e.creationTime,
    creation_ttl: e.ttl,
    display_name: e.displayName,
    entity_id: '',
    expire_time: null,
    explicit_max_ttl: 0,
    id: token,
    issue_time: new Date(e.creationTime * 1000).toISOString(),
    meta: e.meta,
    num_uses: e.numUses,
    orphan: e.orphan,
    path: e.path,
    policies: [...e.policies].sort(),
    renewable: false,
    ttl: e.ttl,
    type: e.type,
  };
}

export function createTokenBackend(): LogicalBackend {
  const lookupSelf = (req: Parameters<LogicalBackend['handleRequest']>[0]) => {
    const ctx = contextOf(req);
    if (ctx.token === undefined || ctx.tokenEntry === undefined) return Promise.reject(permissionDenied());
    return Promise.resolve(dataResponse(tokenLookupData(ctx.token, ctx.tokenEntry)));
  };
  return createBackend({
    paths: [
      definePath({
        pattern: 'lookup-self',
        operations: { read: lookupSelf, update: lookupSelf },
        help: 'Look up the properties of the calling token.',
      }),
    ],
  });
}
