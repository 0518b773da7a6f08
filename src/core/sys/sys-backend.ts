// The sys/ backend: mount and auth tables, tuning, remount, the UI mount preflight used by the kv
// CLI, and barrier key status/rotation. Raw endpoints (init, seal, unseal, health, leader) are
// served by the core facade, not here, because their wire shape is not the envelope.

import { randomUUID } from 'node:crypto';
import type { BackendRequest, LogicalBackend } from '../../sdk/index.js';
import { createBackend, dataResponse, definePath, noContent } from '../../sdk/index.js';
import { CofferError, permissionDenied } from '../../shared/index.js';
import type { MountTable } from '../mount-entry.js';
import { routePath } from '../mount-entry.js';
import type { MountManager } from '../mount-manager.js';
import { normalizeMountPath } from '../mount-manager.js';
import { contextOf } from '../request-context.js';
import type { Router } from '../router.js';
import type { PolicyStore } from '../policy/policy-store.js';
import { mountData, parseEnableInput, parseTuneInput, tuneData } from './mount-data.js';
import { policyPaths } from './policy-paths.js';
import { passwordPolicyPaths } from './password-policy-paths.js';
import { auditPaths } from './audit-paths.js';
import { hostPaths } from './host-paths.js';
import { loggerPaths } from './logger-paths.js';
import type { AuditBroker } from '../audit/index.js';
import type { PasswordPolicies } from '../policy/password-policies.js';
import { capabilitiesPaths } from './capabilities-paths.js';
import { leasePaths } from './lease-paths.js';
import { wrappingPaths } from './wrapping-paths.js';
import type { Wrapper } from '../wrapping.js';
import type { ExpirationManager } from '../expiration/index.js';
import type { Clock, Logger, LogLevelControl } from '../../shared/index.js';
import type { Authorizer } from '../authorize.js';
import type { TokenStore } from '../token/index.js';

export interface KeyControl {
  keyStatus(): { term: number; installTime: Date; encryptions: number };
  rotate(): Promise<void>;
}

export const SYS_ROOT_PATHS = [
  'auth/*',
  'remount',
  'audit',
  'audit/*',
  'raw',
  'raw/*',
  'rotate',
  'config/cors',
  'config/auditing/*',
  'revoke-prefix/*',
  'revoke-force/*',
  'leases/revoke-prefix/*',
  'leases/revoke-force/*',
  'leases/lookup/*',
  'leases',
  'leases/count',
  'seal',
  'step-down',
];

export const SYS_UNAUTHENTICATED_PATHS = ['internal/ui/mounts', 'internal/ui/mounts/*', 'wrapping/lookup'];

type Empty = Record<never, never>;

export interface SysBackendDeps {
  mounts: MountManager;
  router: Router;
  keys: KeyControl;
  policies: PolicyStore;
  passwordPolicies: PasswordPolicies;
  audit: AuditBroker;
  /** sys/config/state/sanitized. */
  sanitizedConfig?: () => Record<string, unknown>;
  /** sys/loggers; without it the paths are absent. */
  logLevels?: LogLevelControl;
  tokens: TokenStore;
  authorizer: Authorizer;
  leases: ExpirationManager;
  wrapper: Wrapper;
  clock: Clock;
  logger: Logger;
}

