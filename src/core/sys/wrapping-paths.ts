// sys/wrapping/wrap, unwrap, lookup and rewrap. Wrapping itself happens in the request pipeline
// (any response can be wrapped); these endpoints wrap arbitrary data and read wrapped responses.

import type { BackendResponse } from '../../sdk/index.js';
import { dataResponse, definePath } from '../../sdk/index.js';
import { CofferError } from '../../shared/index.js';
import { contextOf } from '../request-context.js';
import type { TokenEntry, TokenStore } from '../token/index.js';
import type { Wrapper } from '../wrapping.js';

const tokenField = { token: { type: 'string' as const } };
const notValid = (): CofferError => new CofferError('invalid_request', 'wrapping token is not valid or does not exist');

export function wrappingPaths(deps: { tokens: TokenStore; wrapper: Wrapper }) {
  const { tokens, wrapper } = deps;
  /** The wrapping token from the body, else the caller's own token; `fromBody` tells which. */
  const wrappingToken = async (bodyToken: string | undefined, caller: TokenEntry | undefined): Promise<{ entry: TokenEntry; fromBody: boolean }> => {
    if (bodyToken !== undefined && bodyToken !== '') {
      const entry = await tokens.lookup(bodyToken);
      if (!entry) throw notValid();
      return { entry, fromBody: true };
    }
    if (!caller) throw notValid();
    return { entry: caller, fromBody: false };
  };
  return [
    definePath({
      pattern: 'wrapping/wrap',
      anyData: true,
      operations: {
        update: async (req) => {
          if (req.data === undefined || Object.keys(req.data).length === 0) throw new CofferError('invalid_request', 'empty wrapping data');
          // The pipeline wraps this response (5 minutes unless X-Vault-Wrap-TTL says otherwise).
          return dataResponse(req.data);
        },
      },
    }),
    definePath({
      pattern: 'wrapping/unwrap',
      fields: tokenField,
      operations: {
        update: async (req): Promise<BackendResponse> => {
          const { entry, fromBody } = await wrappingToken(req.fields.token, contextOf(req).tokenEntry);
          // From the body: revoke it now. As the caller's token: its single use ends it after the request.
          const body = await wrapper.unwrap(entry, { revoke: fromBody });
          return {
            kind: 'data',
            data: body.data,
            ...(body.auth ? { auth: body.auth } : {}),
            ...(body.warnings ? { warnings: body.warnings } : {}),
            ...(body.leaseId !== '' || body.leaseDuration !== 0 ? { leaseRenewal: { leaseId: body.leaseId, ttl: body.leaseDuration, renewable: body.renewable } } : {}),
          };
        },
      },
    }),
    definePath({
      pattern: 'wrapping/lookup',
      fields: tokenField,
      operations: {
        update: async (req) => {
          const { entry } = await wrappingToken(req.fields.token, undefined);
          const info = await wrapper.lookup(entry);
          return dataResponse({ creation_path: info.creationPath, creation_time: info.creationTime, creation_ttl: info.creationTtl });
        },
      },
    }),
    definePath({
      pattern: 'wrapping/rewrap',
      fields: tokenField,
      operations: {
        update: async (req) => {
          const ctx = contextOf(req);
          const { entry } = await wrappingToken(req.fields.token, ctx.tokenEntry);
          ctx.wrapInfo = await wrapper.rewrap(entry);
          return { kind: 'data', data: null };
        },
      },
    }),
  ];
}
