// The plugin registry: which factory serves each mount type. The one place concrete engines and
// auth methods are named.

import type { MountRegistry } from '../core/index.js';
import type { AuditDeviceFactory } from '../sdk/index.js';
import { createApproleBackend, createJwtBackend, createKubernetesBackend, createUserpassBackend } from '../auth/index.js';
import { kvFactory } from '../engines/kv/index.js';
import { BUILTIN_AUDIT_DEVICES } from '../audit-devices/index.js';

export function builtinRegistry(): MountRegistry {
  return {
    // The database engine pulls in pg and mysql2: load it only when a database mount exists.
    engines: { kv: kvFactory, database: async (config) => (await import('../engines/database/index.js')).databaseFactory(config) },
    auth: { userpass: createUserpassBackend, approle: createApproleBackend, jwt: createJwtBackend, oidc: createJwtBackend, kubernetes: createKubernetesBackend },
  };
}

/** Audit device types `sys/audit` can enable: file, socket, syslog. */
export function builtinAuditDevices(): Record<string, AuditDeviceFactory> {
  return { ...BUILTIN_AUDIT_DEVICES };
}
