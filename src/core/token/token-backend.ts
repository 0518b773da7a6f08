// The auth/token/ backend: create (plain, orphan, role), lookup, renew, revoke (self, accessor,
// orphan), roles, accessors and tidy. Token-semantics rules live in the store; the ACL check is
// the pipeline's job, and `isSudo` tells this backend whether the caller holds root/sudo.

import type { BackendRequest, BackendResponse, LogicalBackend, PathRequest } from '../../sdk/index.js';
import { authResponse, createBackend, dataResponse, definePath, listResponse, noContent } from '../../sdk/index.js';
import type { Logger } from '../../shared/index.js';
import { CofferError, permissionDenied, silentLogger } from '../../shared/index.js';
import { contextOf } from '../request-context.js';
import type { CreateTokenParams } from './token-create.js';
import type { TokenEntry } from './token-entry.js';
import type { RoleWrite } from './token-role.js';
import { normalizeRoleName, roleData } from './token-role.js';
import type { TokenStore } from './token-store.js';
import { authFor, lookupData } from './token-views.js';

export interface TokenBackendDeps {
  /** Whether the caller has root or sudo on `path` (full path, "auth/token/create"). Default: the root policy. */
  isSudo?: (entry: TokenEntry, path: string) => boolean | Promise<boolean>;
  /** For `Policy "x" does not exist` warnings on create; without it no warnings are given. */
  policyExists?: (name: string) => Promise<boolean>;
  /** The policies a token's entity earns (identity store); reported by lookups and renewals. */
  identityPolicies?: (entry: TokenEntry) => readonly string[];
  logger?: Logger;
}

export const TOKEN_ROOT_PATHS = ['revoke-orphan/*', 'accessors*'];

const bad = (msg: string): CofferError => new CofferError('invalid_request', msg);

const createFields = {
  id: { type: 'string' },
  role_name: { type: 'string' },
  policies: { type: 'comma-list' },
  meta: { type: 'string-map' },
  no_parent: { type: 'bool' },
  no_default_policy: { type: 'bool' },
  renewable: { type: 'bool' },
  ttl: { type: 'duration' },
  lease: { type: 'duration' },
  explicit_max_ttl: { type: 'duration' },
  display_name: { type: 'string' },
  num_uses: { type: 'int' },
  period: { type: 'duration' },
  type: { type: 'string' },
  entity_alias: { type: 'string' },
} as const;

const roleFields = {
  allowed_policies: { type: 'comma-list' },
  disallowed_policies: { type: 'comma-list' },
  allowed_policies_glob: { type: 'comma-list' },
  disallowed_policies_glob: { type: 'comma-list' },
  orphan: { type: 'bool' },
  renewable: { type: 'bool' },
  path_suffix: { type: 'string' },
  allowed_entity_aliases: { type: 'comma-list' },
  token_period: { type: 'duration' },
  period: { type: 'duration' },
  token_explicit_max_ttl: { type: 'duration' },
  explicit_max_ttl: { type: 'duration' },
  token_type: { type: 'string' },
  token_bound_cidrs: { type: 'comma-list' },
  bound_cidrs: { type: 'comma-list' },
  token_no_default_policy: { type: 'bool' },
  token_num_uses: { type: 'int' },
} as const;

const tokenField = { token: { type: 'string' } } as const;
const accessorField = { accessor: { type: 'string' } } as const;
const renewFields = { token: { type: 'string' }, increment: { type: 'duration' } } as const;
const renewAccessorFields = { accessor: { type: 'string' }, increment: { type: 'duration' } } as const;

type CreateReq = PathRequest<typeof createFields>;

function callerOf(req: BackendRequest): { token: string; entry: TokenEntry } {
  const ctx = contextOf(req);
  if (ctx.token === undefined || ctx.tokenEntry === undefined) throw permissionDenied();
  return { token: ctx.token, entry: ctx.tokenEntry };
}

