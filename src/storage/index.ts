// storage/: the physical storage layer (untrusted bytes under hierarchical keys). This file is the
// layer's one public door.
export type { Ciphertext, PhysicalBackend, Transactional, TxnOp } from './types.js';
export { hasTransactions } from './types.js';
export { compareKeys } from './keys.js';
// The conformance suite (storage/conformance.ts) is imported by tests directly, so production
// code never loads node:test.
export { createInmemBackend } from './inmem/index.js';
export { createSqliteBackend } from './sqlite/index.js';
export type { SqliteBackend, SqliteBackendOptions, SqliteBackendStats } from './sqlite/index.js';
export { createCachedBackend } from './cache/index.js';
export type { CachedBackendOptions } from './cache/index.js';
