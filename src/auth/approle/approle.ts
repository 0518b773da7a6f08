// The AppRole auth method: roles with a role_id and SecretIDs; a login with both returns a
// LoginGrant (the core mints the token). SecretIDs are stored only as HMACs.

import { randomUUID } from 'node:crypto';
import type { BackendConfig, BackendResponse, LogicalBackend } from '../../sdk/index.js';
import type { PathRequest } from '../../sdk/index.js';
import { createBackend, dataResponse, definePath, listResponse, noContent } from '../../sdk/index.js';
import { CofferError, createKeyedMutex } from '../../shared/index.js';
import {
  addressAllowed,
  applyTokenFields,
  cidrsWithin,
  defaultTokenParams,
  loginRenewal,
  TOKEN_FIELD_SPECS,
  tokenGrant,
  tokenParamsToData,
  validateCidrs,
} from '../token-fields.js';
import type { ApproleStore, RoleRecord, SecretIdEntry } from './approle-store.js';
import { createApproleStore } from './approle-store.js';

const LOGIN_FAILED = 'invalid role or secret ID';
const NEVER = '0001-01-01T00:00:00Z';

function roleName(raw: string | undefined): string {
  const name = raw ?? '';
  if (name === '' || Buffer.byteLength(name) >= 4096 || !/^[A-Za-z0-9 _.-]+$/.test(name) || name === '.' || name === '..') {
    throw new CofferError('invalid_request', `invalid role name ${JSON.stringify(name)}`);
  }
  return name;
}

function badRequest(msg: string): CofferError {
  return new CofferError('invalid_request', msg);
}

/** The `metadata` field: a JSON-encoded string of a string map (or, leniently, the map itself). */
function parseMetadata(v: unknown): Record<string, string> {
  if (v === undefined || v === null || v === '') return {};
  let o: unknown = v;
  if (typeof v === 'string') {
    try {
      o = JSON.parse(v) as unknown;
    } catch {
      throw badRequest('failed to parse metadata: expected a JSON object of strings');
    }
  }
  if (o === null || typeof o !== 'object' || Array.isArray(o)) throw badRequest('failed to parse metadata: expected a JSON object of strings');
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(o as Record<string, unknown>)) {
    if (typeof x !== 'string') throw badRequest(`metadata value for ${JSON.stringify(k)} must be a string`);
    out[k] = x;
  }
  return out;
}

function checkConstraints(role: RoleRecord): void {
  if (!role.bindSecretId && role.secretIdBoundCidrs.length === 0 && role.token.boundCidrs.length === 0) {
    throw badRequest('at least one constraint should be enabled on the role');
  }
}

const iso = (ms: number): string => (ms === 0 ? NEVER : new Date(ms).toISOString().replace(/\.000Z$/, 'Z'));

function secretIdData(e: SecretIdEntry): Record<string, unknown> {
  return {
    cidr_list: [...e.cidrList],
    creation_time: iso(e.creationTime),
    expiration_time: iso(e.expirationTime),
    last_updated_time: iso(e.lastUpdatedTime),
    metadata: { ...e.metadata },
    secret_id_accessor: e.accessor,
    secret_id_num_uses: e.numUses,
    secret_id_ttl: e.ttl,
    token_bound_cidrs: [...e.tokenBoundCidrs],
  };
}

type RoleFieldName =
  | 'token_policies'
  | 'policies'
  | 'secret_id_num_uses'
  | 'secret_id_ttl'
  | 'token_ttl'
  | 'token_max_ttl'
  | 'token_num_uses'
  | 'bind_secret_id'
  | 'secret_id_bound_cidrs'
  | 'token_bound_cidrs'
  | 'token_period'
  | 'period'
  | 'local_secret_ids';

/**
 * The single-field endpoints (for fine-grained ACLs): the field a write sets (or its legacy alias),
 * the keys a read returns (`viewKey`: where in the role view they come from) and the value a
 * DELETE restores (undefined: read-only).
 */
