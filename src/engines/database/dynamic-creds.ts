// creds/<role>: a new database user per request, leased. A write-ahead record exists from just
// before the user is created until the core has stored the lease (see write-ahead.ts).

import { randomUUID } from 'node:crypto';
import { definePath, putJson } from '../../sdk/index.js';
import type { BackendResponse, CallerInfo, LeaseView, SecretTypeHandlers } from '../../sdk/index.js';
import { anyGlobMatches, CofferError } from '../../shared/index.js';
import type { EngineContext } from './context.js';
import { databaseFailure } from './driver.js';
import type { CredsWalRecord, RoleRecord } from './records.js';
import { CREDS_WAL_PREFIX, loadRole } from './records.js';
import { renderUsername } from './username-template.js';

export const CREDS_SECRET_TYPE = 'creds';

/** The lease TTL the core will grant for this role (seconds): role values capped by the mount. */
export function effectiveTtl(ctx: EngineContext, role: RoleRecord): number {
  const sys = ctx.backend.system;
  const max = role.max_ttl > 0 ? Math.min(role.max_ttl, sys.maxLeaseTtl()) : sys.maxLeaseTtl();
  return Math.min(role.default_ttl > 0 ? role.default_ttl : sys.defaultLeaseTtl(), max);
}

/** Token display names may hold anything; user names get letters, digits, '_' and '-' only. */
const safeDisplayName = (caller: CallerInfo | undefined): string => (caller?.displayName || 'token').replace(/[^A-Za-z0-9_-]/g, '-');

async function issue(ctx: EngineContext, roleName: string, caller: CallerInfo | undefined): Promise<BackendResponse> {
  const storage = ctx.backend.storage;
  const role = await loadRole(storage, roleName);
  if (!role) throw new CofferError('invalid_request', `unknown role: ${roleName}`);
  const { driver, config } = await ctx.connections.get(role.db_name);
  if (!anyGlobMatches(config.allowed_roles, roleName)) throw new CofferError('invalid_request', `"${roleName}" is not an allowed role`);
  const plugin = ctx.plugins.get(config.plugin_name);
  if (!plugin) throw new CofferError('invalid_request', `unknown plugin_name ${JSON.stringify(config.plugin_name)}`);
  const now = ctx.clock.now();
  const ttl = effectiveTtl(ctx, role);
  const username = renderUsername(config.username_template || plugin.defaultUsernameTemplate, { displayName: safeDisplayName(caller), roleName, now });
  if (username === '') throw new CofferError('invalid_request', 'the username template produced an empty user name');
  const password = await ctx.backend.system.generatePassword(config.password_policy || undefined);

  const walKey = `${CREDS_WAL_PREFIX}${randomUUID()}`;
  const wal: CredsWalRecord = { db_name: role.db_name, username, role: roleName, revocation_statements: role.revocation_statements, created: now };
  await putJson(storage, walKey, wal);
  try {
    await driver.createUser({ username, password, expiration: now + ttl * 1000, statements: role.creation_statements });
  } catch (e) {
    // A partly created user (MySQL runs DDL outside transactions) is rolled back now; if that
    // fails too, the record stays and the next start retries.
    try {
      // Without rollback statements the plugin's defaults apply: they succeed when no user exists.
      await driver.revokeUser({ username, statements: role.rollback_statements });
      await storage.delete(walKey);
    } catch {
      ctx.backend.logger.warn({ role: roleName }, 'could not roll back a failed user creation; will retry after restart');
    }
    throw databaseFailure('error creating database user', e);
  }
  return {
    kind: 'data',
    data: { username, password },
    secret: {
      type: CREDS_SECRET_TYPE,
      internal: { username, role: roleName, db_name: role.db_name, revocation_statements: role.revocation_statements },
      ttl: role.default_ttl,
      maxTtl: role.max_ttl,
      renewable: true,
      writeAheadKey: walKey,
    },
  };
}

const internalStr = (lease: LeaseView, k: string): string => {
  const v = lease.internal[k];
  return typeof v === 'string' ? v : '';
};
const internalList = (lease: LeaseView, k: string): string[] => {
  const v = lease.internal[k];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
};

/** Revoke and renew of `creds` leases. Revoke throws while the database is unreachable (the core retries). */
export function credsSecretType(ctx: EngineContext): SecretTypeHandlers {
  const storage = ctx.backend.storage;
  return {
    async revoke(lease) {
      const username = internalStr(lease, 'username');
      const dbName = internalStr(lease, 'db_name');
      if (username === '' || dbName === '') throw new CofferError('internal', 'lease is missing its database user');
      const role = await loadRole(storage, internalStr(lease, 'role'));
      const statements = role && role.db_name === dbName ? role.revocation_statements : internalList(lease, 'revocation_statements');
      const { driver } = await ctx.connections.get(dbName);
      try {
        await driver.revokeUser({ username, statements });
      } catch (e) {
        throw databaseFailure(`failed to revoke database user ${JSON.stringify(username)}`, e);
      }
    },
    async renew(lease, increment) {
      const username = internalStr(lease, 'username');
      const dbName = internalStr(lease, 'db_name');
      const role = await loadRole(storage, internalStr(lease, 'role'));
      const ttl = increment > 0 ? increment : lease.ttl;
      const { driver } = await ctx.connections.get(dbName);
      try {
        await driver.renewUser({ username, expiration: ctx.clock.now() + ttl * 1000, statements: role && role.db_name === dbName ? role.renew_statements : [] });
      } catch (e) {
        throw databaseFailure(`failed to renew database user ${JSON.stringify(username)}`, e);
      }
      return { ttl };
    },
  };
}

export function credsPaths(ctx: EngineContext) {
  return [
    definePath({
      pattern: 'creds/:name',
      operations: { read: async (req) => issue(ctx, req.params['name'] ?? '', req.caller) },
    }),
  ];
}
