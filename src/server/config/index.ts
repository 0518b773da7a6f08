// server/config: Vault-compatible server configuration (HCL or JSON), parsed, validated and merged.
// This file is the folder's one public door.
export type { ListenerConfig, SealConfig, ServerConfig, StorageConfig, StorageType } from './types.js';
export { DEFAULT_LISTENER_ADDRESS, DEFAULT_MAX_REQUEST_SIZE } from './types.js';
export { loadServerConfig } from './load-server-config.js';
export { parseServerConfig } from './parse-server-config.js';
export { sanitizedConfig } from './sanitized-config.js';
