// sys/config/state/sanitized: the effective server configuration in Vault's shape, with nothing
// that could be a secret (storage and seal options are left out; only their types are shown).

import type { ServerConfig } from './types.js';

export function sanitizedConfig(c: ServerConfig, logLevel: string, logFormat: string): Record<string, unknown> {
  return {
    api_addr: c.apiAddr ?? '',
    cache_size: 0,
    cluster_addr: c.clusterAddr ?? '',
    cluster_name: c.clusterName ?? '',
    default_lease_ttl: c.defaultLeaseTtl ?? 0,
    max_lease_ttl: c.maxLeaseTtl ?? 0,
    disable_cache: false,
    disable_clustering: true,
    disable_mlock: c.disableMlock,
    enable_ui: c.ui,
    listeners: c.listeners.map((l) => ({
      type: l.type,
      config: {
        address: l.address,
        tls_disable: l.tlsDisable,
        ...(l.tlsCertFile !== undefined ? { tls_cert_file: l.tlsCertFile } : {}),
        ...(l.tlsKeyFile !== undefined ? { tls_key_file: l.tlsKeyFile } : {}),
        ...(l.tlsMinVersion !== undefined ? { tls_min_version: l.tlsMinVersion } : {}),
        max_request_size: l.maxRequestSize,
      },
    })),
    log_format: logFormat,
    log_level: logLevel,
    plugin_directory: c.pluginDirectory ?? '',
    raw_storage_endpoint: c.rawStorageEndpoint,
    seals: c.seals.map((s) => ({ type: s.type })),
    storage: c.storage ? { type: c.storage.type, disable_clustering: true } : null,
  };
}
