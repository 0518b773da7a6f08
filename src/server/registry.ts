// The plugin registry: which factory serves each mount type. The one place concrete engines and
// auth methods are named. Everything but KV (dev mode mounts it at once) is loaded when first
// mounted or enabled, so a server keeps in memory only the code its mounts use.

import type { MountRegistry } from '../core/index.js';
import type { AuditDeviceFactory, BackendFactory } from '../sdk/index.js';
import { kvFactory } from '../engines/kv/index.js';
import type * as AuthMethods from '../auth/index.js';
import type * as AuditDevices from '../audit-devices/index.js';

const auth = (pick: (m: typeof AuthMethods) => BackendFactory): BackendFactory => async (config) => pick(await import('../auth/index.js'))(config);
const audit = (pick: (m: typeof AuditDevices) => AuditDeviceFactory): AuditDeviceFactory => async (config) =>
  pick(await import('../audit-devices/index.js'))(config);

export function builtinRegistry(): MountRegistry {
  return {
    engines: { kv: kvFactory, database: async (config) => (await import('../engines/database/index.js')).databaseFactory(config) },
    auth: {
      userpass: auth((m) => m.createUserpassBackend),
      approle: auth((m) => m.createApproleBackend),
      jwt: auth((m) => m.createJwtBackend),
      oidc: auth((m) => m.createJwtBackend),
      kubernetes: auth((m) => m.createKubernetesBackend),
    },
  };
}

/** Audit device types `sys/audit` can enable: file, socket, syslog. */
export function builtinAuditDevices(): Record<string, AuditDeviceFactory> {
  return {
    file: audit((m) => m.fileAuditDevice),
    socket: audit((m) => m.socketAuditDevice),
    syslog: audit((m) => m.syslogAuditDevice),
  };
}
