// A jwt/oidc role: its stored form, the field specs a write accepts, write validation (bound
// constraints, user_claim, claim_mappings targets, bound_claims types) and Vault's read shape.

import type { FieldSpecs, PathRequest } from '../../sdk/index.js';
import { CofferError } from '../../shared/index.js';
import type { TokenParams } from '../token-fields.js';
import { applyTokenFields, defaultTokenParams, parseStoredTokenParams, TOKEN_FIELD_SPECS, tokenParamsToData } from '../token-fields.js';
import { validateBoundClaims } from './claims.js';
import type { RoleLimits } from '../role-paths.js';

export interface JwtRole {
  roleType: 'jwt' | 'oidc';
  boundAudiences: string[];
  boundSubject: string;
  boundClaims: Record<string, unknown>;
  boundClaimsType: 'string' | 'glob';
  claimMappings: Record<string, string>;
  userClaim: string;
  userClaimJsonPointer: boolean;
  groupsClaim: string;
  /** seconds; 0 = default (60), negative = off */
  clockSkewLeeway: number;
  /** seconds; 0 = default (150), negative = off */
  expirationLeeway: number;
  /** seconds; 0 = default (150), negative = off */
  notBeforeLeeway: number;
  allowedRedirectUris: string[];
  oidcScopes: string[];
  verboseOidcLogging: boolean;
  /** seconds */
  maxAge: number;
  /** OIDC flow only: 'client' | 'direct' | 'device'. */
  callbackMode: string;
  /** OIDC device flow only; seconds, 0 = unset. */
  pollInterval: number;
  token: TokenParams;
}

const CALLBACK_MODES = ['client', 'direct', 'device'];

export const DEFAULT_CLOCK_SKEW_LEEWAY = 60;
export const DEFAULT_EXP_NBF_LEEWAY = 150;

export const ROLE_FIELD_SPECS = {
  role_type: { type: 'string' },
  bound_audiences: { type: 'comma-list' },
  bound_subject: { type: 'string' },
  bound_claims: { type: 'map' },
  bound_claims_type: { type: 'string' },
  claim_mappings: { type: 'string-map' },
  user_claim: { type: 'string' },
  user_claim_json_pointer: { type: 'bool' },
  groups_claim: { type: 'string' },
  clock_skew_leeway: { type: 'duration' },
  expiration_leeway: { type: 'duration' },
  not_before_leeway: { type: 'duration' },
  allowed_redirect_uris: { type: 'comma-list' },
  oidc_scopes: { type: 'comma-list' },
  verbose_oidc_logging: { type: 'bool' },
  max_age: { type: 'duration' },
  callback_mode: { type: 'string' },
  poll_interval: { type: 'int' },
  ...TOKEN_FIELD_SPECS,
} as const satisfies FieldSpecs;

const bad = (msg: string): CofferError => new CofferError('invalid_request', msg);



/**
 * Applies a role write on top of `existing` (or the defaults) and validates the result. Returns
 * the role and any warnings. Throws invalid_request for every rule Vault enforces on write.
 */
export function applyRoleWrite(
  existing: JwtRole | undefined,
  req: Pick<PathRequest<typeof ROLE_FIELD_SPECS>, 'fields' | 'has'>,
  limits: RoleLimits,
): { role: JwtRole; warnings: string[] } {
  const f = req.fields;
  const roleTypeIn = f.role_type ?? existing?.roleType ?? 'oidc';
  const roleType = roleTypeIn === '' ? 'oidc' : roleTypeIn;
  if (roleType !== 'jwt' && roleType !== 'oidc') throw bad(`invalid 'role_type': ${JSON.stringify(roleTypeIn)}`);
  const bctIn = f.bound_claims_type ?? existing?.boundClaimsType ?? 'string';
  const boundClaimsType = bctIn === '' ? 'string' : bctIn;
  if (boundClaimsType !== 'string' && boundClaimsType !== 'glob') throw bad(`invalid 'bound_claims_type': ${JSON.stringify(bctIn)}`);
  const role: JwtRole = {
    roleType,
    boundAudiences: f.bound_audiences ?? existing?.boundAudiences ?? [],
    boundSubject: f.bound_subject ?? existing?.boundSubject ?? '',
    boundClaims: f.bound_claims ?? existing?.boundClaims ?? {},
    boundClaimsType,
    claimMappings: f.claim_mappings ?? existing?.claimMappings ?? {},
    userClaim: f.user_claim ?? existing?.userClaim ?? '',
    userClaimJsonPointer: f.user_claim_json_pointer ?? existing?.userClaimJsonPointer ?? false,
    groupsClaim: f.groups_claim ?? existing?.groupsClaim ?? '',
    clockSkewLeeway: f.clock_skew_leeway ?? existing?.clockSkewLeeway ?? DEFAULT_CLOCK_SKEW_LEEWAY,
    expirationLeeway: f.expiration_leeway ?? existing?.expirationLeeway ?? DEFAULT_EXP_NBF_LEEWAY,
    notBeforeLeeway: f.not_before_leeway ?? existing?.notBeforeLeeway ?? DEFAULT_EXP_NBF_LEEWAY,
    allowedRedirectUris: f.allowed_redirect_uris ?? existing?.allowedRedirectUris ?? [],
    oidcScopes: f.oidc_scopes ?? existing?.oidcScopes ?? [],
    verboseOidcLogging: f.verbose_oidc_logging ?? existing?.verboseOidcLogging ?? false,
    maxAge: f.max_age ?? existing?.maxAge ?? 0,
    callbackMode: f.callback_mode ?? existing?.callbackMode ?? 'client',
    pollInterval: f.poll_interval ?? existing?.pollInterval ?? 0,
    token: applyTokenFields(existing?.token ?? defaultTokenParams(), req),
  };
  if (role.maxAge < 0) throw bad("'max_age' cannot be negative");
  if (role.callbackMode === '') role.callbackMode = 'client';
  if (!CALLBACK_MODES.includes(role.callbackMode)) throw bad(`invalid 'callback_mode': ${role.callbackMode}`);
  if (role.userClaim === '') throw bad('a user claim must be defined on the role');
  const bcMsg = validateBoundClaims(role.boundClaims, role.boundClaimsType);
  if (bcMsg !== undefined) throw bad(bcMsg);
  const targets = new Set<string>();
  for (const target of Object.values(role.claimMappings)) {
    if (target === 'role') throw bad(`metadata key ${JSON.stringify(target)} is reserved and may not be a mapping destination`);
    if (targets.has(target)) throw bad(`multiple keys are mapped to metadata key ${JSON.stringify(target)}`);
    targets.add(target);
  }
  if (
    role.roleType === 'jwt' &&
    role.boundAudiences.length === 0 &&
    role.boundSubject === '' &&
    Object.keys(role.boundClaims).length === 0 &&
    role.token.boundCidrs.length === 0
  ) {
    throw bad('must have at least one bound constraint when creating/updating a role');
  }
  if (role.roleType === 'oidc' && role.allowedRedirectUris.length === 0) {
    throw bad("'allowed_redirect_uris' must be set if 'role_type' is 'oidc' or unspecified.");
  }
  const maxLease = limits.maxLeaseTtl;
  if (maxLease > 0 && role.token.period > maxLease) throw bad("'token_period' cannot be greater than the backend's maximum lease TTL");
  const warnings: string[] = [];
  if (maxLease > 0 && role.token.maxTtl > maxLease) {
    warnings.push("token max ttl is greater than the system or backend mount's maximum TTL value; issued tokens' max TTL value will be truncated");
  }
  if (role.verboseOidcLogging) {
    warnings.push('verbose_oidc_logging has been enabled for this role. This is not recommended in production since sensitive information may be present in OIDC responses.');
  }
  return { role, warnings };
}

