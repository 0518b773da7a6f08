// The Vault response envelope (snake_case, Vault's key order) and the "sys injector" that copies
// data keys to the top level for the sys paths whose old clients read them there.

import type { ResponseBody } from '../core/index.js';

type AuthResponse = NonNullable<ResponseBody['auth']>;

/** The `auth` object in Vault's key order; `token_policies`/`identity_policies` are omitempty. */
function authJson(a: AuthResponse): Record<string, unknown> {
  return {
    client_token: a.clientToken,
    accessor: a.accessor,
    policies: a.policies,
    ...(a.tokenPolicies.length > 0 ? { token_policies: a.tokenPolicies } : {}),
    ...(a.identityPolicies && a.identityPolicies.length > 0 ? { identity_policies: a.identityPolicies } : {}),
    metadata: a.metadata,
    lease_duration: a.leaseDuration,
    renewable: a.renewable,
    entity_id: a.entityId,
    token_type: a.tokenType,
    orphan: a.orphan,
    mfa_requirement: a.mfaRequirement,
    num_uses: a.numUses,
  };
}

// Characters JSON.stringify would escape: '"', '\\', controls, and any surrogate (lone ones are
// escaped; for simplicity a pair also takes the slow path).
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/** JSON.stringify(s), without the call for the usual plain strings (ids, mount types). */
function jsonString(s: string): string {
  return NEEDS_ESCAPE.test(s) ? JSON.stringify(s) : '"' + s + '"';
}

/** JSON.stringify(n): finite numbers print as String(n) does, the rest as null. */
function jsonNumber(n: number): string {
  return Number.isFinite(n) ? String(n) : 'null';
}

type WrapInfo = NonNullable<ResponseBody['wrapInfo']>;

/** `wrap_info`; `wrapped_accessor` is omitempty. */
function wrapInfoJson(w: WrapInfo): Record<string, unknown> {
  return {
    token: w.token,
    accessor: w.accessor,
    ttl: w.ttl,
    creation_time: w.creationTime,
    creation_path: w.creationPath,
    ...(w.wrappedAccessor !== '' ? { wrapped_accessor: w.wrappedAccessor } : {}),
  };
}

export function envelopeJson(body: ResponseBody, inject: boolean): string {
  if (!inject && body.auth === null && body.wrapInfo === undefined && body.data !== undefined && body.warnings !== undefined) {
    // The common case, concatenated in the key order below: same bytes as JSON.stringify of the
    // envelope object, without building that object.
    return (
      '{"request_id":' +
      jsonString(body.requestId) +
      ',"lease_id":' +
      jsonString(body.leaseId) +
      ',"renewable":' +
      (body.renewable ? 'true' : 'false') +
      ',"lease_duration":' +
      jsonNumber(body.leaseDuration) +
      ',"data":' +
      (body.data === null ? 'null' : JSON.stringify(body.data)) +
      ',"wrap_info":null,"warnings":' +
      (body.warnings === null ? 'null' : JSON.stringify(body.warnings)) +
      ',"auth":null,"mount_type":' +
      jsonString(body.mountType) +
      '}'
    );
  }
  const envelope = {
    request_id: body.requestId,
    lease_id: body.leaseId,
    renewable: body.renewable,
    lease_duration: body.leaseDuration,
    data: body.data,
    wrap_info: body.wrapInfo ? wrapInfoJson(body.wrapInfo) : null,
    warnings: body.warnings,
    auth: body.auth ? authJson(body.auth) : null,
    mount_type: body.mountType,
  };
  if (inject && body.data !== null && Object.keys(body.data).length > 0) {
    return JSON.stringify({ ...body.data, ...envelope });
  }
  return JSON.stringify(envelope);
}

const injectExact = new Set([
  'sys/audit',
  'sys/auth',
  'sys/config/cors',
  'sys/config/auditing/request-headers',
  'sys/capabilities',
  'sys/capabilities-accessor',
  'sys/capabilities-self',
  'sys/ha-status',
  'sys/key-status',
  'sys/mounts',
  'sys/policy',
  'sys/rekey/backup',
  'sys/rekey/recovery-key-backup',
  'sys/remount',
  'sys/rotate',
  'sys/wrapping/wrap',
]);
const injectPrefixes = [
  'sys/audit/',
  'sys/audit-hash/',
  'sys/auth/',
  'sys/config/auditing/request-headers/',
  'sys/mounts/',
  'sys/policy/',
];

/** Whether a response to `path` (under /v1/, no leading '/') gets its data injected at top level. */
export function injectsTopLevel(path: string): boolean {
  if (!path.startsWith('sys/')) return false;
  const p = path.endsWith('/') ? path.slice(0, -1) : path;
  if (injectExact.has(p)) return true;
  return injectPrefixes.some((prefix) => p.startsWith(prefix));
}
