// core/audit: the audit broker (device table, fail-closed logging) and Vault's entry format.
export type { AuditBroker, AuditTableEntry } from './audit-broker.js';
export { createAuditBroker } from './audit-broker.js';
export type { AuditAuth, AuditRequest, AuditResponse } from './audit-entry.js';
