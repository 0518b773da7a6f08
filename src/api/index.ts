// api/: typed HTTP client of Vault's public API (used by the CLI, the agent and tests).
// This file is the layer's one public door.
export { ApiError } from './api-error.js';
export { createApiClient } from './client.js';
export type { ApiClient, ApiClientOptions, ApiResponse, RequestOptions } from './client.js';
export { apiClientFromEnv, apiOptionsFromEnv, defaultAddress, tokenFilePath } from './env.js';
export type { Env } from './env.js';
export type { Query } from './transport.js';
export type * from './types.js';
