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

export function envelopeJson(body: ResponseBody, inject: boolean): string {
  const envelope = {
    request_id: body.requestId,
    lease_id: body.leaseId,
    renewable: body.renewable,
    lease_duration: body.leaseDuration,
    data: body.data,
    wrap_info: null,
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
