// Audit entries in Vault's JSON format: one `request` entry before a request runs (after it was
// authorised) and one `response` entry after. Sensitive values go through the device's hash:
// tokens and accessors, and every string in request and response data.

import type { AuthResponse, Operation } from '../../sdk/index.js';
import type { WrapInfo } from '../wrapping.js';
import type { Hash } from './audit-hash.js';
import { hashStrings } from './audit-hash.js';

/** The caller's token as the audit log describes it. */
export interface AuditAuth {
  clientToken: string;
  accessor: string;
  displayName: string;
  policies: readonly string[];
  tokenPolicies: readonly string[];
  identityPolicies: readonly string[];
  metadata: Readonly<Record<string, string>> | null;
  entityId: string;
  tokenType: string;
  /** seconds */
  tokenTtl: number;
  /** ms since the epoch */
  issueTime: number;
}

export interface AuditRequest {
  id: string;
  operation: Operation;
  path: string;
  data: Record<string, unknown> | undefined;
  mount: { path: string; type: string; accessor: string; class: 'secret' | 'auth' } | undefined;
  remoteAddress: string;
  wrapTtl: number;
  auth: AuditAuth | undefined;
}

export interface AuditResponse {
  data: Record<string, unknown> | null;
  leaseId: string;
  auth: AuthResponse | null;
  wrapInfo: WrapInfo | undefined;
  warnings: readonly string[] | null;
}

export interface DeviceFormat {
  hash: Hash;
  /** Whether accessors are hashed too (hmac_accessor, default true). */
  hashAccessor: boolean;
  prefix: string;
}

function authObject(a: AuditAuth | undefined, f: DeviceFormat): Record<string, unknown> {
  if (a === undefined) return {};
  const acc = (s: string): string => (s !== '' && f.hashAccessor ? f.hash(s) : s);
  const out: Record<string, unknown> = {
    client_token: a.clientToken === '' ? '' : f.hash(a.clientToken),
    accessor: acc(a.accessor),
    display_name: a.displayName,
    policies: [...a.policies],
    token_policies: [...a.tokenPolicies],
  };
  if (a.identityPolicies.length > 0) out['identity_policies'] = [...a.identityPolicies];
  out['metadata'] = a.metadata;
  out['entity_id'] = a.entityId;
  out['token_type'] = a.tokenType;
  out['token_ttl'] = a.tokenTtl;
  out['token_issue_time'] = new Date(a.issueTime).toISOString();
  return out;
}

function requestObject(r: AuditRequest, f: DeviceFormat): Record<string, unknown> {
  const acc = (s: string): string => (s !== '' && f.hashAccessor ? f.hash(s) : s);
  const out: Record<string, unknown> = {
    id: r.id,
    operation: r.operation,
    mount_point: r.mount?.path ?? '',
    mount_type: r.mount?.type ?? '',
    mount_accessor: r.mount?.accessor ?? '',
    mount_class: r.mount?.class ?? '',
    client_token: r.auth && r.auth.clientToken !== '' ? f.hash(r.auth.clientToken) : '',
    client_token_accessor: acc(r.auth?.accessor ?? ''),
    namespace: { id: 'root' },
    path: r.path,
  };
  if (r.data !== undefined) out['data'] = hashStrings(r.data, f.hash);
  out['remote_address'] = r.remoteAddress;
  if (r.wrapTtl > 0) out['wrap_ttl'] = r.wrapTtl;
  return out;
}

function responseObject(r: AuditRequest, res: AuditResponse, f: DeviceFormat): Record<string, unknown> {
  const acc = (s: string): string => (s !== '' && f.hashAccessor ? f.hash(s) : s);
  const out: Record<string, unknown> = {
    mount_point: r.mount?.path ?? '',
    mount_type: r.mount?.type ?? '',
    mount_accessor: r.mount?.accessor ?? '',
    mount_class: r.mount?.class ?? '',
  };
  if (res.auth) {
    const a = res.auth;
    out['auth'] = {
      client_token: a.clientToken === '' ? '' : f.hash(a.clientToken),
      accessor: acc(a.accessor),
      policies: [...a.policies],
      token_policies: [...a.tokenPolicies],
      ...(a.identityPolicies && a.identityPolicies.length > 0 ? { identity_policies: [...a.identityPolicies] } : {}),
      metadata: a.metadata,
      entity_id: a.entityId,
      token_type: a.tokenType,
      token_ttl: a.leaseDuration,
    };
  }
  if (res.leaseId !== '') out['secret'] = { lease_id: res.leaseId };
  if (res.data !== null) out['data'] = hashStrings(res.data, f.hash);
  if (res.wrapInfo) {
    const w = res.wrapInfo;
    out['wrap_info'] = {
      token: f.hash(w.token),
      accessor: acc(w.accessor),
      ttl: w.ttl,
      creation_time: w.creationTime,
      creation_path: w.creationPath,
      ...(w.wrappedAccessor ? { wrapped_accessor: acc(w.wrappedAccessor) } : {}),
    };
  }
  if (res.warnings && res.warnings.length > 0) out['warnings'] = [...res.warnings];
  return out;
}

/**
 * The `"auth":{…},"request":{…}` part of a request's entries, serialised. It is the same in the
 * request and the response entry of one request, so a device formats it once for both.
 */
export function formatEntryHead(r: AuditRequest, f: DeviceFormat): string {
  return `"auth":${authJson(r.auth, f)},"request":${JSON.stringify(requestObject(r, f))}`;
}

/** Serialised auth objects per token view and device format (the request handler reuses a token's view). */
const authJsonCache = new WeakMap<AuditAuth, WeakMap<DeviceFormat, string>>();

function authJson(a: AuditAuth | undefined, f: DeviceFormat): string {
  if (a === undefined) return '{}';
  let perFormat = authJsonCache.get(a);
  if (perFormat === undefined) {
    perFormat = new WeakMap();
    authJsonCache.set(a, perFormat);
  }
  let json = perFormat.get(f);
  if (json === undefined) {
    json = JSON.stringify(authObject(a, f));
    perFormat.set(f, json);
  }
  return json;
}

let lastTime = Number.NaN;
let lastIso = '';

/** Entries of one request usually share their millisecond: format each millisecond once. */
function isoTime(ms: number): string {
  if (ms !== lastTime) {
    lastTime = ms;
    lastIso = new Date(ms).toISOString();
  }
  return lastIso;
}

/** One `request` entry as the line a device records (`head` from formatEntryHead for the same request and device). */
export function formatRequestEntry(time: number, head: string, error: string, f: DeviceFormat): string {
  return `${f.prefix}{"time":${JSON.stringify(isoTime(time))},"type":"request",${head},"error":${JSON.stringify(error)}}`;
}

/** One `response` entry as the line a device records (`head` from formatEntryHead for the same request and device). */
export function formatResponseEntry(time: number, head: string, r: AuditRequest, res: AuditResponse | undefined, error: string, f: DeviceFormat): string {
  const response = res ? JSON.stringify(responseObject(r, res, f)) : '{}';
  return `${f.prefix}{"time":${JSON.stringify(isoTime(time))},"type":"response",${head},"response":${response},"error":${JSON.stringify(error)}}`;
}
