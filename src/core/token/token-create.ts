// The rules for creating a child token (auth/token/create*): who may ask for what, how a role
// constrains and defaults the request, and the resulting TTL. Pure: the store persists the plan.

import { anyGlobMatches, CofferError, globMatch } from '../../shared/index.js';
import type { BatchBody } from './batch-token.js';
import { isSubset, quoteList, sanitizePolicies } from './policy-sets.js';
import type { TokenEntry, TokenType } from './token-entry.js';
import type { TokenRole } from './token-role.js';
import { calculateTtl } from './token-ttl.js';

/** What a caller may ask for; absent means "not sent". Durations in seconds. */
export interface CreateTokenParams {
  id?: string;
  policies?: readonly string[];
  meta?: Readonly<Record<string, string>> | null;
  noParent?: boolean;
  noDefaultPolicy?: boolean;
  renewable?: boolean;
  ttl?: number;
  explicitMaxTtl?: number;
  displayName?: string;
  numUses?: number;
  period?: number;
  /** "service", "batch", or "" (unset) */
  type?: string;
  entityAlias?: string;
}

export interface CreateContext {
  /** Request path, e.g. "auth/token/create", "auth/token/create/<role>". */
  path: string;
  roleName?: string;
  /** The caller holds root or sudo on the path. */
  sudo: boolean;
  /** create-orphan: an orphan without sudo. */
  orphan?: boolean;
}

export interface CreatePlan {
  body: BatchBody;
  customId: string | undefined;
  entityAlias: string | undefined;
  warnings: string[];
}

export interface PlanEnv {
  nowMs: number;
  defaultTtl: number;
  maxTtl: number;
}

const bad = (msg: string): CofferError => new CofferError('invalid_request', msg);

/** "token" or "token-<name>" with anything outside [A-Za-z0-9-] turned into '-'. */
export function tokenDisplayName(name: string | undefined): string {
  if (name === undefined || name === '') return 'token';
  return `token-${name}`.replace(/[^a-zA-Z0-9-]/g, '-').replace(/-+$/, '');
}

function resolveType(requested: string | undefined, role: TokenRole | undefined): TokenType {
  const r = (requested ?? '').trim().toLowerCase();
  if (r !== '' && r !== 'service' && r !== 'batch') throw bad(`invalid 'type' value ${JSON.stringify(requested)}`);
  const want: TokenType | undefined = r === '' ? undefined : r;
  switch (role?.tokenType) {
    case 'service':
    case 'batch':
      if (want !== undefined && want !== role.tokenType) throw bad(`token type ${JSON.stringify(want)} is not allowed by the role`);
      return role.tokenType;
    case 'default-batch':
      return want ?? 'batch';
    case 'default-service':
    case undefined:
      return want ?? 'service';
  }
}

/** Policies for the child, enforcing the parent-subset rule or the role's lists. */
function resolvePolicies(parent: TokenEntry, params: CreateTokenParams, role: TokenRole | undefined, sudo: boolean): string[] {
  const requested = sanitizePolicies(params.policies ?? [], false);
  const noDefault = params.noDefaultPolicy === true || role?.tokenNoDefaultPolicy === true;
  let chosen: string[];
  let defaultAllowed = true;
  if (role) {
    if (role.allowedPolicies.length > 0 || role.allowedPoliciesGlob.length > 0) {
      const allowed = sanitizePolicies(role.allowedPolicies, false);
      if (requested.length === 0) chosen = allowed;
      else {
        const outside = requested.filter((p) => p !== 'default' && !allowed.includes(p) && !anyGlobMatches(role.allowedPoliciesGlob, p));
        if (outside.length > 0) {
          throw bad(
            `token policies (${quoteList(requested)}) must be subset of the role's allowed policies (${quoteList(allowed)}) or glob policies (${quoteList(role.allowedPoliciesGlob)})`,
          );
        }
        chosen = requested;
      }
    } else if (role.disallowedPolicies.length === 0 && role.disallowedPoliciesGlob.length === 0) {
      // A role without policy lists keeps the ordinary rule: a subset of the parent's.
      chosen = requested.length === 0 ? [...parent.policies] : requested;
      if (!sudo && !parent.policies.includes('root') && !isSubset([...parent.policies, 'default'], chosen)) {
        throw bad('child policies must be subset of parent');
      }
    } else {
      chosen = requested.length === 0 ? [...parent.policies] : requested;
    }
    const disallowed = (p: string): boolean => role.disallowedPolicies.includes(p) || anyGlobMatches(role.disallowedPoliciesGlob, p);
    for (const p of chosen) if (disallowed(p)) throw bad(`token policy ${JSON.stringify(p)} is disallowed by this role`);
    defaultAllowed = !disallowed('default');
  } else if (requested.length === 0) {
    chosen = [...parent.policies];
  } else {
    chosen = requested;
    // "default" is always grantable; everything else must be held by the parent.
    if (!sudo && !parent.policies.includes('root') && !isSubset([...parent.policies, 'default'], chosen)) {
      throw bad('child policies must be subset of parent');
    }
  }
  if (noDefault || !defaultAllowed) chosen = chosen.filter((p) => p !== 'default');
  const out = sanitizePolicies(chosen, !noDefault && defaultAllowed);
  if (out.includes('root') && !parent.policies.includes('root')) {
    throw bad('root tokens may not be created without parent token being root');
  }
  return out;
}

