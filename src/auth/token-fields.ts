// The common token_* fields every auth role/user accepts: field specs (with the deprecated
// aliases), validation, the stored form, the read-back form and the LoginGrant they produce.
// Bound-CIDR matching lives here too because token_bound_cidrs is one of these fields.

import { BlockList, isIP } from 'node:net';
import type { FieldSpec, FieldSpecs, LoginGrant, LoginRenewal, LoginRenewRequest } from '../sdk/index.js';
import { CofferError } from '../shared/index.js';

export type TokenTypeSetting = 'default' | 'service' | 'batch' | 'default-service' | 'default-batch';
const TOKEN_TYPES: readonly TokenTypeSetting[] = ['default', 'service', 'batch', 'default-service', 'default-batch'];

/** The stored (and validated) token settings; TTLs are integer seconds, 0 = unset. */
export interface TokenParams {
  policies: string[];
  ttl: number;
  maxTtl: number;
  period: number;
  numUses: number;
  type: TokenTypeSetting;
  noDefaultPolicy: boolean;
  boundCidrs: string[];
  explicitMaxTtl: number;
}

const list: FieldSpec<'comma-list'> = { type: 'comma-list' };
const dur: FieldSpec<'duration'> = { type: 'duration' };

/** Field specs to spread into a path's `fields` (token_* names plus their legacy aliases). */
export const TOKEN_FIELD_SPECS = {
  token_policies: list,
  policies: list,
  token_ttl: dur,
  ttl: dur,
  token_max_ttl: dur,
  max_ttl: dur,
  token_period: dur,
  period: dur,
  token_num_uses: { type: 'int' } as FieldSpec<'int'>,
  token_type: { type: 'string' } as FieldSpec<'string'>,
  token_no_default_policy: { type: 'bool' } as FieldSpec<'bool'>,
  token_bound_cidrs: list,
  bound_cidrs: list,
  token_explicit_max_ttl: dur,
} satisfies FieldSpecs;

export function defaultTokenParams(): TokenParams {
  return { policies: [], ttl: 0, maxTtl: 0, period: 0, numUses: 0, type: 'default', noDefaultPolicy: false, boundCidrs: [], explicitMaxTtl: 0 };
}

/** The parts of a PathRequest the token-field parser needs. */
export interface TokenFieldSource {
  fields: object;
  has(field: string): boolean;
}

/**
 * Applies the token fields present in a request on top of `current` and validates the result
 * (negative values, ttl > max_ttl, batch with period/num_uses, unknown type, bad CIDRs → 400).
 * When both a token_* field and its legacy alias are sent, the token_* one wins.
 */
export function applyTokenFields(current: TokenParams, req: TokenFieldSource): TokenParams {
  const values = req.fields as Record<string, unknown>;
  const pick = (name: string, alias?: string): unknown => {
    if (req.has(name)) return values[name];
    if (alias !== undefined && req.has(alias)) return values[alias];
    return undefined;
  };
  const num = (v: unknown, fallback: number): number => (typeof v === 'number' ? v : fallback);
  const strs = (v: unknown, fallback: string[]): string[] => (Array.isArray(v) ? v.map(String) : fallback);
  const next: TokenParams = {
    policies: normalisePolicies(strs(pick('token_policies', 'policies'), current.policies)),
    ttl: num(pick('token_ttl', 'ttl'), current.ttl),
    maxTtl: num(pick('token_max_ttl', 'max_ttl'), current.maxTtl),
    period: num(pick('token_period', 'period'), current.period),
    numUses: num(pick('token_num_uses'), current.numUses),
    type: current.type,
    noDefaultPolicy: typeof pick('token_no_default_policy') === 'boolean' ? (pick('token_no_default_policy') as boolean) : current.noDefaultPolicy,
    boundCidrs: strs(pick('token_bound_cidrs', 'bound_cidrs'), current.boundCidrs),
    explicitMaxTtl: num(pick('token_explicit_max_ttl'), current.explicitMaxTtl),
  };
  const type = pick('token_type');
  if (typeof type === 'string') {
    const t = type === '' ? 'default' : type;
    if (!(TOKEN_TYPES as readonly string[]).includes(t)) throw new CofferError('invalid_request', `invalid 'token_type' value ${JSON.stringify(type)}`);
    next.type = t as TokenTypeSetting;
  }
  validateTokenParams(next);
  return next;
}