function createParams(req: CreateReq): CreateTokenParams {
  const f = req.fields;
  const p: CreateTokenParams = {};
  if (f.id !== undefined) p.id = f.id;
  if (f.policies !== undefined) p.policies = f.policies;
  if (f.meta !== undefined) p.meta = f.meta;
  if (f.no_parent !== undefined) p.noParent = f.no_parent;
  if (f.no_default_policy !== undefined) p.noDefaultPolicy = f.no_default_policy;
  if (f.renewable !== undefined) p.renewable = f.renewable;
  const ttl = f.ttl ?? f.lease;
  if (ttl !== undefined) p.ttl = ttl;
  if (f.explicit_max_ttl !== undefined) p.explicitMaxTtl = f.explicit_max_ttl;
  if (f.display_name !== undefined) p.displayName = f.display_name;
  if (f.num_uses !== undefined) p.numUses = f.num_uses;
  if (f.period !== undefined) p.period = f.period;
  if (f.type !== undefined) p.type = f.type;
  if (f.entity_alias !== undefined) p.entityAlias = f.entity_alias;
  return p;
}

function roleWrite(req: PathRequest<typeof roleFields>): RoleWrite {
  const f = req.fields;
  const w: RoleWrite = {};
  if (f.allowed_policies !== undefined) w.allowedPolicies = f.allowed_policies;
  if (f.disallowed_policies !== undefined) w.disallowedPolicies = f.disallowed_policies;
  if (f.allowed_policies_glob !== undefined) w.allowedPoliciesGlob = f.allowed_policies_glob;
  if (f.disallowed_policies_glob !== undefined) w.disallowedPoliciesGlob = f.disallowed_policies_glob;
  if (f.orphan !== undefined) w.orphan = f.orphan;
  if (f.renewable !== undefined) w.renewable = f.renewable;
  if (f.path_suffix !== undefined) w.pathSuffix = f.path_suffix;
  if (f.allowed_entity_aliases !== undefined) w.allowedEntityAliases = f.allowed_entity_aliases;
  if (f.token_period !== undefined) w.tokenPeriod = f.token_period;
  if (f.period !== undefined) w.period = f.period;
  if (f.token_explicit_max_ttl !== undefined) w.tokenExplicitMaxTtl = f.token_explicit_max_ttl;
  if (f.explicit_max_ttl !== undefined) w.explicitMaxTtl = f.explicit_max_ttl;
  if (f.token_type !== undefined) w.tokenType = f.token_type;
  if (f.token_bound_cidrs !== undefined) w.tokenBoundCidrs = f.token_bound_cidrs;
  if (f.bound_cidrs !== undefined) w.boundCidrs = f.bound_cidrs;
  if (f.token_no_default_policy !== undefined) w.tokenNoDefaultPolicy = f.token_no_default_policy;
  if (f.token_num_uses !== undefined) w.tokenNumUses = f.token_num_uses;
  return w;
}

