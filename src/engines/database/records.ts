// What the engine stores in its mount view: connection configs, dynamic roles, static roles and
// write-ahead records, with their storage keys and parsers (storage JSON enters as unknown).

import { getJson, putJson } from '../../sdk/index.js';
import type { Storage } from '../../sdk/index.js';
import { CofferError } from '../../shared/index.js';

export const CONFIG_PREFIX = 'config/';
export const ROLE_PREFIX = 'role/';
export const STATIC_ROLE_PREFIX = 'static-role/';
/** Dynamic users created but not yet leased (see write-ahead.ts). */
export const CREDS_WAL_PREFIX = 'wal/';
/** A static role's rotation in progress: the password being set. */
export const STATIC_WAL_PREFIX = 'static-wal/';
/** A root rotation in progress: the new root password. */
export const ROOT_WAL_PREFIX = 'root-wal/';

export interface DbConfigRecord {
  plugin_name: string;
  plugin_version: string;
  connection_url: string;
  username: string;
  password: string;
  allowed_roles: string[];
  verify_connection: boolean;
  max_open_connections: number;
  max_idle_connections: number;
  /** seconds */
  max_connection_lifetime: number;
  password_policy: string;
  username_template: string;
  root_rotation_statements: string[];
  disable_escaping: boolean;
  password_authentication: string;
}

export interface RoleRecord {
  db_name: string;
  creation_statements: string[];
  revocation_statements: string[];
  rollback_statements: string[];
  renew_statements: string[];
  /** seconds; 0 = the mount's default / max */
  default_ttl: number;
  max_ttl: number;
  credential_type: string;
  credential_config: Record<string, unknown>;
}

export interface StaticRoleRecord {
  db_name: string;
  username: string;
  /** seconds */
  rotation_period: number;
  rotation_statements: string[];
  credential_type: string;
  /** '' until the first rotation when the import rotation was skipped */
  password: string;
  /** ms since the epoch of the last rotation (or of creation when the import rotation was skipped) */
  last_vault_rotation: number;
  skip_import_rotation: boolean;
}

/** A dynamic user created before its lease exists. */
export interface CredsWalRecord {
  db_name: string;
  username: string;
  role: string;
  revocation_statements: string[];
  /** ms since the epoch */
  created: number;
}

export interface PasswordWalRecord {
  password: string;
  created: number;
}

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (o: Obj, k: string, d = ''): string => (typeof o[k] === 'string' ? o[k] : d);
const num = (o: Obj, k: string, d = 0): number => (typeof o[k] === 'number' && Number.isFinite(o[k]) ? o[k] : d);
const bool = (o: Obj, k: string, d: boolean): boolean => (typeof o[k] === 'boolean' ? o[k] : d);
const strs = (o: Obj, k: string): string[] => (Array.isArray(o[k]) ? (o[k] as unknown[]).filter((x): x is string => typeof x === 'string') : []);

const corrupt = (key: string): CofferError => new CofferError('internal', `stored entry ${JSON.stringify(key)} is malformed`);

async function load<T>(storage: Storage, key: string, parse: (o: Obj) => T): Promise<T | undefined> {
  const raw = await getJson(storage, key);
  if (raw === undefined) return undefined;
  if (!isObj(raw)) throw corrupt(key);
  return parse(raw);
}

export const loadConfig = (s: Storage, name: string): Promise<DbConfigRecord | undefined> =>
  load(s, CONFIG_PREFIX + name, (o) => ({
    plugin_name: str(o, 'plugin_name'),
    plugin_version: str(o, 'plugin_version'),
    connection_url: str(o, 'connection_url'),
    username: str(o, 'username'),
    password: str(o, 'password'),
    allowed_roles: strs(o, 'allowed_roles'),
    verify_connection: bool(o, 'verify_connection', true),
    max_open_connections: num(o, 'max_open_connections', 4),
    max_idle_connections: num(o, 'max_idle_connections', 0),
    max_connection_lifetime: num(o, 'max_connection_lifetime', 0),
    password_policy: str(o, 'password_policy'),
    username_template: str(o, 'username_template'),
    root_rotation_statements: strs(o, 'root_rotation_statements'),
    disable_escaping: bool(o, 'disable_escaping', false),
    password_authentication: str(o, 'password_authentication', 'password'),
  }));

export const loadRole = (s: Storage, name: string): Promise<RoleRecord | undefined> =>
  load(s, ROLE_PREFIX + name, (o) => ({
    db_name: str(o, 'db_name'),
    creation_statements: strs(o, 'creation_statements'),
    revocation_statements: strs(o, 'revocation_statements'),
    rollback_statements: strs(o, 'rollback_statements'),
    renew_statements: strs(o, 'renew_statements'),
    default_ttl: num(o, 'default_ttl'),
    max_ttl: num(o, 'max_ttl'),
    credential_type: str(o, 'credential_type', 'password'),
    credential_config: isObj(o['credential_config']) ? o['credential_config'] : {},
  }));

export const loadStaticRole = (s: Storage, name: string): Promise<StaticRoleRecord | undefined> =>
  load(s, STATIC_ROLE_PREFIX + name, (o) => ({
    db_name: str(o, 'db_name'),
    username: str(o, 'username'),
    rotation_period: num(o, 'rotation_period'),
    rotation_statements: strs(o, 'rotation_statements'),
    credential_type: str(o, 'credential_type', 'password'),
    password: str(o, 'password'),
    last_vault_rotation: num(o, 'last_vault_rotation'),
    skip_import_rotation: bool(o, 'skip_import_rotation', false),
  }));

export const loadCredsWal = (s: Storage, key: string): Promise<CredsWalRecord | undefined> =>
  load(s, key, (o) => ({
    db_name: str(o, 'db_name'),
    username: str(o, 'username'),
    role: str(o, 'role'),
    revocation_statements: strs(o, 'revocation_statements'),
    created: num(o, 'created'),
  }));

export const loadPasswordWal = (s: Storage, key: string): Promise<PasswordWalRecord | undefined> =>
  load(s, key, (o) => ({ password: str(o, 'password'), created: num(o, 'created') }));

export const saveConfig = (s: Storage, name: string, r: DbConfigRecord): Promise<void> => putJson(s, CONFIG_PREFIX + name, r);
export const saveRole = (s: Storage, name: string, r: RoleRecord): Promise<void> => putJson(s, ROLE_PREFIX + name, r);
export const saveStaticRole = (s: Storage, name: string, r: StaticRoleRecord): Promise<void> => putJson(s, STATIC_ROLE_PREFIX + name, r);

/**
 * A statement list as Vault's string-slice fields take it: a JSON list, or one string (kept
 * whole: statements contain commas). Empty strings are dropped.
 */
export function statementList(v: unknown, field: string): string[] {
  if (v === undefined || v === null) return [];
  if (typeof v === 'string') return v.trim() === '' ? [] : [v];
  if (Array.isArray(v)) {
    return v.map((x) => {
      if (typeof x !== 'string') throw new CofferError('invalid_request', `${field} must be a string or a list of strings`);
      return x;
    }).filter((x) => x.trim() !== '');
  }
  throw new CofferError('invalid_request', `${field} must be a string or a list of strings`);
}

