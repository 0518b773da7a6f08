// The mount manager: owns both mount tables (secrets engines and auth methods), persists them in
// the barrier, instantiates backends from the factory registry, and keeps the router in step.
// Every table change is serialised and persisted before the router sees it.

import { randomBytes, randomUUID } from 'node:crypto';
import type { BackendFactory, LogicalBackend, Storage, SystemView } from '../sdk/index.js';
import { getJson, putJson } from '../sdk/index.js';
import type { Clock, Logger } from '../shared/index.js';
import { CofferError, createKeyedMutex } from '../shared/index.js';
import type { MountConfig, MountEntry, MountTable } from './mount-entry.js';
import { defaultMountConfig, parseMountTable, routePath, viewPrefix } from './mount-entry.js';
import type { Router } from './router.js';
import { createView } from '../barrier/index.js';
import { deletePrefix } from './delete-prefix.js';

export interface MountRegistry {
  engines: Readonly<Record<string, BackendFactory>>;
  auth: Readonly<Record<string, BackendFactory>>;
}

export interface SystemTtls {
  defaultLeaseTtl: number;
  maxLeaseTtl: number;
}

export interface EnableInput {
  type: string;
  description: string;
  config: Partial<MountConfig>;
  options: Record<string, string> | null;
  local: boolean;
  sealWrap: boolean;
  externalEntropyAccess: boolean;
}

export interface TuneInput {
  defaultLeaseTtl?: number;
  maxLeaseTtl?: number;
  description?: string;
  options?: Record<string, string>;
  listingVisibility?: '' | 'unauth' | 'hidden';
  auditNonHmacRequestKeys?: string[];
  auditNonHmacResponseKeys?: string[];
  passthroughRequestHeaders?: string[];
  allowedResponseHeaders?: string[];
  tokenType?: string;
}

export interface MountManager {
  /** Loads (or creates) both tables and mounts every backend. */
  load(builtins: { sys: LogicalBackend; token: LogicalBackend; cubbyhole: LogicalBackend; identity: LogicalBackend }): Promise<void>;
  /** The barrier view of a mount's data (e.g. to clean up a token's cubbyhole). */
  storageOf(table: MountTable, path: string): Storage | undefined;
  unloadAll(): Promise<void>;
  list(table: MountTable): MountEntry[];
  get(table: MountTable, path: string): MountEntry | undefined;
  enable(table: MountTable, path: string, input: EnableInput): Promise<MountEntry>;
  disable(table: MountTable, path: string): Promise<void>;
  tune(table: MountTable, path: string, input: TuneInput): Promise<MountEntry>;
  /** Moves a mount; its data stays where it is (views are keyed by uuid). */
  remount(from: { table: MountTable; path: string }, to: { table: MountTable; path: string }): Promise<MountEntry>;
  systemView(entry: MountEntry): SystemView;
}

/** Normalises a user-given mount path: no leading '/', exactly one trailing '/'. */
export function normalizeMountPath(p: string): string {
  let s = p.trim().replace(/^\/+/, '');
  s = s.replace(/\/+$/, '');
  if (s === '') throw new CofferError('invalid_request', 'path cannot be empty');
  if (s.split('/').some((seg) => seg === '' || seg === '.' || seg === '..')) {
    throw new CofferError('invalid_request', `invalid mount path ${JSON.stringify(p)}`);
  }
  return s + '/';
}

const RESERVED_MOUNT_PREFIXES = ['sys/', 'auth/', 'cubbyhole/', 'identity/'];