export function createSysBackend(deps: SysBackendDeps): LogicalBackend {
  const { mounts, router, keys, policies } = deps;
  const remounts = new Map<string, { source: string; target: string }>();

  const tableData = (table: MountTable): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    for (const e of mounts.list(table)) out[e.path] = mountData(e);
    return out;
  };

  const mountPaths = (table: MountTable, prefix: string) => {
    const one = async (req: { params: Readonly<Record<string, string>> }) => {
      const e = mounts.get(table, normalizeMountPath(req.params['path'] ?? ''));
      if (!e) throw new CofferError('invalid_request', `No ${table === 'auth' ? 'auth engine' : 'secret engine'} mount at ${req.params['path'] ?? ''}/`);
      return dataResponse(mountData(e));
    };
    return [
      definePath({
        pattern: `${prefix}/*path/tune`,
        anyData: true,
        operations: {
          read: async (req) => {
            const e = mounts.get(table, normalizeMountPath(req.params['path'] ?? ''));
            if (!e) throw new CofferError('invalid_request', `cannot fetch sysview for path "${req.params['path'] ?? ''}/"`);
            return dataResponse(tuneData(e, mounts.systemView(e)));
          },
          update: async (req) => {
            await mounts.tune(table, req.params['path'] ?? '', parseTuneInput(req.data));
            return noContent();
          },
        },
      }),
      definePath({
        pattern: `${prefix}/*path`,
        anyData: true,
        operations: {
          read: one,
          update: async (req) => {
            await mounts.enable(table, req.params['path'] ?? '', parseEnableInput(req.data, table));
            return noContent();
          },
          delete: async (req) => {
            await mounts.disable(table, req.params['path'] ?? '');
            return noContent();
          },
        },
      }),
      definePath({
        pattern: prefix,
        operations: { read: () => Promise.resolve(dataResponse(tableData(table))) },
      }),
    ];
  };

  const uiMountsList = (req: BackendRequest) => {
    const authed = contextOf(req).tokenEntry !== undefined;
    const section = (table: MountTable): Record<string, unknown> => {
      const out: Record<string, unknown> = {};
      for (const e of mounts.list(table)) {
        if (!authed && e.config.listingVisibility !== 'unauth') continue;
        out[e.path] = mountData(e);
      }
      return out;
    };
    return Promise.resolve(dataResponse({ auth: section('auth'), secret: section('mounts') }));
  };

  return createBackend({
    specialPaths: { root: SYS_ROOT_PATHS, unauthenticated: SYS_UNAUTHENTICATED_PATHS },
    paths: [
      ...mountPaths('mounts', 'mounts'),
      ...mountPaths('auth', 'auth'),
      ...policyPaths(policies),
      ...passwordPolicyPaths(deps.passwordPolicies),
      ...auditPaths(deps.audit),
      ...hostPaths({ tokens: deps.tokens, clock: deps.clock, sanitizedConfig: deps.sanitizedConfig ?? (() => ({})) }),
      ...(deps.logLevels ? loggerPaths(deps.logLevels) : []),
      ...capabilitiesPaths(deps),
      ...wrappingPaths(deps),
      ...leasePaths({ manager: deps.leases, clock: deps.clock, logger: deps.logger }),
      definePath({
        pattern: 'remount',
        fields: { from: { type: 'string' }, to: { type: 'string' } },
        operations: {
          update: async (req) => {
            const from = req.fields.from ?? '';
            const to = req.fields.to ?? '';
            if (from === '' || to === '') throw new CofferError('invalid_request', 'both "from" and "to" must be specified as mount paths');
            const side = (p: string): { table: MountTable; path: string } =>
              p.replace(/^\/+/, '').startsWith('auth/') ? { table: 'auth', path: p.replace(/^\/*auth\//, '') } : { table: 'mounts', path: p };
            const e = await mounts.remount(side(from), side(to));
            const id = randomUUID();
            remounts.set(id, { source: normalizeMountPath(from), target: routePath(e) });
            return dataResponse({ migration_id: id });
          },
        },
      }),
      definePath<Empty>({
        pattern: 'remount/status/:id',
        operations: {
          read: (req) => {
            const m = remounts.get(req.params['id'] ?? '');
            if (!m) return Promise.resolve(noContent());
            return Promise.resolve(
              dataResponse({
                migration_id: req.params['id'],
                migration_info: { source_mount: m.source, target_mount: m.target, status: 'success' },
              }),
            );
          },
        },
      }),
      definePath({ pattern: 'internal/ui/mounts', operations: { read: uiMountsList } }),
      definePath<Empty>({
        pattern: 'internal/ui/mounts/*path',
        operations: {
          read: async (req) => {
            const entry = contextOf(req).tokenEntry;
            if (entry === undefined) throw permissionDenied();
            const path = (req.params['path'] ?? '').replace(/^\/+/, '');
            const found = router.resolve(path);
            if (!found) throw permissionDenied();
            // Like Vault: the token must be able to do something at the path or anywhere under its mount.
            const caps = await deps.authorizer.capabilities(entry, path);
            if (caps.length === 1 && caps[0] === 'deny' && !(await deps.authorizer.hasAccessUnder(entry, found.mountPath))) throw permissionDenied();
            return dataResponse({ ...mountData(found.target.entry), path: found.target.entry.path });
          },
        },
      }),
      definePath({
        pattern: 'key-status',
        operations: {
          read: () => {
            const s = keys.keyStatus();
            return Promise.resolve(dataResponse({ term: s.term, install_time: s.installTime.toISOString(), encryptions: s.encryptions }));
          },
        },
      }),
      definePath({
        pattern: 'rotate',
        operations: {
          update: async () => {
            await keys.rotate();
            return noContent();
          },
        },
      }),
    ],
  });
}
