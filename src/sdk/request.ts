// What a backend receives and returns. Responses are a discriminated union; errors are thrown
// as CofferError. Backends never see HTTP, raw tokens or keys.

import type { Clock, Logger } from '../shared/index.js';
import type { Storage } from './storage.js';

export type Operation = 'read' | 'list' | 'create' | 'update' | 'patch' | 'delete';

/** Who is calling, as far as a backend may know. */
export interface CallerInfo {
  accessor: string;
  policies: readonly string[];
  entityId: string;
  displayName: string;
}

export interface BackendRequest {
  operation: Operation;
  /** Path relative to the mount, without a leading '/'; list paths end in '/' (or are ""). */
  path: string;
  /** Request data as received (JSON body or query); undefined when none was sent. */
  data: Record<string, unknown> | undefined;
  storage: Storage;
  mountPath: string;
  caller: CallerInfo | undefined;
  remoteAddress: string;
  /** The request id reported in the response envelope (and audit). */
  requestId: string;
}

export type BackendResponse =
  /** Success without a body: 204, or 404 for reads and lists. */
  | { kind: 'none'; warnings?: readonly string[]; accepted?: boolean }
  /** A payload. `leaseDuration` is the advisory refresh interval for unleased data (KV). */
  | {
      kind: 'data';
      data: Record<string, unknown> | null;
      warnings?: readonly string[];
      leaseDuration?: number;
      /** 404 with a full envelope (KV v2 deleted versions); default 200. */
      notFound?: boolean;
      /** Set on token-issuing responses (token create and renew); the envelope's `auth` object. */
      auth?: AuthResponse;
      /** A successful login: the core mints the token (auth methods never do). */
      grant?: LoginGrant;
      /** A leased secret: the core registers a lease and revokes it through the declared type. */
      secret?: SecretGrant;
      /** Renewal of an existing lease: the lease's new TTL (seconds). */
      leaseRenewal?: { leaseId: string; ttl: number; renewable: boolean };
      /** 202 Accepted (work continues in the background). */
      accepted?: boolean;
    };

/**
 * What an auth method returns for a successful login. TTLs in seconds (0 = the mount's default /
 * max). The core turns it into a token bound to the auth mount's path.
 */
export interface LoginGrant {
  policies: readonly string[];
  ttl: number;
  maxTtl: number;
  /** seconds; > 0 makes a periodic token */
  period: number;
  numUses: number;
  /** Shown as the token's `meta` and the auth response's `metadata`. */
  metadata: Record<string, string>;
  /** Appended to the mount path for the token's display name (e.g. the user name). */
  displayName: string;
  tokenType: 'service' | 'batch' | 'default';
  noDefaultPolicy?: boolean;
  boundCidrs?: readonly string[];
  /**
   * The identity alias for this login: its name identifies the principal on this mount (user
   * name, role id, `sub` claim, service account uid…). The core finds or creates the entity.
   */
  alias: { name: string; metadata?: Record<string, string> };
  /**
   * Names of external groups the principal belongs to (jwt `groups_claim`). The core links the
   * entity to the external groups holding a group alias of that name on this mount.
   */
  groupAliases?: readonly string[];
}

/** What a backend returns for a leased secret. TTLs in seconds; 0 = the mount's default / max. */
export interface SecretGrant {
  /** The secret type the backend declared (its revoke/renew handlers). */
  type: string;
  /** Data the backend needs later to revoke or renew; never sent to clients. */
  internal: Record<string, unknown>;
  ttl: number;
  maxTtl: number;
  renewable: boolean;
  /**
   * A write-ahead record the backend stored (in its own storage) before creating the secret
   * outside Coffer. The core deletes it once the lease is stored, so a record still present after
   * a restart marks a secret that was created but never leased: the backend rolls it back.
   */
  writeAheadKey?: string;
}

/** A lease as a backend's renew/revoke handler sees it. */
export interface LeaseView {
  leaseId: string;
  secretType: string;
  internal: Record<string, unknown>;
  /** ms since the epoch */
  issueTime: number;
  expireTime: number;
  ttl: number;
}

/** Renew/revoke handlers of one secret type. */
export interface SecretTypeHandlers {
  revoke(lease: LeaseView, storage: Storage): Promise<void>;
  /** Without a renew handler the type is not renewable. Returns the granted TTL (seconds). */
  renew?(lease: LeaseView, increment: number, storage: Storage): Promise<{ ttl: number }>;
}

