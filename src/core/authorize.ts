// Authorisation: a token's policies compile (cached) into an ACL, which decides each request.
// Root-protected paths additionally need `sudo`. Identity for templated policies arrives with the
// identity store; until then templated paths that need it simply do not match.

import type { Operation } from '../sdk/index.js';
import type { Acl, AclDecision } from './acl/index.js';
import type { PolicyStore } from './policy/policy-store.js';
import type { TokenEntry } from './token/index.js';

/** The rejection an async function would produce for a caught error (non-Errors get wrapped). */
const rejection = (e: unknown): Promise<never> => Promise.reject(e instanceof Error ? e : new Error(String(e)));

export interface Authorizer {
  /** The ACL decision for `path` (full path under /v1/) and `operation`. */
  check(
    token: TokenEntry,
    req: { path: string; operation: Operation; data: Record<string, unknown> | undefined; sudoRequired: boolean; wrapTtl?: number },
  ): Promise<AclDecision>;
  /** Whether the token holds `sudo` (or root) on `path`. */
  hasSudo(token: TokenEntry, path: string): Promise<boolean>;
  /** Sorted capabilities of the token on `path` (`["root"]`, `["deny"]` as Vault reports them). */
  capabilities(token: TokenEntry, path: string): Promise<string[]>;
}

export function createAuthorizer(policies: PolicyStore): Authorizer {
  const decide = (acl: Acl, req: Parameters<Authorizer['check']>[1]): AclDecision =>
    acl.check({
      path: req.path,
      operation: req.operation,
      ...(req.data ? { data: req.data } : {}),
      ...(req.wrapTtl !== undefined ? { wrapTtl: req.wrapTtl } : {}),
      sudoRequired: req.sudoRequired,
    });
  return {
    // Not async: with the ACL already compiled the decision is synchronous, so spare the promise
    // hops of an async function; errors still surface as rejections.
    check(token, req) {
      try {
        const acl = policies.cachedAcl(token.policies);
        if (acl !== undefined) return Promise.resolve(decide(acl, req));
      } catch (e: unknown) {
        return rejection(e);
      }
      return policies.acl(token.policies).then((acl) => decide(acl, req));
    },
    async hasSudo(token, path) {
      const caps = (await policies.acl(token.policies)).capabilities(path);
      return caps.includes('root') || caps.includes('sudo');
    },
    async capabilities(token, path) {
      return (await policies.acl(token.policies)).capabilities(path);
    },
  };
}