const SINGLE_FIELDS: Record<string, { field: RoleFieldName; alias?: RoleFieldName; reads: string[]; viewKey?: string; reset: unknown }> = {
  policies: { field: 'token_policies', alias: 'policies', reads: ['policies', 'token_policies'], viewKey: 'token_policies', reset: [] },
  'secret-id-num-uses': { field: 'secret_id_num_uses', reads: ['secret_id_num_uses'], reset: 0 },
  'secret-id-ttl': { field: 'secret_id_ttl', reads: ['secret_id_ttl'], reset: 0 },
  'token-ttl': { field: 'token_ttl', reads: ['token_ttl'], reset: 0 },
  'token-max-ttl': { field: 'token_max_ttl', reads: ['token_max_ttl'], reset: 0 },
  'token-num-uses': { field: 'token_num_uses', reads: ['token_num_uses'], reset: 0 },
  'bind-secret-id': { field: 'bind_secret_id', reads: ['bind_secret_id'], reset: true },
  'secret-id-bound-cidrs': { field: 'secret_id_bound_cidrs', reads: ['secret_id_bound_cidrs'], reset: [] },
  'token-bound-cidrs': { field: 'token_bound_cidrs', reads: ['token_bound_cidrs'], reset: [] },
  period: { field: 'token_period', alias: 'period', reads: ['period', 'token_period'], viewKey: 'token_period', reset: 0 },
  'local-secret-ids': { field: 'local_secret_ids', reads: ['local_secret_ids'], reset: undefined },
};

const ACCESSOR_RE = /^[A-Za-z0-9-]{1,128}$/;

