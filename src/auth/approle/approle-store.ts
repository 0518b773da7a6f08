// AppRole storage: role records, the role_id index, and SecretID entries kept under an HMAC of
// their value (never the raw secret) with an accessor index beside them.
//
// Layout: role/<name>, role-id/<hmac(role_id)> → {name}, secret-id/<name>/<hmac(secret_id)>,
// accessor/<name>/<accessor> → {hmac}, hmac-key (this mount's random HMAC key).

import { createHmac, randomBytes } from 'node:crypto';
import type { Storage } from '../../sdk/index.js';
import { getJson, putJson } from '../../sdk/index.js';
import type { TokenParams } from '../token-fields.js';
import { parseStoredTokenParams } from '../token-fields.js';

export interface RoleRecord {
  roleId: string;
  bindSecretId: boolean;
  secretIdBoundCidrs: string[];
  secretIdNumUses: number;
  /** seconds; 0 = never expires */
  secretIdTtl: number;
  localSecretIds: boolean;
  token: TokenParams;
}

export interface SecretIdEntry {
  accessor: string;
  /** remaining uses; 0 = unlimited */
  numUses: number;
  /** seconds, as granted */
  ttl: number;
  /** ms since the epoch */
  creationTime: number;
  /** ms since the epoch; 0 = never */
  expirationTime: number;
  lastUpdatedTime: number;
  metadata: Record<string, string>;
  cidrList: string[];
  tokenBoundCidrs: string[];
}

export interface ApproleStore {
  getRole(name: string): Promise<RoleRecord | undefined>;
  putRole(name: string, role: RoleRecord): Promise<void>;
  deleteRole(name: string): Promise<void>;
  listRoles(): Promise<string[]>;
  /** The role name owning `roleId`, if any. */
  roleNameById(roleId: string): Promise<string | undefined>;
  putRoleIdIndex(roleId: string, name: string): Promise<void>;
  deleteRoleIdIndex(roleId: string): Promise<void>;
  /** The storage id (an HMAC) of a SecretID value. */
  secretIdKey(secretId: string): Promise<string>;
  getSecretId(role: string, key: string): Promise<SecretIdEntry | undefined>;
  putSecretId(role: string, key: string, entry: SecretIdEntry): Promise<void>;
  /** Removes the entry and its accessor index. */
  deleteSecretId(role: string, key: string, accessor: string): Promise<void>;
  /** The HMAC key of the SecretID that has `accessor`, if any. */
  keyByAccessor(role: string, accessor: string): Promise<string | undefined>;
  listAccessors(role: string): Promise<string[]>;
  /** Role names that have SecretID entries (possibly of deleted roles). */
  secretIdRoles(): Promise<string[]>;
  listSecretIdKeys(role: string): Promise<string[]>;
}

const obj = (v: unknown): Record<string, unknown> | undefined =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
const strList = (v: unknown): string[] => (Array.isArray(v) ? v.filter((e): e is string => typeof e === 'string') : []);
const num = (v: unknown): number => (typeof v === 'number' ? v : 0);

function parseRole(v: unknown): RoleRecord | undefined {
  const o = obj(v);
  if (o === undefined || typeof o['roleId'] !== 'string') return undefined;
  return {
    roleId: o['roleId'],
    bindSecretId: o['bindSecretId'] !== false,
    secretIdBoundCidrs: strList(o['secretIdBoundCidrs']),
    secretIdNumUses: num(o['secretIdNumUses']),
    secretIdTtl: num(o['secretIdTtl']),
    localSecretIds: o['localSecretIds'] === true,
    token: parseStoredTokenParams(o['token']),
  };
}

function parseSecretId(v: unknown): SecretIdEntry | undefined {
  const o = obj(v);
  if (o === undefined || typeof o['accessor'] !== 'string') return undefined;
  const meta: Record<string, string> = {};
  for (const [k, x] of Object.entries(obj(o['metadata']) ?? {})) if (typeof x === 'string') meta[k] = x;
  return {
    accessor: o['accessor'],
    numUses: num(o['numUses']),
    ttl: num(o['ttl']),
    creationTime: num(o['creationTime']),
    expirationTime: num(o['expirationTime']),
    lastUpdatedTime: num(o['lastUpdatedTime']),
    metadata: meta,
    cidrList: strList(o['cidrList']),
    tokenBoundCidrs: strList(o['tokenBoundCidrs']),
  };
}

const stripSlash = (keys: string[]): string[] => keys.map((k) => (k.endsWith('/') ? k.slice(0, -1) : k));

export function createApproleStore(storage: Storage): ApproleStore {
  let hmacKey: Promise<Buffer> | undefined;
  const key = (): Promise<Buffer> =>
    (hmacKey ??= (async () => {
      const stored = await getJson(storage, 'hmac-key');
      if (typeof stored === 'string') return Buffer.from(stored, 'base64');
      const fresh = randomBytes(32);
      await putJson(storage, 'hmac-key', fresh.toString('base64'));
      return fresh;
    })());
  const hmac = async (kind: string, value: string): Promise<string> =>
    createHmac('sha256', await key()).update(`${kind}:${value}`).digest('hex');

  return {
    getRole: async (name) => parseRole(await getJson(storage, `role/${name}`)),
    putRole: (name, role) => putJson(storage, `role/${name}`, role),
    deleteRole: (name) => storage.delete(`role/${name}`),
    listRoles: async () => storage.list('role/'),
    async roleNameById(roleId) {
      const o = obj(await getJson(storage, `role-id/${await hmac('role-id', roleId)}`));
      const name = o?.['name'];
      return typeof name === 'string' ? name : undefined;
    },
    putRoleIdIndex: async (roleId, name) => putJson(storage, `role-id/${await hmac('role-id', roleId)}`, { name }),
    deleteRoleIdIndex: async (roleId) => storage.delete(`role-id/${await hmac('role-id', roleId)}`),
    secretIdKey: (secretId) => hmac('secret-id', secretId),
    getSecretId: async (role, k) => parseSecretId(await getJson(storage, `secret-id/${role}/${k}`)),
    async putSecretId(role, k, entry) {
      await putJson(storage, `secret-id/${role}/${k}`, entry);
      await putJson(storage, `accessor/${role}/${entry.accessor}`, { hmac: k });
    },
    async deleteSecretId(role, k, accessor) {
      await storage.delete(`secret-id/${role}/${k}`);
      await storage.delete(`accessor/${role}/${accessor}`);
    },
    async keyByAccessor(role, accessor) {
      const o = obj(await getJson(storage, `accessor/${role}/${accessor}`));
      const h = o?.['hmac'];
      return typeof h === 'string' ? h : undefined;
    },
    listAccessors: (role) => storage.list(`accessor/${role}/`),
    secretIdRoles: async () => stripSlash(await storage.list('secret-id/')),
    listSecretIdKeys: (role) => storage.list(`secret-id/${role}/`),
  };
}
