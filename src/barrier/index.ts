// barrier/: the only place keys and ciphertext exist. This file is the layer's one public door.
export type { SecureStorage } from './secure-storage.js';
export { createView } from './view.js';
export { createSealManager } from './seal-manager.js';
export type { SealManager, SealManagerDeps, SealStatus, KeyStatus } from './seal-manager.js';
export { decodeUnsealKey } from './unseal-key.js';
export type { PlaintextCacheLimits } from './plaintext-cache.js';
