// Token roles (auth/token/roles/<name>): constraints and defaults applied when a token is created
// through create/<role>. Parsing from storage, applying a write, and the read shape.

import { CofferError } from '../../shared/index.js';
import { parseCidrList } from './bound-cidrs.js';

export type RoleTokenType = 'service' | 'batch' | 'default-service' | 'default-batch';

export interface TokenRole {
  name: string;
  allowedPolicies: string[];
  disallowedPolicies: string[];
  allowedPoliciesGlob: string[];
  disallowedPoliciesGlob: string[];
  orphan: boolean;
  renewable: boolean;
  pathSuffix: string;
  allowedEntityAliases: string[];
  /** seconds */
  tokenPeriod: number;
  /** seconds */
  tokenExplicitMaxTtl: number;
  tokenType: RoleTokenType;
  tokenBoundCidrs: string[];
  tokenNoDefaultPolicy: boolean;
  tokenNumUses: number;
  /** Which legacy names (period, explicit_max_ttl, bound_cidrs) were used, so reads echo them. */
  legacy: { period: boolean; explicitMaxTtl: boolean; boundCidrs: boolean };
}

/** Everything a role write may carry; absent fields keep the current value. */
export interface RoleWrite {
  allowedPolicies?: string[];
  disallowedPolicies?: string[];
  allowedPoliciesGlob?: string[];
  disallowedPoliciesGlob?: string[];
  orphan?: boolean;
  renewable?: boolean;
  pathSuffix?: string;
  allowedEntityAliases?: string[];
  tokenPeriod?: number;
  period?: number;
  tokenExplicitMaxTtl?: number;
  explicitMaxTtl?: number;
  tokenType?: string;
  tokenBoundCidrs?: string[];
  boundCidrs?: string[];
  tokenNoDefaultPolicy?: boolean;
  tokenNumUses?: number;
}

export function defaultRole(name: string): TokenRole {
  return {
    name,
    allowedPolicies: [],
    disallowedPolicies: [],
    allowedPoliciesGlob: [],
    disallowedPoliciesGlob: [],
    orphan: false,
    renewable: true,
    pathSuffix: '',
    allowedEntityAliases: [],
    tokenPeriod: 0,
    tokenExplicitMaxTtl: 0,
    tokenType: 'default-service',
    tokenBoundCidrs: [],
    tokenNoDefaultPolicy: false,
    tokenNumUses: 0,
    legacy: { period: false, explicitMaxTtl: false, boundCidrs: false },
  };
}

/** Role names are case-insensitive: stored and matched in lower case. */
export function normalizeRoleName(name: string): string {
  const n = name.trim().toLowerCase();
  if (n === '' || n.includes('/')) throw new CofferError('invalid_request', 'invalid role name');
  return n;
}

const cleanList = (l: readonly string[]): string[] => [...new Set(l.map((s) => s.trim()).filter((s) => s !== ''))];

function parseTokenType(t: string): RoleTokenType {
  const v = t.trim().toLowerCase();
  if (v === '' || v === 'default') return 'default-service';
  if (v === 'service' || v === 'batch' || v === 'default-service' || v === 'default-batch') return v;
  throw new CofferError('invalid_request', `invalid 'token_type' value ${JSON.stringify(t)}`);
}

function nonNegative(name: string, v: number): number {
  if (v < 0) throw new CofferError('invalid_request', `${name} cannot be negative`);
  return v;
}

