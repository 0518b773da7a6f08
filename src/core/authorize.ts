// Authorisation: a token's policies, plus the identity policies its entity earns, compile (cached)
// into an ACL, which decides each request. Templated policies render with the entity's identity.
// Root-protected paths additionally need `sudo`. A disabled entity's tokens are refused outright.

import type { Operation } from '../sdk/index.js';
import { permissionDenied } from '../shared/index.js';
import type { Acl, AclDecision, IdentityInfo } from './acl/index.js';
import type { IdentityStore } from './identity/index.js';
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
  /** Whether the token can do anything at or under the folder `prefix` (e.g. a mount path). */
  hasAccessUnder(token: TokenEntry, prefix: string): Promise<boolean>;
  /** Policies the token's entity earns (sorted; empty without an entity). */
  identityPolicies(token: TokenEntry): readonly string[];
}

export function createAuthorizer(policies: PolicyStore, identity: Pick<IdentityStore, 'resolve'>): Authorizer {
  const decide = (acl: Acl, req: Parameters<Authorizer['check']>[1]): AclDecision =>
    acl.check({
      path: req.path,
      operation: req.operation,
      ...(req.data ? { data: req.data } : {}),
      ...(req.wrapTtl !== undefined ? { wrapTtl: req.wrapTtl } : {}),
      sudoRequired: req.sudoRequired,
    });
  // Merged name lists are kept per (token policies, identity policies) pair so the policy store's
  // by-array fast path is not defeated by a fresh array on every request.
  const merged = new WeakMap<readonly string[], WeakMap<readonly string[], readonly string[]>>();
  const mergedNames = (tokenPolicies: readonly string[], idPolicies: readonly string[]): readonly string[] => {
    let inner = merged.get(tokenPolicies);
    if (!inner) merged.set(tokenPolicies, (inner = new WeakMap()));
    let names = inner.get(idPolicies);
    if (!names) inner.set(idPolicies, (names = [...new Set([...tokenPolicies, ...idPolicies])]));
    return names;
  };
  /** The policy names and identity an ACL is built from; throws permission denied for a disabled entity. */
  const subject = (token: TokenEntry): { names: readonly string[]; info: IdentityInfo | undefined } => {
    if (token.entityId === '') return { names: token.policies, info: undefined };
    const id = identity.resolve(token.entityId);
    if (id === undefined) return { names: token.policies, info: undefined };
    if (id.disabled) throw permissionDenied();
    return { names: id.policies.length === 0 ? token.policies : mergedNames(token.policies, id.policies), info: id.info };
  };
  const aclFor = (token: TokenEntry): Promise<Acl> => {
    const { names, info } = subject(token);
    return policies.acl(names, info);
  };
  return {
    // Not async: with the ACL already compiled the decision is synchronous, so spare the promise
    // hops of an async function; errors still surface as rejections.
    check(token, req) {
      try {
        const { names, info } = subject(token);
        if (info === undefined) {
          const acl = policies.cachedAcl(names);
          if (acl !== undefined) return Promise.resolve(decide(acl, req));
        }
        return policies.acl(names, info).then((acl) => decide(acl, req));
      } catch (e: unknown) {
        return rejection(e);
      }
    },
    async hasSudo(token, path) {
      const caps = (await aclFor(token)).capabilities(path);
      return caps.includes('root') || caps.includes('sudo');
    },
    async capabilities(token, path) {
      return (await aclFor(token)).capabilities(path);
    },
    async hasAccessUnder(token, prefix) {
      return (await aclFor(token)).hasAccessUnder(prefix);
    },
    identityPolicies(token) {
      if (token.entityId === '') return [];
      return identity.resolve(token.entityId)?.policies ?? [];
    },
  };
}
