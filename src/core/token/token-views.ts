// Wire-facing views of a token: the lookup `data` object and the envelope's `auth` object.

import type { AuthResponse } from '../../sdk/index.js';
import type { TokenEntry } from './token-entry.js';

const iso = (ms: number): string => new Date(ms).toISOString();

/**
 * The data of auth/token/lookup*: every key Vault returns. `id` is the token itself ("" for
 * lookup-accessor); `ttl` is the remaining lifetime in seconds.
 */
export function lookupData(e: TokenEntry, id: string, ttl: number, identityPolicies: readonly string[] = []): Record<string, unknown> {
  const leased = e.expireTime !== 0;
  const out: Record<string, unknown> = {
    accessor: e.accessor,
    creation_time: Math.floor(e.creationTime / 1000),
    creation_ttl: e.ttl,
    display_name: e.displayName,
    entity_id: e.entityId,
    expire_time: leased ? iso(e.expireTime) : null,
    explicit_max_ttl: e.explicitMaxTtl,
    id,
  };
  if (identityPolicies.length > 0) out['identity_policies'] = [...identityPolicies];
  if (leased) out['issue_time'] = iso(e.creationTime);
  out['meta'] = e.meta;
  out['num_uses'] = Math.max(0, e.numUses);
  out['orphan'] = e.orphan;
  out['path'] = e.path;
  out['policies'] = [...e.policies];
  if (leased) out['renewable'] = e.renewable;
  out['ttl'] = ttl;
  out['type'] = e.type;
  if (e.lastRenewal > 0) {
    out['last_renewal_time'] = Math.floor(e.lastRenewal / 1000);
    out['last_renewal'] = iso(e.lastRenewal);
  }
  if (e.period > 0) out['period'] = e.period;
  if (e.role !== '') out['role'] = e.role;
  if (e.boundCidrs.length > 0) out['bound_cidrs'] = [...e.boundCidrs];
  return out;
}

/**
 * The envelope's auth object for a token; `clientToken` is "" where Vault withholds it. Identity
 * policies (the entity's and its groups') are listed apart and folded into `policies`.
 */
export function authFor(e: TokenEntry, clientToken: string, leaseDuration: number, identityPolicies: readonly string[] = []): AuthResponse {
  const tokenPolicies = [...e.policies].sort();
  const policies = identityPolicies.length === 0 ? tokenPolicies : [...new Set([...tokenPolicies, ...identityPolicies])].sort();
  return {
    clientToken,
    accessor: e.accessor,
    policies,
    tokenPolicies,
    ...(identityPolicies.length > 0 ? { identityPolicies: [...identityPolicies] } : {}),
    metadata: e.meta,
    leaseDuration,
    renewable: e.renewable && leaseDuration > 0,
    entityId: e.entityId,
    tokenType: e.type,
    orphan: e.orphan,
    mfaRequirement: null,
    numUses: Math.max(0, e.numUses),
  };
}