/** Vault's read shape: durations as integer seconds, lists as [], maps as {}. */
export function roleToData(role: JwtRole): Record<string, unknown> {
  return {
    role_type: role.roleType,
    bound_audiences: [...role.boundAudiences],
    bound_subject: role.boundSubject,
    bound_claims_type: role.boundClaimsType,
    bound_claims: structuredClone(role.boundClaims),
    claim_mappings: { ...role.claimMappings },
    user_claim: role.userClaim,
    user_claim_json_pointer: role.userClaimJsonPointer,
    groups_claim: role.groupsClaim,
    allowed_redirect_uris: [...role.allowedRedirectUris],
    callback_mode: role.callbackMode,
    oidc_scopes: [...role.oidcScopes],
    verbose_oidc_logging: role.verboseOidcLogging,
    max_age: role.maxAge,
    clock_skew_leeway: role.clockSkewLeeway,
    expiration_leeway: role.expirationLeeway,
    not_before_leeway: role.notBeforeLeeway,
    ...tokenParamsToData(role.token),
    ...(role.pollInterval > 0 ? { poll_interval: role.pollInterval } : {}),
  };
}

const obj = (v: unknown): Record<string, unknown> | undefined =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const strs = (v: unknown): string[] => (Array.isArray(v) ? v.filter((e): e is string => typeof e === 'string') : []);
const num = (v: unknown, d: number): number => (typeof v === 'number' ? v : d);

/** Parses the stored form; undefined when nothing usable is stored. */
export function parseStoredRole(v: unknown): JwtRole | undefined {
  const o = obj(v);
  if (o === undefined) return undefined;
  const mappings: Record<string, string> = {};
  for (const [k, x] of Object.entries(obj(o['claimMappings']) ?? {})) if (typeof x === 'string') mappings[k] = x;
  return {
    roleType: o['roleType'] === 'jwt' ? 'jwt' : 'oidc',
    boundAudiences: strs(o['boundAudiences']),
    boundSubject: str(o['boundSubject']),
    boundClaims: obj(o['boundClaims']) ?? {},
    boundClaimsType: o['boundClaimsType'] === 'glob' ? 'glob' : 'string',
    claimMappings: mappings,
    userClaim: str(o['userClaim']),
    userClaimJsonPointer: o['userClaimJsonPointer'] === true,
    groupsClaim: str(o['groupsClaim']),
    clockSkewLeeway: num(o['clockSkewLeeway'], DEFAULT_CLOCK_SKEW_LEEWAY),
    expirationLeeway: num(o['expirationLeeway'], DEFAULT_EXP_NBF_LEEWAY),
    notBeforeLeeway: num(o['notBeforeLeeway'], DEFAULT_EXP_NBF_LEEWAY),
    allowedRedirectUris: strs(o['allowedRedirectUris']),
    oidcScopes: strs(o['oidcScopes']),
    verboseOidcLogging: o['verboseOidcLogging'] === true,
    maxAge: num(o['maxAge'], 0),
    callbackMode: typeof o['callbackMode'] === 'string' && o['callbackMode'] !== '' ? o['callbackMode'] : 'client',
    pollInterval: num(o['pollInterval'], 0),
    token: parseStoredTokenParams(o['token']),
  };
}

/** Effective leeway in seconds: 0 → the default, negative → none. */
export function effectiveLeeway(value: number, dflt: number): number {
  if (value < 0) return 0;
  return value === 0 ? dflt : value;
}