/** The auth/token/ backend over `store`. */
export function createTokenBackend(store: TokenStore, deps: TokenBackendDeps = {}): LogicalBackend {
  const isSudo = deps.isSudo ?? ((e: TokenEntry) => e.policies.includes('root'));
  const identityPolicies = deps.identityPolicies ?? ((): readonly string[] => []);
  const logger = deps.logger ?? silentLogger;

  /** The entry for `token`, reusing the caller's in-request view when it is the caller's own. */
  const resolve = async (req: BackendRequest, token: string): Promise<TokenEntry | undefined> => {
    const ctx = contextOf(req);
    if (ctx.token !== undefined && ctx.token === token && ctx.tokenEntry) return ctx.tokenEntry;
    return store.lookup(token);
  };

  const policyWarnings = async (entry: TokenEntry): Promise<string[]> => {
    if (!deps.policyExists) return [];
    const out: string[] = [];
    for (const p of entry.policies) {
      if (p === 'root' || p === 'default') continue;
      if (!(await deps.policyExists(p))) out.push(`Policy ${JSON.stringify(p)} does not exist`);
    }
    return out;
  };

  const create = (mode: 'create' | 'orphan' | 'role') => async (req: CreateReq): Promise<BackendResponse> => {
    const caller = callerOf(req);
    const rawRole = mode === 'role' ? (req.params['role_name'] ?? '') : mode === 'create' ? (req.fields.role_name ?? '') : '';
    const roleName = rawRole === '' ? undefined : normalizeRoleName(rawRole);
    const base = req.mountPath;
    const path = mode === 'orphan' ? `${base}create-orphan` : roleName !== undefined ? `${base}create/${roleName}` : `${base}create`;
    const sudo = await isSudo(caller.entry, `${base}${req.path}`);
    const issued = await store.create(caller.entry, createParams(req), {
      path,
      sudo,
      ...(roleName !== undefined ? { roleName } : {}),
      ...(mode === 'orphan' ? { orphan: true } : {}),
    });
    const warnings = [...issued.warnings, ...(await policyWarnings(issued.entry))];
    return authResponse(authFor(issued.entry, issued.token, issued.entry.ttl), warnings);
  };

  const lookupToken = async (req: BackendRequest, given: string | undefined): Promise<BackendResponse> => {
    const caller = callerOf(req);
    const token = given !== undefined && given !== '' ? given : caller.token;
    const entry = await resolve(req, token);
    if (!entry) throw new CofferError('permission_denied', 'bad token');
    return dataResponse(lookupData(entry, token, store.ttlOf(entry), identityPolicies(entry)));
  };

  const lookupAccessor = async (accessor: string | undefined): Promise<BackendResponse> => {
    const entry = accessor ? await store.lookupAccessor(accessor) : undefined;
    if (!entry) throw bad('invalid accessor');
    return dataResponse(lookupData(entry, '', store.ttlOf(entry), identityPolicies(entry)));
  };

  const renewToken = async (req: BackendRequest, token: string | undefined, increment: number | undefined): Promise<BackendResponse> => {
    if (token === undefined || token === '') throw bad('missing token ID');
    const entry = await resolve(req, token);
    if (!entry) throw bad('token not found');
    const r = await store.renew(entry, increment ?? 0);
    return authResponse(authFor(r.entry, token, r.ttl, identityPolicies(r.entry)), r.warnings);
  };

  const revokeToken = async (req: BackendRequest, token: string | undefined): Promise<BackendResponse> => {
    callerOf(req);
    if (token === undefined || token === '') throw bad('missing token ID');
    const entry = await resolve(req, token);
    if (entry) await store.revoke(entry);
    return noContent();
  };

  const revokeOrphan = async (req: BackendRequest, token: string | undefined): Promise<BackendResponse> => {
    const caller = callerOf(req);
    if (!(await isSudo(caller.entry, `${req.mountPath}${req.path}`))) throw bad('root or sudo privileges required to revoke and orphan');
    if (token === undefined || token === '') throw bad('missing token ID');
    const entry = await resolve(req, token);
    if (!entry) throw bad('token to revoke not found');
    await store.revokeOrphan(entry);
    return noContent();
  };

  const param = (req: { params: Readonly<Record<string, string>> }, name: string): string => req.params[name] ?? '';

  return createBackend({
    specialPaths: { root: TOKEN_ROOT_PATHS },
    paths: [
      definePath({ pattern: 'create-orphan', fields: createFields, operations: { update: create('orphan') }, help: 'Create an orphan token.' }),
      definePath({ pattern: 'create/:role_name', fields: createFields, operations: { update: create('role') }, help: 'Create a token from a role.' }),
      definePath({ pattern: 'create', fields: createFields, operations: { update: create('create') }, help: 'Create a child token.' }),

      definePath({
        pattern: 'lookup-self',
        fields: tokenField,
        operations: { read: (req) => lookupToken(req, undefined), update: (req) => lookupToken(req, undefined) },
        help: 'Look up the calling token.',
      }),
      definePath({
        pattern: 'lookup-accessor/*accessor',
        operations: { read: (req) => lookupAccessor(param(req, 'accessor')), update: (req) => lookupAccessor(param(req, 'accessor')) },
      }),
      definePath({
        pattern: 'lookup-accessor',
        fields: accessorField,
        operations: { update: (req) => lookupAccessor(req.fields.accessor) },
        help: 'Look up a token by its accessor.',
      }),
      definePath({ pattern: 'lookup/*token', operations: { read: (req) => lookupToken(req, param(req, 'token')) } }),
      definePath({
        pattern: 'lookup',
        fields: tokenField,
        operations: { read: (req) => lookupToken(req, req.fields.token), update: (req) => lookupToken(req, req.fields.token) },
        help: 'Look up a token.',
      }),

      definePath({
        pattern: 'renew-self',
        fields: renewFields,
        operations: {
          update: (req) => {
            const caller = callerOf(req);
            return renewToken(req, caller.token, req.fields.increment);
          },
        },
        help: 'Renew the calling token.',
      }),
      definePath({
        pattern: 'renew-accessor',
        fields: renewAccessorFields,
        operations: {
          update: async (req) => {
            callerOf(req);
            const entry = req.fields.accessor ? await store.lookupAccessor(req.fields.accessor) : undefined;
            if (!entry) throw bad('invalid accessor');
            const r = await store.renew(entry, req.fields.increment ?? 0);
            return authResponse(authFor(r.entry, '', r.ttl), r.warnings);
          },
        },
        help: 'Renew a token by its accessor.',
      }),
      definePath({
        pattern: 'renew/*token',
        fields: renewFields,
        operations: { update: (req) => renewToken(req, param(req, 'token'), req.fields.increment) },
      }),
      definePath({
        pattern: 'renew',
        fields: renewFields,
        operations: { update: (req) => renewToken(req, req.fields.token, req.fields.increment) },
        help: 'Renew a token.',
      }),

      definePath({
        pattern: 'revoke-self',
        operations: {
          update: async (req) => {
            const caller = callerOf(req);
            await store.revoke(caller.entry);
            return noContent();
          },
        },
        help: 'Revoke the calling token and its children.',
      }),
      definePath({
        pattern: 'revoke-accessor/*accessor',
        operations: {
          update: async (req) => {
            callerOf(req);
            const entry = await store.lookupAccessor(param(req, 'accessor'));
            if (!entry) throw bad('invalid accessor');
            await store.revoke(entry);
            return noContent();
          },
        },
      }),
      definePath({
        pattern: 'revoke-accessor',
        fields: accessorField,
        operations: {
          update: async (req) => {
            callerOf(req);
            const entry = req.fields.accessor ? await store.lookupAccessor(req.fields.accessor) : undefined;
            if (!entry) throw bad('invalid accessor');
            await store.revoke(entry);
            return noContent();
          },
        },
        help: 'Revoke a token and its children by accessor.',
      }),
      definePath({
        pattern: 'revoke-orphan/*token',
        operations: { update: (req) => revokeOrphan(req, param(req, 'token')) },
      }),
      definePath({
        pattern: 'revoke-orphan',
        fields: tokenField,
        operations: { update: (req) => revokeOrphan(req, req.fields.token) },
        help: 'Revoke a token, making its children orphans (sudo).',
      }),
      definePath({ pattern: 'revoke/*token', operations: { update: (req) => revokeToken(req, param(req, 'token')) } }),
      definePath({
        pattern: 'revoke',
        fields: tokenField,
        operations: { update: (req) => revokeToken(req, req.fields.token) },
        help: 'Revoke a token and its children.',
      }),

      definePath({
        pattern: 'roles/?',
        operations: { list: async () => listResponse(await store.listRoles()) },
        help: 'List token roles.',
      }),
      definePath({
        pattern: 'roles/:role_name',
        fields: roleFields,
        exists: async (req) => (await store.readRole(param(req, 'role_name'))) !== undefined,
        operations: {
          read: async (req) => {
            const role = await store.readRole(param(req, 'role_name'));
            return role ? dataResponse(roleData(role)) : noContent();
          },
          update: async (req) => {
            await store.writeRole(param(req, 'role_name'), roleWrite(req));
            return noContent();
          },
          delete: async (req) => {
            await store.deleteRole(param(req, 'role_name'));
            return noContent();
          },
        },
        help: 'Create, read, update or delete a token role.',
      }),

      definePath({
        pattern: 'accessors/?',
        operations: { list: async () => listResponse(await store.listAccessors()) },
        help: 'List token accessors (sudo).',
      }),
      definePath({
        pattern: 'tidy',
        operations: {
          update: () => {
            void store.tidy().catch((e: unknown) => {
              logger.error({ error: e instanceof Error ? e.message : String(e) }, 'token tidy failed');
            });
            const warning = "Tidy operation successfully started. Any information from the operation will be printed to Vault's server logs.";
            return Promise.resolve({ kind: 'none', warnings: [warning], accepted: true });
          },
        },
        help: 'Clean up dangling token indexes and expired tokens.',
      }),
    ],
  });
}