function normalisePolicies(policies: string[]): string[] {
  const out: string[] = [];
  for (const p of policies) {
    const t = p.trim().toLowerCase();
    if (t !== '' && !out.includes(t)) out.push(t);
  }
  return out;
}

function validateTokenParams(p: TokenParams): void {
  const nonNegative: [string, number][] = [
    ['token_ttl', p.ttl],
    ['token_max_ttl', p.maxTtl],
    ['token_period', p.period],
    ['token_num_uses', p.numUses],
    ['token_explicit_max_ttl', p.explicitMaxTtl],
  ];
  for (const [name, v] of nonNegative) {
    if (v < 0) throw new CofferError('invalid_request', `'${name}' cannot be negative`);
  }
  if (p.ttl > 0 && p.maxTtl > 0 && p.ttl > p.maxTtl) throw new CofferError('invalid_request', "'token_ttl' cannot be greater than 'token_max_ttl'");
  const batch = p.type === 'batch' || p.type === 'default-batch';
  if (batch && p.period > 0) throw new CofferError('invalid_request', "'token_type' cannot be 'batch' when 'token_period' is set");
  if (batch && p.numUses > 0) throw new CofferError('invalid_request', "'token_type' cannot be 'batch' when 'token_num_uses' is set");
  validateCidrs(p.boundCidrs, 'token_bound_cidrs');
}

/** The read-back form (Vault's names; integer seconds; empty lists as []). */
export function tokenParamsToData(p: TokenParams): Record<string, unknown> {
  return {
    token_policies: [...p.policies],
    token_ttl: p.ttl,
    token_max_ttl: p.maxTtl,
    token_period: p.period,
    token_num_uses: p.numUses,
    token_type: p.type,
    token_no_default_policy: p.noDefaultPolicy,
    token_bound_cidrs: [...p.boundCidrs],
    token_explicit_max_ttl: p.explicitMaxTtl,
  };
}

/** Parses the stored form back (tolerating missing keys from older records). */
export function parseStoredTokenParams(v: unknown): TokenParams {
  const d = defaultTokenParams();
  if (v === null || typeof v !== 'object') return d;
  const o = v as Record<string, unknown>;
  const n = (x: unknown, f: number): number => (typeof x === 'number' ? x : f);
  const s = (x: unknown): string[] => (Array.isArray(x) ? x.filter((e): e is string => typeof e === 'string') : []);
  const t = o['type'];
  return {
    policies: s(o['policies']),
    ttl: n(o['ttl'], 0),
    maxTtl: n(o['maxTtl'], 0),
    period: n(o['period'], 0),
    numUses: n(o['numUses'], 0),
    type: typeof t === 'string' && (TOKEN_TYPES as readonly string[]).includes(t) ? (t as TokenTypeSetting) : 'default',
    noDefaultPolicy: o['noDefaultPolicy'] === true,
    boundCidrs: s(o['boundCidrs']),
    explicitMaxTtl: n(o['explicitMaxTtl'], 0),
  };
}

/**
 * The LoginGrant for these settings. LoginGrant has no explicit-max-TTL field, so
 * token_explicit_max_ttl caps maxTtl (the smaller non-zero of the two). default-service /
 * default-batch become service / batch.
 */
