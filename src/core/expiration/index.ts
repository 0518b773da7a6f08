// core/expiration: lease timers and records for secrets and tokens. The folder's one public door.
export { createExpirationManager } from './expiration-manager.js';
export type { ExpirationManager, ExpirationManagerDeps, RegisterLeaseInput } from './expiration-manager.js';
export type { TidyReport } from './tidy-leases.js';
export type { LeaseRecord, LeaseKind } from './lease-record.js';
export type { ExpiryTimers } from './expiry-window.js';
