// roles/<name>: dynamic roles — which connection, the statements that create, renew, revoke
// and roll back a user, and the lease TTLs.

import { definePath, listResponse, noContent } from '../../sdk/index.js';
import { CofferError } from '../../shared/index.js';
import type { EngineContext } from './context.js';
import type { RoleRecord } from './records.js';
import { ROLE_PREFIX, loadRole, saveRole, statementList } from './records.js';

const roleFields = {
  db_name: { type: 'string' },
  creation_statements: { type: 'any' },
  revocation_statements: { type: 'any' },
  rollback_statements: { type: 'any' },
  renew_statements: { type: 'any' },
  default_ttl: { type: 'duration' },
  max_ttl: { type: 'duration' },
  credential_type: { type: 'string' },
  credential_config: { type: 'map' },
} as const;

export function roleView(r: RoleRecord): Record<string, unknown> {
  return {
    db_name: r.db_name,
    creation_statements: r.creation_statements,
    revocation_statements: r.revocation_statements,
    rollback_statements: r.rollback_statements,
    renew_statements: r.renew_statements,
    default_ttl: r.default_ttl,
    max_ttl: r.max_ttl,
    credential_type: r.credential_type,
    credential_config: r.credential_config,
  };
}

export function rolePaths(ctx: EngineContext) {
  const storage = ctx.backend.storage;
  return [
    definePath({
      pattern: 'roles/?',
      operations: { list: async () => listResponse(await storage.list(ROLE_PREFIX)) },
    }),
    definePath({
      pattern: 'roles/:name',
      fields: roleFields,
      exists: async (req) => (await loadRole(storage, req.params['name'] ?? '')) !== undefined,
      operations: {
        read: async (req) => {
          const r = await loadRole(storage, req.params['name'] ?? '');
          return r ? { kind: 'data', data: roleView(r) } : { kind: 'none' };
        },
        update: async (req) => {
          const name = req.params['name'] ?? '';
          return ctx.locks.run(`role:${name}`, async () => {
            const prev = await loadRole(storage, name);
            const f = req.fields;
            const list = (k: 'creation_statements' | 'revocation_statements' | 'rollback_statements' | 'renew_statements'): string[] =>
              req.has(k) ? statementList(f[k], k) : (prev?.[k] ?? []);
            const next: RoleRecord = {
              db_name: f.db_name ?? prev?.db_name ?? '',
              creation_statements: list('creation_statements'),
              revocation_statements: list('revocation_statements'),
              rollback_statements: list('rollback_statements'),
              renew_statements: list('renew_statements'),
              default_ttl: f.default_ttl ?? prev?.default_ttl ?? 0,
              max_ttl: f.max_ttl ?? prev?.max_ttl ?? 0,
              credential_type: f.credential_type ?? prev?.credential_type ?? 'password',
              credential_config: f.credential_config ?? prev?.credential_config ?? {},
            };
            if (next.db_name === '') throw new CofferError('invalid_request', 'empty database name attribute');
            if (next.creation_statements.length === 0) throw new CofferError('invalid_request', 'creation_statements are required');
            if (next.credential_type !== 'password') throw new CofferError('invalid_request', `credential_type ${JSON.stringify(next.credential_type)} is not supported; use "password"`);
            if (next.default_ttl < 0 || next.max_ttl < 0) throw new CofferError('invalid_request', 'default_ttl and max_ttl must not be negative');
            if (next.max_ttl > 0 && next.default_ttl > next.max_ttl) throw new CofferError('invalid_request', 'ttl cannot be greater than max_ttl');
            await saveRole(storage, name, next);
            return noContent();
          });
        },
        delete: async (req) => {
          await storage.delete(ROLE_PREFIX + (req.params['name'] ?? ''));
          return noContent();
        },
      },
    }),
  ];
}
