// The role endpoints auth methods share (jwt, kubernetes): `role/` (LIST) and `role/:name`
// (create, read, update, delete), each role stored as JSON under `role/<name>`, writes
// serialised per role. The method supplies its fields, validation and read-back shape.

import type { BackendResponse, FieldSpecs, LoginRenewal, LoginRenewRequest, PathRequest, Storage, SystemView } from '../sdk/index.js';
import { dataResponse, definePath, getJson, listResponse, noContent, putJson } from '../sdk/index.js';
import type { KeyedMutex } from '../shared/index.js';
import { CofferError } from '../shared/index.js';
import type { TokenParams } from './token-fields.js';
import { loginRenewal } from './token-fields.js';

export const ROLE_PREFIX = 'role/';

/** Lower-cases and checks a role name (letters, digits, '_', '-', '.'; word characters at both ends). */
export function roleName(raw: string | undefined): string {
  const name = (raw ?? '').toLowerCase();
  if (!/^\w(?:[\w.-]*\w)?$/.test(name)) throw new CofferError('invalid_request', `invalid role name ${JSON.stringify(raw ?? '')}`);
  return name;
}

/** Mount limits a role write is checked against. */
export interface RoleLimits {
  maxLeaseTtl: number;
}

/** What a method knows about its roles. */
export interface RoleKind<F extends FieldSpecs, R> {
  fields: F;
  /** The stored JSON back as a role (undefined when absent or unusable). */
  parse(stored: unknown): R | undefined;
  /** The read-back shape. */
  toData(role: R): Record<string, unknown>;
  /** Applies a write on top of `existing` and validates it; throws invalid_request. */
  apply(existing: R | undefined, req: Pick<PathRequest<F>, 'fields' | 'has'>, limits: RoleLimits): { role: R; warnings: string[] };
}

/** The stored role `name`, or undefined. */
export async function loadRole<R>(storage: Storage, name: string, parse: (stored: unknown) => R | undefined): Promise<R | undefined> {
  return parse(await getJson(storage, ROLE_PREFIX + name));
}

/**
 * renewLogin for a method whose login tokens name their role in the `role` metadata key: the
 * role must still exist with the same token policies, and its current limits apply.
 */
export function roleLoginRenewal<R extends { token: TokenParams }>(storage: Storage, parse: (stored: unknown) => R | undefined): (token: LoginRenewRequest) => Promise<LoginRenewal> {
  return async (token) => {
    const name = token.metadata['role'] ?? '';
    const role = name === '' ? undefined : await loadRole(storage, name, parse);
    return loginRenewal(role?.token, token, `role ${JSON.stringify(name)}`);
  };
}

/** The `role/` and `role/:name` paths of a method whose roles are described by `kind`. */
export function rolePaths<F extends FieldSpecs, R>(deps: { storage: Storage; system: SystemView; locks: KeyedMutex }, kind: RoleKind<F, R>) {
  const { storage, locks } = deps;
  const load = (name: string): Promise<R | undefined> => loadRole(storage, name, (v) => kind.parse(v));
  return [
    definePath({
      pattern: 'role/?',
      operations: { list: async () => listResponse(await storage.list(ROLE_PREFIX)) },
      help: 'List roles.',
    }),
    definePath<F>({
      pattern: 'role/:name',
      fields: kind.fields,
      exists: async (req) => (await load(roleName(req.params['name']))) !== undefined,
      operations: {
        read: async (req) => {
          const role = await load(roleName(req.params['name']));
          return role === undefined ? noContent() : dataResponse(kind.toData(role));
        },
        update: async (req) => {
          const name = roleName(req.params['name']);
          return locks.run(ROLE_PREFIX + name, async (): Promise<BackendResponse> => {
            const { role, warnings } = kind.apply(await load(name), req, { maxLeaseTtl: deps.system.maxLeaseTtl() });
            await putJson(storage, ROLE_PREFIX + name, role);
            return noContent(warnings);
          });
        },
        delete: async (req) => {
          await storage.delete(ROLE_PREFIX + roleName(req.params['name']));
          return noContent();
        },
      },
      help: 'Create, read, update or delete a role.',
    }),
  ];
}