/**
 * Validates a create request against the parent, role and caller privileges and computes the new
 * record. Throws invalid_request with Vault's messages.
 */
export function planCreate(parent: TokenEntry, params: CreateTokenParams, role: TokenRole | undefined, ctx: CreateContext, env: PlanEnv): CreatePlan {
  if (parent.type === 'batch') throw bad('batch tokens cannot create more tokens');
  if (parent.numUses !== 0) throw bad('restricted use token cannot generate child tokens');
  const warnings: string[] = [];
  const type = resolveType(params.type, role);

  let customId: string | undefined;
  if (params.id !== undefined && params.id !== '') {
    if (!ctx.sudo) throw bad('root or sudo privileges required to specify token id');
    if (params.id.includes('.')) throw bad('token IDs can not contain a period');
    if (type === 'batch') throw bad('batch tokens cannot have a custom ID');
    customId = params.id;
  }

  let orphan: boolean;
  if (role?.orphan === true || ctx.orphan === true) orphan = true;
  else if (params.noParent === true) {
    if (!ctx.sudo) throw bad('root or sudo privileges required to create orphan token');
    orphan = true;
  } else orphan = false;

  const policies = resolvePolicies(parent, params, role, ctx.sudo);
  if (type === 'batch' && policies.includes('root')) throw bad('batch tokens cannot be root tokens');

  let numUses = params.numUses ?? 0;
  if (numUses < 0) throw bad('number of uses cannot be negative');
  if (role && role.tokenNumUses > 0 && (numUses === 0 || role.tokenNumUses < numUses)) numUses = role.tokenNumUses;

  let period = 0;
  if (role && role.tokenPeriod > 0) period = role.tokenPeriod;
  else if (params.period !== undefined && params.period > 0) {
    if (!ctx.sudo) throw bad('root or sudo privileges required to create periodic token');
    period = params.period;
  }
  let explicitMaxTtl = params.explicitMaxTtl ?? 0;
  if (explicitMaxTtl < 0) throw bad('explicit_max_ttl cannot be negative');
  if (role && role.tokenExplicitMaxTtl > 0 && (explicitMaxTtl === 0 || role.tokenExplicitMaxTtl < explicitMaxTtl)) {
    explicitMaxTtl = role.tokenExplicitMaxTtl;
  }
  if (type === 'batch') {
    if (period > 0) throw bad('batch tokens cannot be periodic');
    if (explicitMaxTtl > 0) throw bad('batch tokens cannot have an explicit max TTL');
    if (numUses > 0) throw bad('batch tokens cannot have a limited number of uses');
  }

  let entityAlias: string | undefined;
  if (params.entityAlias !== undefined && params.entityAlias !== '') {
    if (!role) throw bad("'entity_alias' is only allowed in combination with token role");
    const alias = params.entityAlias.toLowerCase();
    if (!role.allowedEntityAliases.some((g) => globMatch(g, alias))) throw bad("invalid 'entity_alias' value");
    entityAlias = params.entityAlias;
  }

  const requestedTtl = params.ttl ?? 0;
  if (requestedTtl < 0) throw bad('ttl cannot be negative');
  let ttl: number;
  if (period === 0 && requestedTtl === 0 && policies.includes('root')) {
    // Root tokens without a TTL never expire, unless something caps them.
    ttl = explicitMaxTtl;
  } else {
    const r = calculateTtl({
      requested: requestedTtl,
      period,
      explicitMaxTtl,
      maxTtl: env.maxTtl,
      defaultTtl: env.defaultTtl,
      startMs: env.nowMs,
      nowMs: env.nowMs,
    });
    ttl = r.ttl;
    warnings.push(...r.warnings);
  }
  if (ttl === 0 && parent.expireTime !== 0) throw bad('expiring root tokens cannot create non-expiring root tokens');

  let renewable = params.renewable ?? true;
  if (role && !role.renewable) renewable = false;
  if (type === 'batch' || ttl === 0) renewable = false;

  const suffix = role && role.pathSuffix !== '' ? `/${role.pathSuffix}` : '';
  const body: BatchBody = {
    parent: orphan ? '' : parent.idHash,
    policies,
    path: ctx.path + suffix,
    meta: params.meta && Object.keys(params.meta).length > 0 ? { ...params.meta } : null,
    displayName: tokenDisplayName(params.displayName),
    numUses,
    creationTime: env.nowMs,
    ttl,
    explicitMaxTtl,
    maxTtl: 0,
    period,
    renewable,
    orphan,
    type,
    role: role?.name ?? '',
    entityId: '',
    boundCidrs: role ? [...role.tokenBoundCidrs] : [],
    lastRenewal: 0,
    expireTime: ttl > 0 ? env.nowMs + ttl * 1000 : 0,
    namespace: 'root',
  };
  return { body, customId, entityAlias, warnings };
}
