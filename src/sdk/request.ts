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
  | { kind: 'none'; warnings?: readonly string[] }
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
    };

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

/** A mounted backend as the core sees it. */
export interface LogicalBackend {
  handleRequest(req: BackendRequest): Promise<BackendResponse>;
  /** true/false when the path has an existence check; undefined when it has none. */
  existenceCheck(req: BackendRequest): Promise<boolean | undefined>;
  readonly specialPaths: SpecialPaths;
  /** Called when the mount is disabled or the core seals. */
  cleanup?(): Promise<void>;
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