export function tokenGrant(
  p: TokenParams,
  login: { metadata: Record<string, string>; displayName: string; alias: { name: string; metadata?: Record<string, string> } },
): LoginGrant {
  const maxTtl = p.maxTtl === 0 ? p.explicitMaxTtl : p.explicitMaxTtl === 0 ? p.maxTtl : Math.min(p.maxTtl, p.explicitMaxTtl);
  const tokenType = p.type === 'default-service' ? 'service' : p.type === 'default-batch' ? 'batch' : p.type;
  return {
    policies: [...p.policies],
    ttl: p.ttl,
    maxTtl,
    period: p.period,
    numUses: p.numUses,
    metadata: { ...login.metadata },
    displayName: login.displayName,
    tokenType,
    ...(p.noDefaultPolicy ? { noDefaultPolicy: true } : {}),
    ...(p.boundCidrs.length > 0 ? { boundCidrs: [...p.boundCidrs] } : {}),
    alias: login.alias,
  };
}

/** Policy sets compared as Vault does on renewal: order, duplicates and "default" do not count. */
function samePolicies(a: readonly string[], b: readonly string[]): boolean {
  const norm = (l: readonly string[]): string => [...new Set(l.filter((p) => p !== 'default'))].sort().join('\n');
  return norm(a) === norm(b);
}

/**
 * Vault's rule for renewing a login's token: refused when the user or role behind it is gone
 * (`current` undefined; `missing` says which) or its token policies are no longer the ones the
 * token was issued with; otherwise the renewal uses its current TTL, max TTL and period.
 */
export function loginRenewal(current: TokenParams | undefined, token: LoginRenewRequest, missing: string): LoginRenewal {
  if (current === undefined) throw new CofferError('invalid_request', `${missing} does not exist during renewal`);
  if (!samePolicies(current.policies, token.policies)) throw new CofferError('invalid_request', 'policies have changed, not renewing');
  const g = tokenGrant(current, { metadata: {}, displayName: '', alias: { name: '' } });
  return { ttl: g.ttl, maxTtl: g.maxTtl, period: g.period };
}

interface Cidr {
  address: string;
  prefix: number;
  family: 'ipv4' | 'ipv6';
}

/** Parses "10.0.0.0/8" or a bare IP (a /32 or /128); undefined when malformed. */
function parseCidr(s: string): Cidr | undefined {
  const slash = s.indexOf('/');
  const address = slash === -1 ? s : s.slice(0, slash);
  const v = isIP(address);
  if (v === 0) return undefined;
  const max = v === 4 ? 32 : 128;
  let prefix = max;
  if (slash !== -1) {
    const p = s.slice(slash + 1);
    if (!/^\d{1,3}$/.test(p)) return undefined;
    prefix = Number(p);
    if (prefix > max) return undefined;
  }
  return { address, prefix, family: v === 4 ? 'ipv4' : 'ipv6' };
}

/** Throws 400 naming `field` when any entry is not an IP or CIDR block. */
export function validateCidrs(cidrs: readonly string[], field: string): void {
  for (const c of cidrs) {
    if (parseCidr(c) === undefined) throw new CofferError('invalid_request', `invalid CIDR block ${JSON.stringify(c)} in '${field}'`);
  }
}

function blockListOf(cidrs: readonly string[]): BlockList {
  const bl = new BlockList();
  for (const c of cidrs) {
    const p = parseCidr(c);
    if (p !== undefined) bl.addSubnet(p.address, p.prefix, p.family);
  }
  return bl;
}

/** True when `cidrs` is empty or `address` (IPv4, IPv6 or IPv4-mapped IPv6) is inside one block. */
export function addressAllowed(cidrs: readonly string[], address: string): boolean {
  if (cidrs.length === 0) return true;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  const addr = mapped?.[1] ?? address;
  const v = isIP(addr);
  if (v === 0) return false;
  return blockListOf(cidrs).check(addr, v === 4 ? 'ipv4' : 'ipv6');
}

/** True when every block of `inner` lies inside some block of `outer` (outer empty = anything). */
export function cidrsWithin(inner: readonly string[], outer: readonly string[]): boolean {
  if (outer.length === 0) return true;
  return inner.every((c) => {
    const i = parseCidr(c);
    if (i === undefined) return false;
    return outer.some((o) => {
      const p = parseCidr(o);
      return p !== undefined && p.family === i.family && p.prefix <= i.prefix && blockListOf([o]).check(i.address, i.family);
    });
  });
}
