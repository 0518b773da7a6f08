// static-roles/<name>, static-creds/<name>, rotate-role/<name>: existing database users whose
// password Coffer owns and rotates every rotation_period.

import { definePath, listResponse, noContent } from '../../sdk/index.js';
import { anyGlobMatches, CofferError } from '../../shared/index.js';
import type { EngineContext } from './context.js';
import type { StaticRoleRecord } from './records.js';
import { STATIC_ROLE_PREFIX, STATIC_WAL_PREFIX, loadConfig, loadStaticRole, saveStaticRole, statementList } from './records.js';
import type { RotationScheduler } from './static-rotation.js';
import { nextRotation, rotateStaticRole } from './static-rotation.js';

const MIN_ROTATION_PERIOD = 5;

const staticFields = {
  db_name: { type: 'string' },
  username: { type: 'string' },
  rotation_period: { type: 'duration' },
  rotation_statements: { type: 'any' },
  credential_type: { type: 'string' },
  credential_config: { type: 'map' },
  skip_import_rotation: { type: 'bool' },
  rotation_schedule: { type: 'string' },
  rotation_window: { type: 'duration' },
} as const;

const rfc3339 = (ms: number): string => new Date(ms).toISOString();

export function staticRoleView(r: StaticRoleRecord): Record<string, unknown> {
  return {
    db_name: r.db_name,
    username: r.username,
    rotation_period: r.rotation_period,
    rotation_statements: r.rotation_statements,
    credential_type: r.credential_type,
    credential_config: {},
    skip_import_rotation: r.skip_import_rotation,
    ...(r.last_vault_rotation > 0 ? { last_vault_rotation: rfc3339(r.last_vault_rotation) } : {}),
  };
}

export function staticRolePaths(ctx: EngineContext, scheduler: RotationScheduler) {
  const storage = ctx.backend.storage;
  const nameOf = (req: { params: Readonly<Record<string, string>> }): string => req.params['name'] ?? '';
  return [
    definePath({
      pattern: 'static-roles/?',
      operations: { list: async () => listResponse(await storage.list(STATIC_ROLE_PREFIX)) },
    }),
    definePath({
      pattern: 'static-roles/:name',
      fields: staticFields,
      exists: async (req) => (await loadStaticRole(storage, nameOf(req))) !== undefined,
      operations: {
        read: async (req) => {
          const r = await loadStaticRole(storage, nameOf(req));
          return r ? { kind: 'data', data: staticRoleView(r) } : { kind: 'none' };
        },
        update: async (req) => {
          const name = nameOf(req);
          const f = req.fields;
          if (req.has('rotation_schedule') && f.rotation_schedule !== '') {
            throw new CofferError('invalid_request', 'rotation_schedule is not supported; use rotation_period');
          }
          const prev = await loadStaticRole(storage, name);
          if (prev) {
            if (f.username !== undefined && f.username !== prev.username) throw new CofferError('invalid_request', 'cannot update static account username');
            if (f.db_name !== undefined && f.db_name !== prev.db_name) throw new CofferError('invalid_request', 'cannot update static account db_name');
            const period = f.rotation_period ?? prev.rotation_period;
            if (period < MIN_ROTATION_PERIOD) throw new CofferError('invalid_request', `rotation_period must be ${MIN_ROTATION_PERIOD} seconds or more`);
            const statements = req.has('rotation_statements') ? statementList(f.rotation_statements, 'rotation_statements') : undefined;
            // Re-read under the lock: a rotation may have stored a new password meanwhile.
            await ctx.locks.run(`static:${name}`, async () => {
              const cur = await loadStaticRole(storage, name);
              if (!cur) throw new CofferError('invalid_request', `no static role named ${JSON.stringify(name)}`);
              await saveStaticRole(storage, name, { ...cur, rotation_period: period, rotation_statements: statements ?? cur.rotation_statements });
            });
            await scheduler.schedule(name);
            return noContent();
          }
          const dbName = f.db_name ?? '';
          const username = f.username ?? '';
          if (dbName === '') throw new CofferError('invalid_request', 'database name is required');
          if (username === '') throw new CofferError('invalid_request', 'username is a required field to create a static account');
          const period = f.rotation_period ?? 0;
          if (period < MIN_ROTATION_PERIOD) throw new CofferError('invalid_request', `rotation_period is required and must be ${MIN_ROTATION_PERIOD} seconds or more`);
          const credentialType = f.credential_type ?? 'password';
          if (credentialType !== 'password') throw new CofferError('invalid_request', `credential_type ${JSON.stringify(credentialType)} is not supported; use "password"`);
          const config = await loadConfig(storage, dbName);
          if (!config) throw new CofferError('invalid_request', `no database connection named ${JSON.stringify(dbName)}`);
          if (!anyGlobMatches(config.allowed_roles, name)) throw new CofferError('invalid_request', `"${name}" is not an allowed role`);
          const skip = f.skip_import_rotation ?? false;
          const record: StaticRoleRecord = {
            db_name: dbName,
            username,
            rotation_period: period,
            rotation_statements: statementList(f.rotation_statements, 'rotation_statements'),
            credential_type: credentialType,
            password: '',
            last_vault_rotation: skip ? ctx.clock.now() : 0,
            skip_import_rotation: skip,
          };
          await ctx.locks.run(`static:${name}`, () => saveStaticRole(storage, name, record));
          if (!skip) {
            // Coffer owns the password from now on: set one at once (Vault's import rotation).
            try {
              await rotateStaticRole(ctx, name);
            } catch (e) {
              await storage.delete(STATIC_ROLE_PREFIX + name);
              await storage.delete(STATIC_WAL_PREFIX + name);
              throw e;
            }
          }
          await scheduler.schedule(name);
          return noContent();
        },
        delete: async (req) => {
          const name = nameOf(req);
          scheduler.cancel(name);
          await ctx.locks.run(`static:${name}`, async () => {
            await storage.delete(STATIC_ROLE_PREFIX + name);
            await storage.delete(STATIC_WAL_PREFIX + name);
          });
          return noContent();
        },
      },
    }),
    definePath({
      pattern: 'static-creds/:name',
      operations: {
        read: async (req) => {
          const r = await loadStaticRole(storage, nameOf(req));
          if (!r) throw new CofferError('invalid_request', `unknown static role ${JSON.stringify(nameOf(req))}`);
          const ttl = Math.max(0, Math.round((nextRotation(r) - ctx.clock.now()) / 1000));
          return {
            kind: 'data',
            data: { username: r.username, password: r.password, last_vault_rotation: rfc3339(r.last_vault_rotation), rotation_period: r.rotation_period, ttl },
          };
        },
      },
    }),
    definePath({
      pattern: 'rotate-role/:name',
      operations: {
        update: async (req) => {
          const name = nameOf(req);
          await rotateStaticRole(ctx, name);
          await scheduler.schedule(name);
          return noContent();
        },
      },
    }),
  ];
}