/** The envelope's `auth` object (Vault's wire names in snake_case are made by http/). */
export interface AuthResponse {
  /** The token; "" when it is not returned (renew-accessor). */
  clientToken: string;
  accessor: string;
  /** Sorted: token policies plus identity policies. */
  policies: readonly string[];
  /** Omitted on the wire when empty. */
  tokenPolicies: readonly string[];
  /** Omitted on the wire when absent or empty. */
  identityPolicies?: readonly string[];
  metadata: Readonly<Record<string, string>> | null;
  /** seconds; 0 = never expires */
  leaseDuration: number;
  renewable: boolean;
  entityId: string;
  tokenType: 'service' | 'batch';
  orphan: boolean;
  mfaRequirement: null;
  /** 0 = unlimited */
  numUses: number;
}

/** Values the system lets a backend see about its mount. */
export interface SystemView {
  /** The mount's effective default lease TTL in seconds. */
  defaultLeaseTtl(): number;
  /** The mount's effective max lease TTL in seconds. */
  maxLeaseTtl(): number;
  /**
   * A password generated from the named `sys/policies/password` policy (400 when it does not
   * exist), or from the default policy (20 characters of letters and digits, at least one
   * lower-case letter, one upper-case letter and one digit) when `policyName` is empty.
   */
  generatePassword(policyName?: string): Promise<string>;
}

export interface BackendConfig {
  storage: Storage;
  mountPath: string;
  /** Mount options (e.g. kv `version`). */
  options: Readonly<Record<string, string>>;
  logger: Logger;
  clock: Clock;
  system: SystemView;
}

/** Paths a backend declares special, as Vault-style patterns ("login", "login/*"). */
export interface SpecialPaths {
  unauthenticated: readonly string[];
  root: readonly string[];
}

/** A token one of this backend's logins issued, as its renewal sees it (Vault's login renew). */
export interface LoginRenewRequest {
  /** The token's metadata as the login's grant set it (e.g. `username`, `role_name`, `role`). */
  metadata: Readonly<Record<string, string>>;
  /** The token's own policies as issued (identity policies are not among them). */
  policies: readonly string[];
}

/** The user's or role's current token limits (seconds); 0 keeps what the token has. */
export interface LoginRenewal {
  ttl: number;
  maxTtl: number;
  period: number;
}

/** A mounted backend as the core sees it. */
export interface LogicalBackend {
  /** Leased secret types this backend issues, by type name. */
  readonly secretTypes?: Readonly<Record<string, SecretTypeHandlers>>;
  handleRequest(req: BackendRequest): Promise<BackendResponse>;
  /** true/false when the path has an existence check; undefined when it has none. */
  existenceCheck(req: BackendRequest): Promise<boolean | undefined>;
  readonly specialPaths: SpecialPaths;
  /** Called when the mount is disabled or the core seals. */
  cleanup?(): Promise<void>;
  /**
   * Auth methods: checked before a token their login issued is renewed. Throws (invalid_request)
   * to refuse, e.g. when the user or role is gone or its policies changed; otherwise returns the
   * limits the renewal uses. Without it, tokens renew on their own limits alone.
   */
  renewLogin?(req: LoginRenewRequest): Promise<LoginRenewal>;
}

export type BackendFactory = (config: BackendConfig) => Promise<LogicalBackend>;

export const noContent = (warnings?: readonly string[]): BackendResponse =>
  warnings && warnings.length > 0 ? { kind: 'none', warnings } : { kind: 'none' };

export const dataResponse = (data: Record<string, unknown>, extra: { warnings?: readonly string[]; leaseDuration?: number } = {}): BackendResponse => ({
  kind: 'data',
  data,
  ...extra,
});

/** A token-issuing response: no data, the `auth` object, optional warnings. */
export const authResponse = (auth: AuthResponse, warnings?: readonly string[]): BackendResponse =>
  warnings && warnings.length > 0 ? { kind: 'data', data: null, auth, warnings } : { kind: 'data', data: null, auth };

export const listResponse = (keys: readonly string[]): BackendResponse =>
  keys.length === 0 ? { kind: 'none' } : { kind: 'data', data: { keys: [...keys] } };
