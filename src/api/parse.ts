// Parsers from unknown JSON into the typed shapes of types.ts. Lenient like Go's decoder: a
// missing or mistyped field becomes the zero value; only a non-object body is an error.

import type { InitResponse, KeyStatus, LeaderStatus, MountInfo, SealStatus, VaultSecret } from './types.js';

export type Json = Record<string, unknown>;

export function isRecord(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function str(o: Json, k: string): string {
  const v = o[k];
  return typeof v === 'string' ? v : '';
}

export function num(o: Json, k: string): number {
  const v = o[k];
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v)) return Number(v);
  return 0;
}

export function bool(o: Json, k: string): boolean {
  return o[k] === true;
}

function strList(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

function recOrNull(v: unknown): Json | null {
  return isRecord(v) ? v : null;
}

/** Parses a response envelope; undefined when the body is not an object or is only `{errors}`. */
export function parseSecret(body: unknown): VaultSecret | undefined {
  if (!isRecord(body)) return undefined;
  const keys = Object.keys(body);
  if (keys.length === 0 || (keys.length === 1 && keys[0] === 'errors')) return undefined;
  const envelopeKeys = ['request_id', 'lease_id', 'lease_duration', 'renewable', 'data', 'wrap_info', 'warnings', 'auth'];
  const isEnvelope = envelopeKeys.some((k) => k in body);
  // Like the Go client: a bare object that matches no envelope field becomes the data itself.
  const data = isEnvelope ? recOrNull(body['data']) : body;
  const warnings = Array.isArray(body['warnings']) ? strList(body['warnings']) : null;
  const secret: VaultSecret = {
    request_id: str(body, 'request_id'),
    lease_id: str(body, 'lease_id'),
    renewable: bool(body, 'renewable'),
    lease_duration: num(body, 'lease_duration'),
    data,
    wrap_info: recOrNull(body['wrap_info']),
    warnings,
    auth: recOrNull(body['auth']),
    raw: body,
  };
  if (typeof body['mount_type'] === 'string') secret.mount_type = body['mount_type'];
  return secret;
}

export function parseSealStatus(b: Json): SealStatus {
  return {
    type: str(b, 'type'),
    initialized: bool(b, 'initialized'),
    sealed: bool(b, 'sealed'),
    t: num(b, 't'),
    n: num(b, 'n'),
    progress: num(b, 'progress'),
    nonce: str(b, 'nonce'),
    version: str(b, 'version'),
    build_date: str(b, 'build_date'),
    migration: bool(b, 'migration'),
    cluster_name: str(b, 'cluster_name'),
    cluster_id: str(b, 'cluster_id'),
    recovery_seal: bool(b, 'recovery_seal'),
    storage_type: str(b, 'storage_type'),
    raw: b,
  };
}

export function parseInitResponse(b: Json): InitResponse {
  return {
    keys: strList(b['keys']),
    keys_base64: strList(b['keys_base64']),
    recovery_keys: strList(b['recovery_keys']),
    recovery_keys_base64: strList(b['recovery_keys_base64']),
    root_token: str(b, 'root_token'),
  };
}

export function parseLeaderStatus(b: Json): LeaderStatus {
  return {
    ha_enabled: bool(b, 'ha_enabled'),
    is_self: bool(b, 'is_self'),
    active_time: str(b, 'active_time'),
    leader_address: str(b, 'leader_address'),
    leader_cluster_address: str(b, 'leader_cluster_address'),
    performance_standby: bool(b, 'performance_standby'),
    raw: b,
  };
}

export function parseKeyStatus(d: Json): KeyStatus {
  return { term: num(d, 'term'), install_time: str(d, 'install_time'), encryptions: num(d, 'encryptions'), raw: d };
}

export function parseMountInfo(m: Json): MountInfo {
  const cfg = isRecord(m['config']) ? m['config'] : {};
  const options = isRecord(m['options'])
    ? Object.fromEntries(Object.entries(m['options']).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]))
    : null;
  const config: MountInfo['config'] = {
    ...cfg,
    default_lease_ttl: num(cfg, 'default_lease_ttl'),
    max_lease_ttl: num(cfg, 'max_lease_ttl'),
    force_no_cache: bool(cfg, 'force_no_cache'),
  };
  if (typeof cfg['token_type'] === 'string') config.token_type = cfg['token_type'];
  return {
    type: str(m, 'type'),
    description: str(m, 'description'),
    accessor: str(m, 'accessor'),
    uuid: str(m, 'uuid'),
    local: bool(m, 'local'),
    seal_wrap: bool(m, 'seal_wrap'),
    external_entropy_access: bool(m, 'external_entropy_access'),
    options,
    config,
    plugin_version: str(m, 'plugin_version'),
    running_plugin_version: str(m, 'running_plugin_version'),
    running_sha256: str(m, 'running_sha256'),
    deprecation_status: str(m, 'deprecation_status'),
    path: str(m, 'path'),
    raw: m,
  };
}

/** Parses a `sys/mounts`-style map (`"<path>/" → mount object`), skipping non-object entries. */
export function parseMountMap(d: Json): Record<string, MountInfo> {
  const out: Record<string, MountInfo> = {};
  for (const [k, v] of Object.entries(d)) if (isRecord(v)) out[k] = parseMountInfo(v);
  return out;
}
