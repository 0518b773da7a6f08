// The typed Vault server configuration Coffer understands, after parsing and merging.

export type StorageType = 'inmem' | 'sqlite' | 'file' | 'postgresql';

/** `storage "TYPE" { ... }` (or its old name `backend`); option values are stringified as Vault does. */
export interface StorageConfig {
  type: StorageType;
  options: Record<string, string>;
  /** The config file it came from, as given. */
  file: string;
  line: number;
}

export interface ListenerConfig {
  type: 'tcp';
  /** host:port; default 127.0.0.1:8200. */
  address: string;
  tlsDisable: boolean;
  tlsCertFile?: string;
  tlsKeyFile?: string;
  /** One of tls10, tls11, tls12, tls13. */
  tlsMinVersion?: string;
  /** Bytes; default 32 MiB. A negative value means no limit (as in Vault). */
  maxRequestSize: number;
  /** Seconds. */
  maxRequestDuration?: number;
  unauthenticatedMetricsAccess: boolean;
  file: string;
  line: number;
}

/** `seal "TYPE" { ... }`; options are plain values (see hclToPlain). */
export interface SealConfig {
  type: string;
  options: Record<string, unknown>;
  file: string;
  line: number;
}

export interface ServerConfig {
  storage?: StorageConfig;
  haStorage?: StorageConfig;
  listeners: ListenerConfig[];
  apiAddr?: string;
  clusterAddr?: string;
  /** Seconds. */
  defaultLeaseTtl?: number;
  /** Seconds. */
  maxLeaseTtl?: number;
  ui: boolean;
  disableMlock: boolean;
  /** Lower-cased: trace, debug, info, warn, error. */
  logLevel?: string;
  logFormat?: 'standard' | 'json';
  clusterName?: string;
  pluginDirectory?: string;
  /** `raw_storage_endpoint`: enables sys/raw. */
  rawStorageEndpoint: boolean;
  telemetry: Record<string, unknown>;
  seals: SealConfig[];
  /** Human-readable, each prefixed with `file:line: `. */
  warnings: string[];
}

export const DEFAULT_LISTENER_ADDRESS = '127.0.0.1:8200';
export const DEFAULT_MAX_REQUEST_SIZE = 32 * 1024 * 1024;
