// A kubernetes role: which service accounts (names and namespaces, as globs, or a namespace
// label selector) may log in, the audience, how the identity alias is named, and token settings.

import type { FieldSpecs, PathRequest } from '../../sdk/index.js';
import { CofferError } from '../../shared/index.js';
import type { TokenParams } from '../token-fields.js';
import { applyTokenFields, defaultTokenParams, parseStoredTokenParams, TOKEN_FIELD_SPECS, tokenParamsToData } from '../token-fields.js';
import { parseNamespaceSelector } from './namespace-selector.js';
import type { RoleLimits } from '../role-paths.js';

export type AliasNameSource = 'serviceaccount_uid' | 'serviceaccount_name';

export interface KubernetesRole {
  serviceAccountNames: string[];
  serviceAccountNamespaces: string[];
  /** JSON label selector text; "" = none. */
  namespaceSelector: string;
  audience: string;
  aliasNameSource: AliasNameSource;
  token: TokenParams;
}

export const ROLE_FIELD_SPECS = {
  bound_service_account_names: { type: 'comma-list' },
  bound_service_account_namespaces: { type: 'comma-list' },
  bound_service_account_namespace_selector: { type: 'string' },
  audience: { type: 'string' },
  alias_name_source: { type: 'string' },
  ...TOKEN_FIELD_SPECS,
} as const satisfies FieldSpecs;

const bad = (msg: string): CofferError => new CofferError('invalid_request', msg);


function parseAliasNameSource(v: string): AliasNameSource {
  if (v === '' || v === 'serviceaccount_uid') return 'serviceaccount_uid';
  if (v === 'serviceaccount_name') return 'serviceaccount_name';
  throw bad(`invalid alias_name_source ${JSON.stringify(v)}: must be one of "serviceaccount_uid", "serviceaccount_name"`);
}

/** Entries trimmed, empties dropped; `"*"` may only stand alone. */
function bindingList(values: string[], field: string): string[] {
  const out = values.map((v) => v.trim()).filter((v) => v !== '');
  if (out.length > 1 && out.includes('*')) throw bad(`can not mix "*" with values in "${field}"`);
  return out;
}


/**
 * Applies a role write on top of `existing` (or the defaults) and validates the result: at least
 * one name, at least one namespace unless a selector is set, no `*` mixed with values, a
 * parseable selector, a known alias_name_source, valid token fields, token_period within the
 * mount's max lease TTL. Returns the role and the warnings Vault would give.
 */
export function applyRoleWrite(
  existing: KubernetesRole | undefined,
  req: Pick<PathRequest<typeof ROLE_FIELD_SPECS>, 'fields' | 'has'>,
  limits: RoleLimits,
): { role: KubernetesRole; warnings: string[] } {
  const f = req.fields;
  const role: KubernetesRole = {
    serviceAccountNames: bindingList(f.bound_service_account_names ?? existing?.serviceAccountNames ?? [], 'bound_service_account_names'),
    serviceAccountNamespaces: bindingList(f.bound_service_account_namespaces ?? existing?.serviceAccountNamespaces ?? [], 'bound_service_account_namespaces'),
    namespaceSelector: (f.bound_service_account_namespace_selector ?? existing?.namespaceSelector ?? '').trim(),
    audience: f.audience ?? existing?.audience ?? '',
    aliasNameSource: f.alias_name_source !== undefined ? parseAliasNameSource(f.alias_name_source) : (existing?.aliasNameSource ?? 'serviceaccount_uid'),
    token: applyTokenFields(existing?.token ?? defaultTokenParams(), req),
  };
  if (role.serviceAccountNames.length === 0) throw bad('"bound_service_account_names" can not be empty');
  if (role.serviceAccountNamespaces.length === 0 && role.namespaceSelector === '') {
    throw bad('"bound_service_account_namespaces" can not be empty if "bound_service_account_namespace_selector" is not set');
  }
  if (role.namespaceSelector !== '') parseNamespaceSelector(role.namespaceSelector);
  const maxLease = limits.maxLeaseTtl;
  if (maxLease > 0 && role.token.period > maxLease) throw bad("'token_period' cannot be greater than the backend's maximum lease TTL");
  const warnings: string[] = [];
  if (maxLease > 0 && role.token.maxTtl > maxLease) {
    warnings.push("token_max_ttl is greater than the backend mount's maximum TTL value; issued tokens' max TTL value will be truncated");
  }
  if (role.audience === '') {
    warnings.push('This role has no audience: any service account token the API server accepts can log in with it. Setting "audience" is recommended.');
  }
  return { role, warnings };
}

/** Vault's read shape: token fields in integer seconds, lists as []. */
export function roleToData(role: KubernetesRole): Record<string, unknown> {
  return {
    bound_service_account_names: [...role.serviceAccountNames],
    bound_service_account_namespaces: [...role.serviceAccountNamespaces],
    bound_service_account_namespace_selector: role.namespaceSelector,
    audience: role.audience,
    alias_name_source: role.aliasNameSource,
    ...tokenParamsToData(role.token),
  };
}

/** Parses the stored form back; undefined when there is none. */
export function parseStoredRole(v: unknown): KubernetesRole | undefined {
  if (v === null || typeof v !== 'object') return undefined;
  const o = v as Record<string, unknown>;
  const strs = (x: unknown): string[] => (Array.isArray(x) ? (x as unknown[]).filter((e): e is string => typeof e === 'string') : []);
  const s = (x: unknown): string => (typeof x === 'string' ? x : '');
  return {
    serviceAccountNames: strs(o['serviceAccountNames']),
    serviceAccountNamespaces: strs(o['serviceAccountNamespaces']),
    namespaceSelector: s(o['namespaceSelector']),
    audience: s(o['audience']),
    aliasNameSource: o['aliasNameSource'] === 'serviceaccount_name' ? 'serviceaccount_name' : 'serviceaccount_uid',
    token: parseStoredTokenParams(o['token']),
  };
}