export function createMountManager(deps: {
  barrier: Storage;
  router: Router;
  registry: MountRegistry;
  system: SystemTtls;
  /** Password generation for engines (sys/policies/password). */
  generatePassword: (policyName?: string) => Promise<string>;
  clock: Clock;
  logger: Logger;
  /** Called with the route path ("secret/", "auth/x/") before a mount is disabled. */
  onUnmount?: (routePath: string) => Promise<void>;
}): MountManager {
  const { router, registry, system, logger } = deps;
  const tables: Record<MountTable, MountEntry[]> = { mounts: [], auth: [] };
  const lock = createKeyedMutex();

  const systemView = (entry: MountEntry): SystemView => ({
    maxLeaseTtl: () => entry.config.maxLeaseTtl || system.maxLeaseTtl,
    defaultLeaseTtl: () => {
      const max = entry.config.maxLeaseTtl || system.maxLeaseTtl;
      return Math.min(entry.config.defaultLeaseTtl || system.defaultLeaseTtl, max);
    },
    generatePassword: deps.generatePassword,
  });

  const persist = async (table: MountTable): Promise<void> => {
    await putJson(deps.barrier, `core/${table}`, tables[table]);
  };

  const instantiate = async (entry: MountEntry): Promise<LogicalBackend> => {
    const factories = entry.table === 'auth' ? registry.auth : registry.engines;
    const factory = factories[entry.type];
    if (!factory) {
      const kind = entry.table === 'auth' ? 'auth method' : 'secrets engine';
      throw new CofferError('invalid_request', `unknown ${kind} type "${entry.type}"`);
    }
    return factory({
      storage: createView(deps.barrier, viewPrefix(entry)),
      mountPath: routePath(entry),
      options: entry.options ?? {},
      logger: logger.child({ mount: routePath(entry) }),
      clock: deps.clock,
      system: systemView(entry),
    });
  };

  const mountInRouter = (entry: MountEntry, backend: LogicalBackend): void => {
    router.add({ entry, backend, storage: createView(deps.barrier, viewPrefix(entry)) });
  };

  const newEntry = (table: MountTable, path: string, type: string, description: string, builtin: boolean): MountEntry => ({
    table,
    path,
    type,
    description,
    uuid: randomUUID(),
    // Vault's accessors: `kv_1a2b3c4d` for secrets engines, `auth_userpass_1a2b3c4d` for auth methods.
    accessor: `${table === 'auth' ? 'auth_' : ''}${type}_${randomBytes(4).toString('hex')}`,
    config: defaultMountConfig(),
    options: null,
    local: false,
    sealWrap: false,
    externalEntropyAccess: false,
    builtin,
  });

  const find = (table: MountTable, path: string): MountEntry | undefined => tables[table].find((e) => e.path === path);

  /** Rejects a path equal to, inside, or containing an existing mount of the same router space. */
  const checkConflict = (table: MountTable, path: string): void => {
    const full = table === 'auth' ? `auth/${path}` : path;
    for (const t of ['mounts', 'auth'] as const) {
      for (const e of tables[t]) {
        const other = routePath(e);
        if (other === full) throw new CofferError('invalid_request', `path is already in use at ${e.path}`);
        if (full.startsWith(other)) throw new CofferError('invalid_request', `existing mount at ${e.path}`);
        if (other.startsWith(full)) throw new CofferError('invalid_request', `path is already in use at ${e.path}`);
      }
    }
  };

  const checkReserved = (table: MountTable, path: string): void => {
    if (table !== 'mounts') return;
    for (const p of RESERVED_MOUNT_PREFIXES) {
      if (path.startsWith(p)) throw new CofferError('invalid_request', `cannot mount under "${p}": the path is reserved`);
    }
  };

  const validateTtls = (config: { defaultLeaseTtl: number; maxLeaseTtl: number }): void => {
    if (config.defaultLeaseTtl < 0 || config.maxLeaseTtl < 0) throw new CofferError('invalid_request', 'lease TTLs cannot be negative');
    const max = config.maxLeaseTtl || system.maxLeaseTtl;
    if (config.maxLeaseTtl > system.maxLeaseTtl) {
      throw new CofferError('invalid_request', 'given max lease TTL greater than system max lease TTL');
    }
    if ((config.defaultLeaseTtl || 0) > max) {
      throw new CofferError('invalid_request', 'given default lease TTL greater than given max lease TTL');
    }
  };

  return {
    async load(builtins) {
      const store = deps.barrier;
      for (const table of ['mounts', 'auth'] as const) {
        const raw = await getJson(store, `core/${table}`);
        tables[table] = raw === undefined ? [] : parseMountTable(raw, table);
      }
      if (!find('mounts', 'sys/')) {
        tables.mounts.unshift(newEntry('mounts', 'sys/', 'system', 'system endpoints used for control, policy and debugging', true));
        await persist('mounts');
      }
      if (!find('mounts', 'cubbyhole/')) {
        const cubby = newEntry('mounts', 'cubbyhole/', 'cubbyhole', 'per-token private secret storage', true);
        cubby.local = true;
        tables.mounts.splice(1, 0, cubby);
        await persist('mounts');
      }
      if (!find('mounts', 'identity/')) {
        tables.mounts.push(newEntry('mounts', 'identity/', 'identity', 'identity store', true));
        await persist('mounts');
      }
      if (!find('auth', 'token/')) {
        const tok = newEntry('auth', 'token/', 'token', 'token based credentials', true);
        tok.config.tokenType = 'default-service';
        tables.auth.unshift(tok);
        await persist('auth');
      }
      for (const table of ['mounts', 'auth'] as const) {
        for (const entry of tables[table]) {
          if (entry.type === 'system') mountInRouter(entry, builtins.sys);
          else if (entry.type === 'cubbyhole' && entry.builtin) mountInRouter(entry, builtins.cubbyhole);
          else if (entry.type === 'identity' && entry.builtin) mountInRouter(entry, builtins.identity);
          else if (entry.type === 'token' && entry.table === 'auth') mountInRouter(entry, builtins.token);
          else {
            try {
              mountInRouter(entry, await instantiate(entry));
            } catch (e) {
              // One broken mount must not keep the server sealed; it stays listed but unroutable.
              logger.error({ mount: routePath(entry), error: e instanceof Error ? e.message : String(e) }, 'failed to mount backend');
            }
          }
        }
      }
    },

    async unloadAll() {
      for (const t of router.all()) {
        try {
          await t.backend.cleanup?.();
        } catch (e) {
          logger.warn({ mount: routePath(t.entry), error: e instanceof Error ? e.message : String(e) }, 'backend cleanup failed');
        }
      }
      router.clear();
      tables.mounts = [];
      tables.auth = [];
    },

    list: (table) => [...tables[table]],
    storageOf: (table, path) => {
      const e = find(table, path);
      return e ? createView(deps.barrier, viewPrefix(e)) : undefined;
    },
    get: (table, path) => find(table, path),

    enable(table, rawPath, input) {
      return lock.run('tables', async () => {
        const path = normalizeMountPath(rawPath);
        checkReserved(table, path);
        if (table === 'auth' && (input.type === 'token' || path === 'token/')) {
          throw new CofferError('invalid_request', 'token credential backend cannot be instantiated');
        }
        checkConflict(table, path);
        const entry = newEntry(table, path, input.type, input.description, false);
        entry.config = { ...entry.config, ...input.config };
        if (table === 'auth') entry.config.tokenType ??= 'default-service';
        validateTtls(entry.config);
        entry.options = input.options;
        entry.local = input.local;
        entry.sealWrap = input.sealWrap;
        entry.externalEntropyAccess = input.externalEntropyAccess;
        const backend = await instantiate(entry);
        tables[table].push(entry);
        try {
          await persist(table);
        } catch (e) {
          tables[table] = tables[table].filter((x) => x !== entry);
          throw e;
        }
        mountInRouter(entry, backend);
        return entry;
      });
    },

    disable(table, rawPath) {
      return lock.run('tables', async () => {
        const path = normalizeMountPath(rawPath);
        const entry = find(table, path);
        if (!entry) return; // Vault: disabling a missing mount succeeds.
        if (entry.builtin) {
          throw new CofferError('invalid_request', `cannot unmount "${entry.path}"`);
        }
        await deps.onUnmount?.(routePath(entry));
        const target = router.remove(routePath(entry));
        tables[table] = tables[table].filter((x) => x !== entry);
        await persist(table);
        await target?.backend.cleanup?.();
        await deletePrefix(deps.barrier, viewPrefix(entry));
      });
    },

    tune(table, rawPath, input) {
      return lock.run('tables', async () => {
        const path = normalizeMountPath(rawPath);
        const entry = find(table, path);
        if (!entry) throw new CofferError('invalid_request', `no mount at ${path}`);
        const next: MountEntry = { ...entry, config: { ...entry.config } };
        if (input.defaultLeaseTtl !== undefined) next.config.defaultLeaseTtl = input.defaultLeaseTtl;
        if (input.maxLeaseTtl !== undefined) next.config.maxLeaseTtl = input.maxLeaseTtl;
        validateTtls(next.config);
        if (input.description !== undefined) next.description = input.description;
        if (input.listingVisibility !== undefined) next.config.listingVisibility = input.listingVisibility;
        if (input.auditNonHmacRequestKeys) next.config.auditNonHmacRequestKeys = input.auditNonHmacRequestKeys;
        if (input.auditNonHmacResponseKeys) next.config.auditNonHmacResponseKeys = input.auditNonHmacResponseKeys;
        if (input.passthroughRequestHeaders) next.config.passthroughRequestHeaders = input.passthroughRequestHeaders;
        if (input.allowedResponseHeaders) next.config.allowedResponseHeaders = input.allowedResponseHeaders;
        if (input.tokenType !== undefined) {
          if (table !== 'auth') throw new CofferError('invalid_request', 'token_type can only be tuned on auth mounts');
          if (!['default-service', 'default-batch', 'service', 'batch'].includes(input.tokenType)) {
            throw new CofferError('invalid_request', `invalid token_type ${JSON.stringify(input.tokenType)}`);
          }
          next.config.tokenType = input.tokenType;
        }
        let backend: LogicalBackend | undefined;
        if (input.options !== undefined) {
          const merged = { ...(entry.options ?? {}), ...input.options };
          const changedVersion = (entry.options?.['version'] ?? '') !== (merged['version'] ?? '');
          next.options = merged;
          if (changedVersion) backend = await instantiate(next); // validates the new version
        }
        Object.assign(entry, next);
        await persist(table);
        const current = router.get(routePath(entry));
        if (backend && current) {
          await current.backend.cleanup?.();
          mountInRouter(entry, backend);
        }
        return entry;
      });
    },

    remount(from, to) {
      return lock.run('tables', async () => {
        const src = normalizeMountPath(from.path);
        const dst = normalizeMountPath(to.path);
        if (from.table !== to.table) throw new CofferError('invalid_request', 'cannot move a mount between secrets engines and auth methods');
        const entry = find(from.table, src);
        if (!entry) throw new CofferError('invalid_request', `no matching mount at "${from.table === 'auth' ? 'auth/' : ''}${src}"`);
        if (entry.builtin) throw new CofferError('invalid_request', `cannot remount "${src}"`);
        checkReserved(to.table, dst);
        checkConflict(to.table, dst);
        const target = router.remove(routePath(entry));
        const oldPath = entry.path;
        entry.path = dst;
        try {
          await persist(from.table);
        } catch (e) {
          entry.path = oldPath;
          if (target) router.add(target);
          throw e;
        }
        if (target) router.add({ ...target, entry });
        return entry;
      });
    },

    systemView,
  };
}
