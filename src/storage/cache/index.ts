// cache/: a bounded read cache of ciphertext in front of any backend. The folder's one public door.
export { createCachedBackend } from './cached-backend.js';
export type { CachedBackendOptions } from './cached-backend.js';