/** Builds an AppRole backend over the mount's storage. `login` is unauthenticated. */
export function createApproleBackend(config: BackendConfig): Promise<LogicalBackend> {
  const store: ApproleStore = createApproleStore(config.storage);
  const clock = config.clock;
  const locks = createKeyedMutex();
  // Role writes and role_id changes are rare admin operations; one lock keeps role_id unique.
  const ROLES = 'roles';
  const secretLock = (role: string, key: string): string => `secret:${role}/${key}`;

  const mustRole = async (name: string): Promise<RoleRecord> => {
    const role = await store.getRole(name);
    if (role === undefined) throw badRequest(`role ${JSON.stringify(name)} does not exist`);
    return role;
  };

  const expired = (e: SecretIdEntry): boolean => e.expirationTime !== 0 && clock.now() >= e.expirationTime;

  const secretIdFields = {
    metadata: { type: 'any' },
    cidr_list: { type: 'comma-list' },
    token_bound_cidrs: { type: 'comma-list' },
    num_uses: { type: 'int' },
    ttl: { type: 'duration' },
  } as const;

  /** Creates a SecretID entry for `secretId` under role `name` (validating the request's limits). */
  const issueSecretId = async (
    name: string,
    secretId: string,
    f: { metadata: unknown; cidr_list: string[] | undefined; token_bound_cidrs: string[] | undefined; num_uses: number | undefined; ttl: number | undefined },
  ): Promise<BackendResponse> => {
    const role = await mustRole(name);
    const cidrList = f.cidr_list ?? [];
    const tokenBoundCidrs = f.token_bound_cidrs ?? [];
    validateCidrs(cidrList, 'cidr_list');
    validateCidrs(tokenBoundCidrs, 'token_bound_cidrs');
    if (!cidrsWithin(cidrList, role.secretIdBoundCidrs)) throw badRequest("'cidr_list' must be a subset of the role's 'secret_id_bound_cidrs'");
    if (!cidrsWithin(tokenBoundCidrs, role.token.boundCidrs)) throw badRequest("'token_bound_cidrs' must be a subset of the role's 'token_bound_cidrs'");
    const numUses = f.num_uses ?? role.secretIdNumUses;
    if (numUses < 0) throw badRequest("'num_uses' cannot be negative");
    if (role.secretIdNumUses > 0 && (numUses === 0 || numUses > role.secretIdNumUses)) {
      throw badRequest("'num_uses' cannot be higher than the role's 'secret_id_num_uses'");
    }
    const ttl = f.ttl ?? role.secretIdTtl;
    if (ttl < 0) throw badRequest("'ttl' cannot be negative");
    if (role.secretIdTtl > 0 && (ttl === 0 || ttl > role.secretIdTtl)) throw badRequest("'ttl' cannot be longer than the role's 'secret_id_ttl'");
    const metadata = parseMetadata(f.metadata);
    const key = await store.secretIdKey(secretId);
    return locks.run(secretLock(name, key), async (): Promise<BackendResponse> => {
      if ((await store.getSecretId(name, key)) !== undefined) throw badRequest('secret ID already exists');
      const now = clock.now();
      const entry: SecretIdEntry = {
        accessor: randomUUID(),
        numUses,
        ttl,
        creationTime: now,
        expirationTime: ttl > 0 ? now + ttl * 1000 : 0,
        lastUpdatedTime: now,
        metadata,
        cidrList,
        tokenBoundCidrs,
      };
      await store.putSecretId(name, key, entry);
      return dataResponse({ secret_id: secretId, secret_id_accessor: entry.accessor, secret_id_ttl: ttl, secret_id_num_uses: numUses });
    });
  };

  const accessorKey = async (name: string, accessor: string | undefined): Promise<string> => {
    if (accessor === undefined || accessor === '') throw badRequest('missing secret_id_accessor');
    const key = ACCESSOR_RE.test(accessor) ? await store.keyByAccessor(name, accessor) : undefined;
    if (key === undefined) throw badRequest(`failed to find accessor entry for secret_id_accessor: ${JSON.stringify(accessor)}`);
    return key;
  };

  const destroy = (name: string, key: string): Promise<BackendResponse> =>
    locks.run(secretLock(name, key), async (): Promise<BackendResponse> => {
      const e = await store.getSecretId(name, key);
      if (e !== undefined) await store.deleteSecretId(name, key, e.accessor);
      return noContent();
    });

  const lookup = async (name: string, key: string): Promise<BackendResponse> => {
    const e = await store.getSecretId(name, key);
    if (e === undefined || expired(e)) return noContent();
    return dataResponse(secretIdData(e));
  };

  const roleFields = {
    bind_secret_id: { type: 'bool' },
    secret_id_bound_cidrs: { type: 'comma-list' },
    secret_id_num_uses: { type: 'int' },
    secret_id_ttl: { type: 'duration' },
    local_secret_ids: { type: 'bool' },
    role_id: { type: 'string' },
    ...TOKEN_FIELD_SPECS,
  } as const;

  type RoleSource = Pick<PathRequest<typeof roleFields>, 'fields' | 'has'>;
  /** Creates or updates role `name` from the fields present in `src` (a request or one single-field write). */
  const writeRole = (name: string, src: RoleSource, mustExist = false): Promise<BackendResponse> => {
    const f = src.fields;
    return locks.run(ROLES, async (): Promise<BackendResponse> => {
      const existing = await store.getRole(name);
      if (mustExist && existing === undefined) throw badRequest(`role ${JSON.stringify(name)} does not exist`);
      if (existing !== undefined && src.has('local_secret_ids') && f.local_secret_ids !== existing.localSecretIds) {
        throw badRequest("'local_secret_ids' can only be set when the role is created");
      }
      const role: RoleRecord = {
        roleId: existing?.roleId ?? (f.role_id !== undefined && f.role_id !== '' ? f.role_id : randomUUID()),
        bindSecretId: f.bind_secret_id ?? existing?.bindSecretId ?? true,
        secretIdBoundCidrs: f.secret_id_bound_cidrs ?? existing?.secretIdBoundCidrs ?? [],
        secretIdNumUses: f.secret_id_num_uses ?? existing?.secretIdNumUses ?? 0,
        secretIdTtl: f.secret_id_ttl ?? existing?.secretIdTtl ?? 0,
        localSecretIds: existing?.localSecretIds ?? f.local_secret_ids ?? false,
        token: applyTokenFields(existing?.token ?? defaultTokenParams(), src),
      };
      if (role.secretIdNumUses < 0) throw badRequest("'secret_id_num_uses' cannot be negative");
      if (role.secretIdTtl < 0) throw badRequest("'secret_id_ttl' cannot be negative");
      validateCidrs(role.secretIdBoundCidrs, 'secret_id_bound_cidrs');
      checkConstraints(role);
      const newRoleId = existing !== undefined && f.role_id !== undefined && f.role_id !== '' ? f.role_id : role.roleId;
      if (existing === undefined || newRoleId !== existing.roleId) {
        if ((await store.roleNameById(newRoleId)) !== undefined) throw badRequest('role_id already in use');
        await store.putRoleIdIndex(newRoleId, name);
        if (existing !== undefined) await store.deleteRoleIdIndex(existing.roleId);
        role.roleId = newRoleId;
      }
      await store.putRole(name, role);
      return noContent();
    });
  };

  const roleView = (role: RoleRecord): Record<string, unknown> => ({
    bind_secret_id: role.bindSecretId,
    secret_id_bound_cidrs: [...role.secretIdBoundCidrs],
    secret_id_num_uses: role.secretIdNumUses,
    secret_id_ttl: role.secretIdTtl,
    local_secret_ids: role.localSecretIds,
    ...tokenParamsToData(role.token),
  });

  /** A source carrying exactly one role field, as a single-field endpoint writes it. */
  const onlyField = (field: keyof typeof roleFields, value: unknown): RoleSource => {
    const fields = Object.fromEntries(Object.keys(roleFields).map((k) => [k, k === field ? value : undefined])) as RoleSource['fields'];
    return { fields, has: (k) => k === field };
  };

  const singleFieldPaths = Object.entries(SINGLE_FIELDS).map(([segment, spec]) =>
    definePath({
      pattern: `role/:name/${segment}`,
      fields: roleFields,
      operations: {
        read: async (req) => {
          const role = await store.getRole(roleName(req.params['name']));
          if (role === undefined) return noContent();
          const view = roleView(role);
          return dataResponse(Object.fromEntries(spec.reads.map((k) => [k, view[spec.viewKey ?? k]])));
        },
        ...(spec.reset === undefined
          ? {}
          : {
              update: async (req: RoleSource & { params: Readonly<Record<string, string>> }) => {
                const name = roleName(req.params['name']);
                const sent = [spec.field, ...(spec.alias ? [spec.alias] : [])].find((k) => req.has(k));
                if (sent === undefined) throw badRequest(`missing ${spec.field}`);
                return writeRole(name, onlyField(spec.field, req.fields[sent]), true);
              },
              delete: async (req: { params: Readonly<Record<string, string>> }) => writeRole(roleName(req.params['name']), onlyField(spec.field, spec.reset), true),
            }),
      },
      help: `Read${spec.reset === undefined ? '' : ', set or reset'} the role's ${spec.field}.`,
    }),
  );

  const backend = createBackend({
    specialPaths: { unauthenticated: ['login'] },
    // Renewing a login's token: the role must still exist with the same token policies.
    renewLogin: async (token) => {
      const name = token.metadata['role_name'] ?? '';
      const role = name === '' ? undefined : await store.getRole(name);
      return loginRenewal(role?.token, token, `role ${JSON.stringify(name)}`);
    },
    paths: [
      definePath({
        pattern: 'role/?',
        operations: { list: async () => listResponse(await store.listRoles()) },
        help: 'List roles.',
      }),
      definePath({
        pattern: 'role/:name/role-id',
        fields: { role_id: { type: 'string' } },
        operations: {
          read: async (req) => {
            const role = await store.getRole(roleName(req.params['name']));
            return role === undefined ? noContent() : dataResponse({ role_id: role.roleId });
          },
          update: async (req) => {
            const name = roleName(req.params['name']);
            const roleId = req.fields.role_id ?? '';
            if (roleId === '') throw badRequest('missing role_id');
            return locks.run(ROLES, async (): Promise<BackendResponse> => {
              const role = await mustRole(name);
              if (roleId === role.roleId) return noContent();
              if ((await store.roleNameById(roleId)) !== undefined) throw badRequest('role_id already in use');
              await store.putRoleIdIndex(roleId, name);
              await store.deleteRoleIdIndex(role.roleId);
              await store.putRole(name, { ...role, roleId });
              return noContent();
            });
          },
        },
        help: "Read or set a role's role_id.",
      }),
      definePath({
        pattern: 'role/:name/secret-id/?',
        fields: secretIdFields,
        operations: {
          list: async (req) => {
            const name = roleName(req.params['name']);
            await mustRole(name);
            return listResponse(await store.listAccessors(name));
          },
          update: async (req) => issueSecretId(roleName(req.params['name']), randomUUID(), req.fields),
        },
        help: 'Generate a SecretID, or list SecretID accessors.',
      }),
      definePath({
        pattern: 'role/:name/custom-secret-id',
        fields: { secret_id: { type: 'string' }, ...secretIdFields },
        operations: {
          update: async (req) => {
            const secretId = req.fields.secret_id ?? '';
            if (secretId === '') throw badRequest('missing secret_id');
            return issueSecretId(roleName(req.params['name']), secretId, req.fields);
          },
        },
        help: 'Register a caller-chosen SecretID.',
      }),
      definePath({
        pattern: 'role/:name/secret-id/:action',
        fields: { secret_id: { type: 'string' } },
        operations: {
          update: async (req) => {
            const name = roleName(req.params['name']);
            const action = req.params['action'];
            if (action !== 'lookup' && action !== 'destroy') throw new CofferError('unsupported_path', 'unsupported path');
            const secretId = req.fields.secret_id ?? '';
            if (secretId === '') throw badRequest('missing secret_id');
            await mustRole(name);
            const key = await store.secretIdKey(secretId);
            return action === 'lookup' ? lookup(name, key) : destroy(name, key);
          },
        },
        help: 'Look up or destroy a SecretID by its value.',
      }),
      definePath({
        pattern: 'role/:name/secret-id-accessor/:action',
        fields: { secret_id_accessor: { type: 'string' } },
        operations: {
          update: async (req) => {
            const name = roleName(req.params['name']);
            const action = req.params['action'];
            if (action !== 'lookup' && action !== 'destroy') throw new CofferError('unsupported_path', 'unsupported path');
            await mustRole(name);
            const key = await accessorKey(name, req.fields.secret_id_accessor);
            return action === 'lookup' ? lookup(name, key) : destroy(name, key);
          },
        },
        help: 'Look up or destroy a SecretID by its accessor.',
      }),
      ...singleFieldPaths,
      definePath({
        pattern: 'role/:name',
        fields: roleFields,
        exists: async (req) => (await store.getRole(roleName(req.params['name']))) !== undefined,
        operations: {
          read: async (req) => {
            const role = await store.getRole(roleName(req.params['name']));
            return role === undefined ? noContent() : dataResponse(roleView(role));
          },
          update: async (req) => writeRole(roleName(req.params['name']), req),
          delete: async (req) => {
            const name = roleName(req.params['name']);
            return locks.run(ROLES, async (): Promise<BackendResponse> => {
              const role = await store.getRole(name);
              if (role === undefined) return noContent();
              for (const key of await store.listSecretIdKeys(name)) {
                const e = await store.getSecretId(name, key);
                await store.deleteSecretId(name, key, e?.accessor ?? '');
              }
              await store.deleteRoleIdIndex(role.roleId);
              await store.deleteRole(name);
              return noContent();
            });
          },
        },
        help: 'Create, read, update or delete a role.',
      }),
      definePath({
        pattern: 'login',
        fields: { role_id: { type: 'string' }, secret_id: { type: 'string' } },
        operations: {
          update: async (req) => {
            const fail = (): CofferError => badRequest(LOGIN_FAILED);
            const roleId = req.fields.role_id ?? '';
            if (roleId === '') throw badRequest('missing role_id');
            const name = await store.roleNameById(roleId);
            const role = name === undefined ? undefined : await store.getRole(name);
            if (name === undefined || role === undefined || role.roleId !== roleId) throw fail();
            if (!addressAllowed(role.secretIdBoundCidrs, req.remoteAddress)) throw fail();
            if (!addressAllowed(role.token.boundCidrs, req.remoteAddress)) throw fail();
            let secretMeta: Record<string, string> = {};
            let boundCidrs = role.token.boundCidrs;
            if (role.bindSecretId) {
              const secretId = req.fields.secret_id ?? '';
              if (secretId === '') throw fail();
              const key = await store.secretIdKey(secretId);
              const entry = await locks.run(secretLock(name, key), async () => {
                const e = await store.getSecretId(name, key);
                if (e === undefined) return undefined;
                if (expired(e)) {
                  await store.deleteSecretId(name, key, e.accessor);
                  return undefined;
                }
                if (!addressAllowed(e.cidrList, req.remoteAddress) || !addressAllowed(e.tokenBoundCidrs, req.remoteAddress)) return undefined;
                if (e.numUses === 1) await store.deleteSecretId(name, key, e.accessor);
                else if (e.numUses > 1) await store.putSecretId(name, key, { ...e, numUses: e.numUses - 1, lastUpdatedTime: clock.now() });
                return e;
              });
              if (entry === undefined) throw fail();
              secretMeta = entry.metadata;
              if (entry.tokenBoundCidrs.length > 0) boundCidrs = entry.tokenBoundCidrs;
            }
            const metadata = { ...secretMeta, role_name: name };
            const grant = tokenGrant({ ...role.token, boundCidrs }, { metadata, displayName: '', alias: { name: role.roleId, metadata } });
            return { kind: 'data', data: null, grant };
          },
        },
        help: 'Log in with a role_id and SecretID.',
      }),
      definePath({
        pattern: 'tidy/secret-id',
        operations: {
          update: async () => {
            const now = clock.now();
            for (const name of await store.secretIdRoles()) {
              const roleGone = (await store.getRole(name)) === undefined;
              for (const key of await store.listSecretIdKeys(name)) {
                await locks.run(secretLock(name, key), async () => {
                  const e = await store.getSecretId(name, key);
                  if (e === undefined) return;
                  if (roleGone || (e.expirationTime !== 0 && now >= e.expirationTime)) await store.deleteSecretId(name, key, e.accessor);
                });
              }
            }
            return { kind: 'data', data: null };
          },
        },
        help: 'Remove expired SecretIDs.',
      }),
    ],
  });
  return Promise.resolve(backend);
}
