// http/: the only layer that knows HTTP and Vault's wire format. One public door.
export { createRequestHandler, clientToken } from './handler.js';
export type { HandlerOptions } from './handler.js';
export { createListAwareServer, requestMethod } from '../shared/index.js';
