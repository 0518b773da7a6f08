// Authorisation: a token's policies compile (cached) into an ACL, which decides each request.
// Root-protected paths additionally need `sudo`. Identity for templated policies arrives with the
// identity store; until then templated paths that need it simply do not match.

import type { Operation } from '../sdk/index.js';
import type { AclDecision } from './acl/index.js';
import type { PolicyStore } from './policy/policy-store.js';
import type { TokenEntry } from './token/index.js';

export interface Authorizer {
  /** The ACL decision for `path` (full path under /v1/) and `operation`. */
  check(token: TokenEntry, req: { path: string; operation: Operation; data: Record<string, unknown> | undefined; sudoRequired: boolean }): Promise<AclDecision>;
  /** Whether the token holds `sudo` (or root) on `path`. */
  hasSudo(token: TokenEntry, path: string): Promise<boolean>;
  /** Sorted capabilities of the token on `path` (`["root"]`, `["deny"]` as Vault reports them). */
  capabilities(token: TokenEntry, path: string): Promise<string[]>;
}

export function createAuthorizer(policies: PolicyStore): Authorizer {
  return {
    async check(token, req) {
      const acl = await policies.acl(token.policies);
      return acl.check({ path: req.path, operation: req.operation, ...(req.data ? { data: req.data } : {}), sudoRequired: req.sudoRequired });
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
