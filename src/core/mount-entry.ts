// Mount table entries: what is mounted where, with its tunables. Persisted (encrypted) in the
// barrier as JSON under core/mounts and core/auth; parsed once when the core unseals.

import { CofferError } from '../shared/index.js';

export type MountTable = 'mounts' | 'auth';

export interface MountConfig {
  /** seconds; 0 = system default */
  defaultLeaseTtl: number;
  /** seconds; 0 = system default */
  maxLeaseTtl: number;
  forceNoCache: boolean;
  listingVisibility: '' | 'unauth' | 'hidden';
  auditNonHmacRequestKeys: string[];
  auditNonHmacResponseKeys: string[];
  passthroughRequestHeaders: string[];
  allowedResponseHeaders: string[];
  /** auth mounts only */
  tokenType?: string;
}

export interface MountEntry {
  table: MountTable;
  /** Relative to the table, with a trailing '/': "secret/", "userpass/". */
  path: string;
  type: string;
  description: string;
  uuid: string;
  accessor: string;
  config: MountConfig;
  options: Record<string, string> | null;
  local: boolean;
  sealWrap: boolean;
  externalEntropyAccess: boolean;
  /** Mounts that exist on every server and cannot be disabled or moved. */
  builtin: boolean;
}

export function defaultMountConfig(): MountConfig {
  return {
    defaultLeaseTtl: 0,
    maxLeaseTtl: 0,
    forceNoCache: false,
    listingVisibility: '',
    auditNonHmacRequestKeys: [],
    auditNonHmacResponseKeys: [],
    passthroughRequestHeaders: [],
    allowedResponseHeaders: [],
  };
}

/** The router path of an entry: "secret/" or "auth/userpass/". */
export function routePath(e: MountEntry): string {
  return e.table === 'auth' ? `auth/${e.path}` : e.path;
}

/** The barrier prefix holding the entry's data. */
export function viewPrefix(e: MountEntry): string {
  if (e.type === 'system') return 'sys/';
  return e.table === 'auth' ? `auth/${e.uuid}/` : `logical/${e.uuid}/`;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

const str = (v: unknown, d = ''): string => (typeof v === 'string' ? v : d);
const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
const strList = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/** Parses a persisted table; anything malformed is an internal error (storage is trusted-but-checked). */
export function parseMountTable(raw: unknown, table: MountTable): MountEntry[] {
  if (!Array.isArray(raw)) throw new CofferError('internal', `stored ${table} table is malformed`);
  return raw.map((r): MountEntry => {
    if (!isRecord(r) || typeof r['path'] !== 'string' || typeof r['type'] !== 'string' || typeof r['uuid'] !== 'string') {
      throw new CofferError('internal', `stored ${table} table has a malformed entry`);
    }
    const c = isRecord(r['config']) ? r['config'] : {};
    const lv = str(c['listingVisibility']);
    const config: MountConfig = {
      defaultLeaseTtl: num(c['defaultLeaseTtl']),
      maxLeaseTtl: num(c['maxLeaseTtl']),
      forceNoCache: c['forceNoCache'] === true,
      listingVisibility: lv === 'unauth' || lv === 'hidden' ? lv : '',
      auditNonHmacRequestKeys: strList(c['auditNonHmacRequestKeys']),
      auditNonHmacResponseKeys: strList(c['auditNonHmacResponseKeys']),
      passthroughRequestHeaders: strList(c['passthroughRequestHeaders']),
      allowedResponseHeaders: strList(c['allowedResponseHeaders']),
      ...(typeof c['tokenType'] === 'string' ? { tokenType: c['tokenType'] } : {}),
    };
    let options: Record<string, string> | null = null;
    if (isRecord(r['options'])) {
      options = {};
      for (const [k, v] of Object.entries(r['options'])) if (typeof v === 'string') options[k] = v;
    }
    return {
      table,
      path: r['path'],
      type: r['type'],
      description: str(r['description']),
      uuid: r['uuid'],
      accessor: str(r['accessor']),
      config,
      options,
      local: r['local'] === true,
      sealWrap: r['sealWrap'] === true,
      externalEntropyAccess: r['externalEntropyAccess'] === true,
      builtin: r['builtin'] === true,
    };
  });
}
