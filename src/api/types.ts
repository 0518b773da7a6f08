// Wire shapes the API client returns. Bodies arrive as unknown and are parsed in parse.ts; fields
// the server omitted take the Go zero value, as the Go client's decoder would give.

/** A logical response envelope (section 1.6), plus whatever extra top-level keys the server sent. */
export interface VaultSecret {
  request_id: string;
  lease_id: string;
  renewable: boolean;
  lease_duration: number;
  data: Record<string, unknown> | null;
  wrap_info: Record<string, unknown> | null;
  warnings: string[] | null;
  auth: Record<string, unknown> | null;
  mount_type?: string;
  /** The body exactly as parsed, for `-format=json` output. */
  raw: Record<string, unknown>;
}

export interface SealStatus {
  type: string;
  initialized: boolean;
  sealed: boolean;
  t: number;
  n: number;
  progress: number;
  nonce: string;
  version: string;
  build_date: string;
  migration: boolean;
  cluster_name: string;
  cluster_id: string;
  recovery_seal: boolean;
  storage_type: string;
  raw: Record<string, unknown>;
}

export interface InitRequest {
  secret_shares: number;
  secret_threshold: number;
  pgp_keys?: string[];
  root_token_pgp_key?: string;
  recovery_shares?: number;
  recovery_threshold?: number;
}

export interface InitResponse {
  keys: string[];
  keys_base64: string[];
  recovery_keys: string[];
  recovery_keys_base64: string[];
  root_token: string;
}

export interface LeaderStatus {
  ha_enabled: boolean;
  is_self: boolean;
  active_time: string;
  leader_address: string;
  leader_cluster_address: string;
  performance_standby: boolean;
  raw: Record<string, unknown>;
}

export interface HealthResult {
  /** The HTTP status, which encodes the node state (200, 429, 501, 503, …). */
  status: number;
  /** The body; empty object for HEAD or an empty body. */
  body: Record<string, unknown>;
}

export interface KeyStatus {
  term: number;
  install_time: string;
  encryptions: number;
  raw: Record<string, unknown>;
}

export interface MountConfigInput {
  default_lease_ttl?: string;
  max_lease_ttl?: string;
  force_no_cache?: boolean;
  listing_visibility?: string;
  audit_non_hmac_request_keys?: string[];
  audit_non_hmac_response_keys?: string[];
  passthrough_request_headers?: string[];
  allowed_response_headers?: string[];
  token_type?: string;
}

export interface MountInput {
  type: string;
  description?: string;
  config?: MountConfigInput;
  options?: Record<string, string>;
  local?: boolean;
  seal_wrap?: boolean;
  external_entropy_access?: boolean;
  plugin_version?: string;
}

export interface TuneInput extends MountConfigInput {
  description?: string;
  options?: Record<string, string>;
  plugin_version?: string;
}

/** One entry of `sys/mounts` / `sys/auth` (and `sys/internal/ui/mounts/<path>`, which adds `path`). */
export interface MountInfo {
  type: string;
  description: string;
  accessor: string;
  uuid: string;
  local: boolean;
  seal_wrap: boolean;
  external_entropy_access: boolean;
  options: Record<string, string> | null;
  config: {
    default_lease_ttl: number;
    max_lease_ttl: number;
    force_no_cache: boolean;
    token_type?: string;
  } & Record<string, unknown>;
  plugin_version: string;
  running_plugin_version: string;
  running_sha256: string;
  deprecation_status: string;
  /** Only set by `uiMount`. */
  path: string;
  raw: Record<string, unknown>;
}

export interface RemountResult {
  migration_id: string;
}