/** Applies a write onto `current` (a stored role or the defaults); throws invalid_request. */
export function applyRoleWrite(current: TokenRole, w: RoleWrite): TokenRole {
  const r: TokenRole = { ...current, legacy: { ...current.legacy } };
  if (w.allowedPolicies) r.allowedPolicies = cleanList(w.allowedPolicies);
  if (w.disallowedPolicies) r.disallowedPolicies = cleanList(w.disallowedPolicies);
  if (w.allowedPoliciesGlob) r.allowedPoliciesGlob = cleanList(w.allowedPoliciesGlob);
  if (w.disallowedPoliciesGlob) r.disallowedPoliciesGlob = cleanList(w.disallowedPoliciesGlob);
  if (w.orphan !== undefined) r.orphan = w.orphan;
  if (w.renewable !== undefined) r.renewable = w.renewable;
  if (w.pathSuffix !== undefined) {
    const s = w.pathSuffix.trim();
    if (s.split('/').some((seg) => seg === '..')) throw new CofferError('invalid_request', "path_suffix cannot contain '..'");
    r.pathSuffix = s;
  }
  if (w.allowedEntityAliases) r.allowedEntityAliases = cleanList(w.allowedEntityAliases).map((a) => a.toLowerCase());
  // The token_* names win over the legacy ones when both are sent.
  if (w.tokenPeriod !== undefined) {
    r.tokenPeriod = nonNegative('token_period', w.tokenPeriod);
    r.legacy.period = false;
  } else if (w.period !== undefined) {
    r.tokenPeriod = nonNegative('period', w.period);
    r.legacy.period = true;
  }
  if (w.tokenExplicitMaxTtl !== undefined) {
    r.tokenExplicitMaxTtl = nonNegative('token_explicit_max_ttl', w.tokenExplicitMaxTtl);
    r.legacy.explicitMaxTtl = false;
  } else if (w.explicitMaxTtl !== undefined) {
    r.tokenExplicitMaxTtl = nonNegative('explicit_max_ttl', w.explicitMaxTtl);
    r.legacy.explicitMaxTtl = true;
  }
  if (w.tokenType !== undefined) r.tokenType = parseTokenType(w.tokenType);
  if (w.tokenBoundCidrs !== undefined) {
    r.tokenBoundCidrs = parseCidrList(w.tokenBoundCidrs);
    r.legacy.boundCidrs = false;
  } else if (w.boundCidrs !== undefined) {
    r.tokenBoundCidrs = parseCidrList(w.boundCidrs);
    r.legacy.boundCidrs = true;
  }
  if (w.tokenNoDefaultPolicy !== undefined) r.tokenNoDefaultPolicy = w.tokenNoDefaultPolicy;
  if (w.tokenNumUses !== undefined) r.tokenNumUses = nonNegative('token_num_uses', w.tokenNumUses);
  if (r.tokenType === 'batch') {
    if (r.tokenPeriod > 0) throw new CofferError('invalid_request', 'batch tokens cannot be periodic');
    if (r.tokenExplicitMaxTtl > 0) throw new CofferError('invalid_request', 'batch tokens cannot have an explicit max TTL');
    if (r.tokenNumUses > 0) throw new CofferError('invalid_request', 'batch tokens cannot have a limited number of uses');
  }
  return r;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
const strList = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

/** Parses a stored role; undefined when malformed. */
export function parseStoredRole(raw: unknown): TokenRole | undefined {
  if (!isRecord(raw) || typeof raw['name'] !== 'string') return undefined;
  const d = defaultRole(raw['name']);
  const legacy = isRecord(raw['legacy']) ? raw['legacy'] : {};
  const tt = raw['tokenType'];
  return {
    name: raw['name'],
    allowedPolicies: strList(raw['allowedPolicies']),
    disallowedPolicies: strList(raw['disallowedPolicies']),
    allowedPoliciesGlob: strList(raw['allowedPoliciesGlob']),
    disallowedPoliciesGlob: strList(raw['disallowedPoliciesGlob']),
    orphan: raw['orphan'] === true,
    renewable: raw['renewable'] !== false,
    pathSuffix: typeof raw['pathSuffix'] === 'string' ? raw['pathSuffix'] : '',
    allowedEntityAliases: strList(raw['allowedEntityAliases']),
    tokenPeriod: num(raw['tokenPeriod']),
    tokenExplicitMaxTtl: num(raw['tokenExplicitMaxTtl']),
    tokenType: tt === 'service' || tt === 'batch' || tt === 'default-batch' ? tt : d.tokenType,
    tokenBoundCidrs: strList(raw['tokenBoundCidrs']),
    tokenNoDefaultPolicy: raw['tokenNoDefaultPolicy'] === true,
    tokenNumUses: num(raw['tokenNumUses']),
    legacy: { period: legacy['period'] === true, explicitMaxTtl: legacy['explicitMaxTtl'] === true, boundCidrs: legacy['boundCidrs'] === true },
  };
}

/** The role read response (`data`), Vault's keys with TTLs in integer seconds. */
export function roleData(r: TokenRole): Record<string, unknown> {
  const out: Record<string, unknown> = {
    allowed_entity_aliases: r.allowedEntityAliases.length > 0 ? r.allowedEntityAliases : null,
    allowed_policies: r.allowedPolicies,
    allowed_policies_glob: r.allowedPoliciesGlob,
    disallowed_policies: r.disallowedPolicies,
    disallowed_policies_glob: r.disallowedPoliciesGlob,
    explicit_max_ttl: r.legacy.explicitMaxTtl ? r.tokenExplicitMaxTtl : 0,
    name: r.name,
    orphan: r.orphan,
    path_suffix: r.pathSuffix,
    period: r.legacy.period ? r.tokenPeriod : 0,
    renewable: r.renewable,
    token_explicit_max_ttl: r.tokenExplicitMaxTtl,
    token_no_default_policy: r.tokenNoDefaultPolicy,
    token_period: r.tokenPeriod,
    token_type: r.tokenType,
  };
  if (r.tokenBoundCidrs.length > 0) {
    out['token_bound_cidrs'] = r.tokenBoundCidrs;
    if (r.legacy.boundCidrs) out['bound_cidrs'] = r.tokenBoundCidrs;
  }
  if (r.tokenNumUses > 0) out['token_num_uses'] = r.tokenNumUses;
  return out;
}
