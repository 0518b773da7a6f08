// Login grants: what an auth method hands the core instead of a token (policies, TTLs, uses,
// metadata, entity), and the rules that turn one into an orphan token record.

import { CofferError } from '../../shared/index.js';
import type { BatchBody } from './batch-token.js';
import { parseCidrList } from './bound-cidrs.js';
import { sanitizePolicies } from './policy-sets.js';
import { calculateTtl } from './token-ttl.js';

/** A login grant from an auth method: the core, not the method, mints the token. Seconds. */
export interface TokenGrant {
  policies: readonly string[];
  ttl: number;
  /** The auth method's max TTL; 0 = the mount's. */
  maxTtl: number;
  period: number;
  numUses: number;
  meta: Readonly<Record<string, string>> | null;
  displayName: string;
  entityId: string;
  tokenType: 'service' | 'batch' | 'default';
  boundCidrs?: readonly string[];
  explicitMaxTtl?: number;
  noDefaultPolicy?: boolean;
  renewable?: boolean;
}

export interface GrantContext {
  /** Login path, e.g. "auth/userpass/login/alice". */
  path: string;
  /** The auth mount's effective max TTL (seconds). */
  mountMaxTtl: number;
  /** The auth mount's effective default TTL; default: the token mount's, capped by mountMaxTtl. */
  mountDefaultTtl?: number;
  /** The auth mount's route path ("auth/userpass/"): prefixes the display name ("userpass-alice"). */
  mountPath?: string;
}

const bad = (msg: string): CofferError => new CofferError('invalid_request', msg);

/** Validates a grant and computes the record of its (orphan) token; invalid_request on violations. */
export function planGrant(grant: TokenGrant, ctx: GrantContext, env: { nowMs: number; tokenDefaultTtl: number }): { body: BatchBody; warnings: string[] } {
  const type = grant.tokenType === 'batch' ? 'batch' : 'service';
  if (grant.numUses < 0) throw bad('number of uses cannot be negative');
  const policies = sanitizePolicies(grant.policies, grant.noDefaultPolicy !== true);
  const explicitMaxTtl = grant.explicitMaxTtl ?? 0;
  if (type === 'batch') {
    if (policies.includes('root')) throw bad('batch tokens cannot be root tokens');
    if (grant.period > 0) throw bad('batch tokens cannot be periodic');
    if (grant.numUses > 0) throw bad('batch tokens cannot have a limited number of uses');
    if (explicitMaxTtl > 0) throw bad('batch tokens cannot have an explicit max TTL');
  }
  const maxTtl = grant.maxTtl > 0 && grant.maxTtl < ctx.mountMaxTtl ? grant.maxTtl : ctx.mountMaxTtl;
  const defaultTtl = ctx.mountDefaultTtl ?? Math.min(env.tokenDefaultTtl, ctx.mountMaxTtl);
  const { ttl, warnings } = calculateTtl({
    requested: grant.ttl,
    period: grant.period,
    explicitMaxTtl,
    maxTtl,
    defaultTtl,
    startMs: env.nowMs,
    nowMs: env.nowMs,
  });
  const source = (ctx.mountPath ?? '').replace(/^auth\//, '').replace(/\/+$/, '').replace(/\//g, '-');
  const displayName = source === '' ? grant.displayName : grant.displayName === '' ? source : `${source}-${grant.displayName}`;
  const body: BatchBody = {
    parent: '',
    policies,
    path: ctx.path,
    meta: grant.meta && Object.keys(grant.meta).length > 0 ? { ...grant.meta } : null,
    displayName,
    numUses: grant.numUses,
    creationTime: env.nowMs,
    ttl,
    explicitMaxTtl,
    maxTtl,
    period: grant.period,
    renewable: type === 'service' && ttl > 0 && grant.renewable !== false,
    orphan: true,
    type,
    role: '',
    entityId: grant.entityId,
    boundCidrs: parseCidrList(grant.boundCidrs ?? []),
    lastRenewal: 0,
    expireTime: ttl > 0 ? env.nowMs + ttl * 1000 : 0,
    namespace: 'root',
  };
  return { body, warnings };
}
