// sys/capabilities, sys/capabilities-self and sys/capabilities-accessor: what a token may do on
// each of several paths. `paths` (list or comma string) or the deprecated `path` (the Go client
// still sends it).

import { dataResponse, definePath } from '../../sdk/index.js';
import { CofferError } from '../../shared/index.js';
import type { Authorizer } from '../authorize.js';
import { contextOf } from '../request-context.js';
import type { TokenEntry, TokenStore } from '../token/index.js';

const fields = {
  token: { type: 'string' as const },
  accessor: { type: 'string' as const },
  paths: { type: 'comma-list' as const },
  path: { type: 'comma-list' as const },
};

export function capabilitiesPaths(deps: { tokens: TokenStore; authorizer: Authorizer }) {
  const answer = async (entry: TokenEntry, paths: string[]) => {
    if (paths.length === 0) throw new CofferError('invalid_request', 'paths must be supplied');
    const data: Record<string, unknown> = {};
    for (const p of paths) data[p] = await deps.authorizer.capabilities(entry, p.replace(/^\/+/, ''));
    if (paths.length === 1) data['capabilities'] = data[paths[0] ?? ''];
    return dataResponse(data);
  };
  const pathsOf = (f: { paths: string[] | undefined; path: string[] | undefined }): string[] => {
    const p = f.paths && f.paths.length > 0 ? f.paths : (f.path ?? []);
    return [...new Set(p)];
  };
  return [
    definePath({
      pattern: 'capabilities',
      fields,
      operations: {
        update: async (req) => {
          const entry = req.fields.token ? await deps.tokens.lookup(req.fields.token) : undefined;
          if (!entry) throw new CofferError('invalid_request', 'invalid token');
          return answer(entry, pathsOf(req.fields));
        },
      },
    }),
    definePath({
      pattern: 'capabilities-self',
      fields,
      operations: {
        update: async (req) => {
          const entry = contextOf(req).tokenEntry;
          if (!entry) throw new CofferError('invalid_request', 'invalid token');
          return answer(entry, pathsOf(req.fields));
        },
      },
    }),
    definePath({
      pattern: 'capabilities-accessor',
      fields,
      operations: {
        update: async (req) => {
          const entry = req.fields.accessor ? await deps.tokens.lookupAccessor(req.fields.accessor) : undefined;
          if (!entry) throw new CofferError('invalid_request', 'invalid accessor');
          return answer(entry, pathsOf(req.fields));
        },
      },
    }),
  ];
}
