// shared/list-method: node:http servers that accept Vault's LIST verb (the server's listeners and
// the agent's API proxy both need it). One public door.
export type { ListAwareServerOptions } from './list-aware-server.js';
export { createListAwareServer, requestMethod } from './list-aware-server.js';
