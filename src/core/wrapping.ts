// Response wrapping: a response is stored in the cubbyhole of a fresh single-use token (policy
// `response-wrapping`, TTL = the wrap TTL) and the client gets only wrap_info. Unwrapping reads it
// back once; the token dies with its single use (or is revoked when unwrapped by another token).

import type { Storage } from '../sdk/index.js';
import { getJson, putJson } from '../sdk/index.js';
import type { Clock } from '../shared/index.js';
import { CofferError } from '../shared/index.js';
import type { ResponseBody } from './request-handler.js';
import type { TokenEntry, TokenStore } from './token/index.js';

export interface WrapInfo {
  token: string;
  accessor: string;
  /** seconds */
  ttl: number;
  /** RFC 3339 */
  creationTime: string;
  creationPath: string;
  /** Set when the wrapped response issued a token. */
  wrappedAccessor: string;
}

/** What is kept in the wrapping token's cubbyhole. */
interface StoredWrap {
  creationPath: string;
  creationTime: string;
  ttl: number;
  body: Omit<ResponseBody, 'requestId' | 'wrapInfo'>;
}

export const RESPONSE_WRAPPING_POLICY = 'response-wrapping';
/** The built-in policy of wrapping tokens: their own response, and the wrapping endpoints. */
export const RESPONSE_WRAPPING_POLICY_TEXT = `path "cubbyhole/response" { capabilities = ["create", "read"] }
path "sys/wrapping/*" { capabilities = ["update"] }
`;

/** The default wrap TTL of sys/wrapping/wrap when no X-Vault-Wrap-TTL is given. */
export const DEFAULT_WRAP_TTL = 300;

export interface Wrapper {
  wrap(body: ResponseBody, ttl: number, creationPath: string): Promise<WrapInfo>;
  /** The wrapped response, once: the wrapping token is revoked afterwards. */
  unwrap(entry: TokenEntry, opts: { revoke: boolean }): Promise<Omit<ResponseBody, 'requestId' | 'wrapInfo'>>;
  lookup(entry: TokenEntry): Promise<{ creationPath: string; creationTime: string; creationTtl: number }>;
  /** A new wrapping token holding the same response; the old one is revoked. */
  rewrap(entry: TokenEntry): Promise<WrapInfo>;
}

export function createWrapper(deps: { tokens: TokenStore; cubbyhole: () => Storage | undefined; clock: Clock }): Wrapper {
  const { tokens, clock } = deps;
  const cubby = (): Storage => {
    const s = deps.cubbyhole();
    if (!s) throw new CofferError('internal', 'cubbyhole is not mounted');
    return s;
  };
  const keyOf = (e: TokenEntry): string => `${e.idHash}/response`;
  const isWrappingToken = (e: TokenEntry): boolean => e.policies.length === 1 && e.policies[0] === RESPONSE_WRAPPING_POLICY;
  const notValid = (): CofferError => new CofferError('invalid_request', 'wrapping token is not valid or does not exist');

  const load = async (e: TokenEntry): Promise<StoredWrap> => {
    if (!isWrappingToken(e)) throw notValid();
    const stored = (await getJson(cubby(), keyOf(e))) as StoredWrap | undefined;
    if (!stored) throw notValid();
    return stored;
  };

  const store = async (stored: StoredWrap): Promise<WrapInfo> => {
    const issued = await tokens.createFromGrant(
      {
        policies: [RESPONSE_WRAPPING_POLICY],
        noDefaultPolicy: true,
        ttl: stored.ttl,
        maxTtl: stored.ttl,
        period: 0,
        numUses: 1,
        meta: null,
        displayName: 'response-wrapping',
        entityId: '',
        tokenType: 'service',
      },
      { path: stored.creationPath, mountMaxTtl: stored.ttl, mountDefaultTtl: stored.ttl },
    );
    await putJson(cubby(), keyOf(issued.entry), stored);
    return {
      token: issued.token,
      accessor: issued.entry.accessor,
      ttl: stored.ttl,
      creationTime: stored.creationTime,
      creationPath: stored.creationPath,
      wrappedAccessor: stored.body.auth?.accessor ?? '',
    };
  };

  return {
    async wrap(body, ttl, creationPath) {
      const { requestId: _r, ...rest } = body;
      return store({ creationPath, creationTime: new Date(clock.now()).toISOString(), ttl, body: rest });
    },
    async unwrap(entry, opts) {
      const stored = await load(entry);
      await cubby().delete(keyOf(entry));
      if (opts.revoke) await tokens.revoke(entry);
      return stored.body;
    },
    async lookup(entry) {
      const stored = await load(entry);
      return { creationPath: stored.creationPath, creationTime: stored.creationTime, creationTtl: stored.ttl };
    },
    async rewrap(entry) {
      const stored = await load(entry);
      const info = await store({ ...stored, creationTime: new Date(clock.now()).toISOString() });
      await cubby().delete(keyOf(entry));
      await tokens.revoke(entry);
      return info;
    },
  };
}
