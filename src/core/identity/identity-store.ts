// The identity store: entities (one per principal), their aliases (one per auth mount login
// name), and groups (internal with explicit members, external fed by auth methods' group claims).
// Everything is held in memory after unseal and written through to the barrier; mutations are
// serialised. It answers the two questions the request path asks: which identity policies a
// token's entity earns, and what templated policies may read about it.

import { randomUUID } from 'node:crypto';
import type { Storage } from '../../sdk/index.js';
import { getJson, putJson } from '../../sdk/index.js';
import type { Clock } from '../../shared/index.js';
import { CofferError, createKeyedMutex } from '../../shared/index.js';
import type { IdentityInfo } from '../acl/index.js';
import type { Entity, EntityAlias, Group, GroupAlias, GroupType } from './records.js';
import { parseEntity, parseGroup } from './records.js';

/** What a token's entity contributes to authorisation; the same object until the store changes. */
export interface ResolvedIdentity {
  readonly disabled: boolean;
  /** Sorted policies from the entity and every group it belongs to (directly or inherited). */
  readonly policies: readonly string[];
  readonly info: IdentityInfo;
}

export interface EntityInput {
  name?: string;
  metadata?: Record<string, string>;
  policies?: string[];
  disabled?: boolean;
}

export interface GroupInput {
  name?: string;
  type?: string;
  metadata?: Record<string, string>;
  policies?: string[];
  memberEntityIds?: string[];
  memberGroupIds?: string[];
}

export interface EntityAliasInput {
  name?: string;
  canonicalId?: string;
  mountAccessor?: string;
  customMetadata?: Record<string, string>;
}

export interface GroupAliasInput {
  name?: string;
  canonicalId?: string;
  mountAccessor?: string;
}

export interface LoginIdentity {
  mountAccessor: string;
  alias: { name: string; metadata?: Record<string, string> };
  /** undefined: the method has no group claims, so external memberships on this mount are left alone. */
  groupAliases?: readonly string[];
}

export interface IdentityStore {
  load(): Promise<void>;
  reset(): void;
  /** Finds or creates the entity and alias for a login; refreshes alias metadata and external groups. */
  loginEntity(input: LoginIdentity): Promise<Entity>;
  resolve(entityId: string): ResolvedIdentity | undefined;

  entity(id: string): Entity | undefined;
  entityByName(name: string): Entity | undefined;
  entities(): Entity[];
  /** Creates (no id / unknown name) or updates an entity; `id` set means update that entity. */
  writeEntity(input: EntityInput, target: { id?: string; name?: string }): Promise<{ entity: Entity; created: boolean }>;
  deleteEntity(id: string): Promise<void>;

  entityAlias(id: string): { alias: EntityAlias; entity: Entity } | undefined;
  entityAliasByName(mountAccessor: string, name: string): { alias: EntityAlias; entity: Entity } | undefined;
  entityAliases(): { alias: EntityAlias; entity: Entity }[];
  writeEntityAlias(input: EntityAliasInput, id?: string): Promise<{ alias: EntityAlias; created: boolean }>;
  deleteEntityAlias(id: string): Promise<void>;

  group(id: string): Group | undefined;
  groupByName(name: string): Group | undefined;
  groups(): Group[];
  writeGroup(input: GroupInput, target: { id?: string; name?: string }): Promise<{ group: Group; created: boolean }>;
  deleteGroup(id: string): Promise<void>;
  /** Groups that list `groupId` as a member. */
  parentGroupIds(groupId: string): string[];
  /** Direct and inherited group ids of an entity. */
  groupIdsOf(entityId: string): { direct: string[]; inherited: string[] };

  groupAlias(id: string): { alias: GroupAlias; group: Group } | undefined;
  groupAliases(): { alias: GroupAlias; group: Group }[];
  writeGroupAlias(input: GroupAliasInput, id?: string): Promise<{ alias: GroupAlias; created: boolean }>;
  deleteGroupAlias(id: string): Promise<void>;
  groupAliasByName(mountAccessor: string, name: string): { alias: GroupAlias; group: Group } | undefined;
}

export interface IdentityStoreDeps {
  storage: Storage;
  clock: Clock;
  /** Whether an auth mount accessor exists (aliases must point at one). */
  accessorExists(accessor: string): boolean;
}

const bad = (msg: string): CofferError => new CofferError('invalid_request', msg);
const aliasKey = (accessor: string, name: string): string => `${accessor}\u0000${name}`;
const ENTITY = 'entity/';
const GROUP = 'group/';

function normalisePolicies(ps: readonly string[]): string[] {
  const out: string[] = [];
  for (const p of ps) {
    const t = p.trim();
    if (t !== '' && !out.includes(t)) out.push(t);
  }
  return out;
}

export function createIdentityStore(deps: IdentityStoreDeps): IdentityStore {
  const { storage, clock } = deps;
  const lock = createKeyedMutex();
  const entities = new Map<string, Entity>();
  const entityNames = new Map<string, string>();
  const aliasesById = new Map<string, EntityAlias>();
  const aliasesByName = new Map<string, EntityAlias>();
  const groups = new Map<string, Group>();
  const groupNames = new Map<string, string>();
  const groupAliasesById = new Map<string, GroupAlias>();
  const groupAliasesByName = new Map<string, GroupAlias>();
  // Resolved identities are cached until anything changes (changes are rare, reads constant).
  let resolved = new Map<string, ResolvedIdentity>();

  const serialised = <T>(fn: () => Promise<T>): Promise<T> => lock.run('identity', fn);
  const changed = (): void => {
    resolved = new Map();
  };

  const indexEntity = (e: Entity): void => {
    entities.set(e.id, e);
    entityNames.set(e.name, e.id);
    for (const a of e.aliases) {
      aliasesById.set(a.id, a);
      aliasesByName.set(aliasKey(a.mountAccessor, a.name), a);
    }
  };
  const unindexEntity = (e: Entity): void => {
    entities.delete(e.id);
    if (entityNames.get(e.name) === e.id) entityNames.delete(e.name);
    for (const a of e.aliases) {
      aliasesById.delete(a.id);
      aliasesByName.delete(aliasKey(a.mountAccessor, a.name));
    }
  };
  const indexGroup = (g: Group): void => {
    groups.set(g.id, g);
    groupNames.set(g.name, g.id);
    if (g.alias) {
      groupAliasesById.set(g.alias.id, g.alias);
      groupAliasesByName.set(aliasKey(g.alias.mountAccessor, g.alias.name), g.alias);
    }
  };
  const unindexGroup = (g: Group): void => {
    groups.delete(g.id);
    if (groupNames.get(g.name) === g.id) groupNames.delete(g.name);
    if (g.alias) {
      groupAliasesById.delete(g.alias.id);
      groupAliasesByName.delete(aliasKey(g.alias.mountAccessor, g.alias.name));
    }
  };

  const saveEntity = async (e: Entity): Promise<void> => {
    await putJson(storage, ENTITY + e.id, e);
    changed();
  };
  const saveGroup = async (g: Group): Promise<void> => {
    await putJson(storage, GROUP + g.id, g);
    changed();
  };

  const newEntity = (name?: string): Entity => {
    const id = randomUUID();
    const now = clock.now();
    return { id, name: name ?? `entity_${id.slice(0, 8)}`, metadata: {}, policies: [], disabled: false, creationTime: now, lastUpdateTime: now, aliases: [] };
  };

  const parentsOf = (groupId: string): string[] => [...groups.values()].filter((g) => g.memberGroupIds.includes(groupId)).map((g) => g.id);

  const groupIdsOf = (entityId: string): { direct: string[]; inherited: string[] } => {
    const direct = [...groups.values()].filter((g) => g.memberEntityIds.includes(entityId)).map((g) => g.id);
    const seen = new Set(direct);
    const inherited: string[] = [];
    const queue = [...direct];
    while (queue.length > 0) {
      const next = queue.shift() as string;
      for (const p of parentsOf(next)) {
        if (seen.has(p)) continue;
        seen.add(p);
        inherited.push(p);
        queue.push(p);
      }
    }
    return { direct, inherited };
  };

  const computeResolved = (e: Entity): ResolvedIdentity => {
    const { direct, inherited } = groupIdsOf(e.id);
    const memberOf = [...direct, ...inherited].map((id) => groups.get(id)).filter((g): g is Group => g !== undefined);
    const policies = new Set(e.policies);
    for (const g of memberOf) for (const p of g.policies) policies.add(p);
    const aliases: Record<string, IdentityInfo['aliases'][string]> = {};
    for (const a of e.aliases) aliases[a.mountAccessor] = { id: a.id, name: a.name, metadata: a.metadata, customMetadata: a.customMetadata };
    return {
      disabled: e.disabled,
      policies: [...policies].sort(),
      info: {
        entityId: e.id,
        entityName: e.name,
        entityMetadata: e.metadata,
        aliases,
        groups: memberOf.map((g) => ({ id: g.id, name: g.name, metadata: g.metadata })),
      },
    };
  };

  /** Ensures adding `childIds` as members of `groupId` creates no cycle. */
  const checkNoCycle = (groupId: string, childIds: readonly string[]): void => {
    for (const child of childIds) {
      if (child === groupId) throw bad('group cannot be a member of itself');
      // Walk down from the child; reaching groupId means the child is already above it.
      const stack = [child];
      const seen = new Set<string>();
      while (stack.length > 0) {
        const cur = stack.pop() as string;
        if (cur === groupId) throw bad(`member group ID ${JSON.stringify(child)} is already a parent of group ${JSON.stringify(groupId)}`);
        if (seen.has(cur)) continue;
        seen.add(cur);
        stack.push(...(groups.get(cur)?.memberGroupIds ?? []));
      }
    }
  };

  const store: IdentityStore = {
    async load() {
      store.reset();
      for (const key of await storage.list(ENTITY)) {
        const e = parseEntity(await getJson(storage, ENTITY + key));
        if (e) indexEntity(e);
      }
      for (const key of await storage.list(GROUP)) {
        const g = parseGroup(await getJson(storage, GROUP + key));
        if (g) indexGroup(g);
      }
    },

    reset() {
      for (const m of [entities, entityNames, aliasesById, aliasesByName, groups, groupNames, groupAliasesById, groupAliasesByName]) m.clear();
      changed();
    },

    loginEntity(input) {
      return serialised(async () => {
        const now = clock.now();
        const metadata = input.alias.metadata ?? {};
        let alias = aliasesByName.get(aliasKey(input.mountAccessor, input.alias.name));
        let entity = alias ? entities.get(alias.canonicalId) : undefined;
        if (alias === undefined || entity === undefined) {
          entity = newEntity();
          alias = {
            id: randomUUID(),
            canonicalId: entity.id,
            mountAccessor: input.mountAccessor,
            name: input.alias.name,
            metadata: { ...metadata },
            customMetadata: {},
            creationTime: now,
            lastUpdateTime: now,
          };
          entity.aliases.push(alias);
          indexEntity(entity);
          await saveEntity(entity);
        } else if (JSON.stringify(alias.metadata) !== JSON.stringify(metadata)) {
          alias.metadata = { ...metadata };
          alias.lastUpdateTime = now;
          await saveEntity(entity);
        }
        if (input.groupAliases !== undefined) await syncExternalGroups(entity.id, input.mountAccessor, input.groupAliases);
        return entity;
      });
    },

    resolve(entityId) {
      const hit = resolved.get(entityId);
      if (hit) return hit;
      const e = entities.get(entityId);
      if (!e) return undefined;
      const r = computeResolved(e);
      resolved.set(entityId, r);
      return r;
    },

    entity: (id) => entities.get(id),
    entityByName: (name) => {
      const id = entityNames.get(name);
      return id === undefined ? undefined : entities.get(id);
    },
    entities: () => [...entities.values()],

    writeEntity(input, target) {
      return serialised(async () => {
        let entity = target.id !== undefined ? entities.get(target.id) : undefined;
        if (target.id !== undefined && entity === undefined) throw bad('entity not found from id');
        const wantedName = input.name ?? target.name;
        if (wantedName !== undefined && wantedName !== '') {
          const byName = store.entityByName(wantedName);
          if (byName !== undefined) {
            if (entity === undefined) entity = byName;
            else if (entity.id !== byName.id) throw bad('entity name is already in use');
          }
        }
        const created = entity === undefined;
        const now = clock.now();
        const e: Entity = entity ? { ...entity, aliases: entity.aliases } : newEntity(wantedName !== undefined && wantedName !== '' ? wantedName : undefined);
        if (entity) unindexEntity(entity);
        if (wantedName !== undefined && wantedName !== '') e.name = wantedName;
        if (input.metadata !== undefined) e.metadata = input.metadata;
        if (input.policies !== undefined) e.policies = normalisePolicies(input.policies);
        if (input.disabled !== undefined) e.disabled = input.disabled;
        e.lastUpdateTime = now;
        indexEntity(e);
        await saveEntity(e);
        return { entity: e, created };
      });
    },

    deleteEntity(id) {
      return serialised(async () => {
        const e = entities.get(id);
        if (!e) return;
        unindexEntity(e);
        await storage.delete(ENTITY + id);
        for (const g of groups.values()) {
          if (g.memberEntityIds.includes(id)) {
            g.memberEntityIds = g.memberEntityIds.filter((x) => x !== id);
            await saveGroup(g);
          }
        }
        changed();
      });
    },

    entityAlias(id) {
      const alias = aliasesById.get(id);
      const entity = alias ? entities.get(alias.canonicalId) : undefined;
      return alias && entity ? { alias, entity } : undefined;
    },
    entityAliasByName(accessor, name) {
      const alias = aliasesByName.get(aliasKey(accessor, name));
      const entity = alias ? entities.get(alias.canonicalId) : undefined;
      return alias && entity ? { alias, entity } : undefined;
    },
    entityAliases: () => [...aliasesById.values()].map((a) => store.entityAlias(a.id)).filter((x) => x !== undefined),

    writeEntityAlias(input, id) {
      return serialised(async () => {
        const existing = id !== undefined ? store.entityAlias(id) : undefined;
        if (id !== undefined && existing === undefined) throw bad('entity alias not found from id');
        const name = input.name ?? existing?.alias.name;
        const accessor = input.mountAccessor ?? existing?.alias.mountAccessor;
        if (name === undefined || name === '') throw bad('missing alias name');
        if (accessor === undefined || accessor === '') throw bad('missing mount_accessor');
        if (!deps.accessorExists(accessor)) throw bad('invalid mount accessor ' + JSON.stringify(accessor));
        const canonicalId = input.canonicalId ?? existing?.alias.canonicalId;
        const clash = aliasesByName.get(aliasKey(accessor, name));
        if (clash && clash.id !== existing?.alias.id) {
          throw bad(`alias with combination of mount accessor and name already exists for entity ${JSON.stringify(clash.canonicalId)}`);
        }
        const target = canonicalId !== undefined && canonicalId !== '' ? entities.get(canonicalId) : undefined;
        if (canonicalId !== undefined && canonicalId !== '' && target === undefined) throw bad('invalid canonical ID');
        const now = clock.now();
        const owner = target ?? newEntity();
        if (owner.aliases.some((a) => a.mountAccessor === accessor && a.id !== existing?.alias.id)) {
          throw bad('alias already exists for requested entity and mount accessor');
        }
        const alias: EntityAlias = existing
          ? { ...existing.alias, name, mountAccessor: accessor, canonicalId: owner.id, lastUpdateTime: now }
          : { id: randomUUID(), canonicalId: owner.id, mountAccessor: accessor, name, metadata: {}, customMetadata: {}, creationTime: now, lastUpdateTime: now };
        if (input.customMetadata !== undefined) alias.customMetadata = input.customMetadata;
        if (existing) {
          unindexEntity(existing.entity);
          existing.entity.aliases = existing.entity.aliases.filter((a) => a.id !== alias.id);
          indexEntity(existing.entity);
          if (existing.entity.id !== owner.id) await saveEntity(existing.entity);
        }
        unindexEntity(owner);
        owner.aliases = [...owner.aliases.filter((a) => a.id !== alias.id), alias];
        indexEntity(owner);
        await saveEntity(owner);
        return { alias, created: existing === undefined };
      });
    },

    deleteEntityAlias(id) {
      return serialised(async () => {
        const found = store.entityAlias(id);
        if (!found) return;
        unindexEntity(found.entity);
        found.entity.aliases = found.entity.aliases.filter((a) => a.id !== id);
        indexEntity(found.entity);
        await saveEntity(found.entity);
      });
    },

    group: (id) => groups.get(id),
    groupByName: (name) => {
      const id = groupNames.get(name);
      return id === undefined ? undefined : groups.get(id);
    },
    groups: () => [...groups.values()],

    writeGroup(input, target) {
      return serialised(async () => {
        let group = target.id !== undefined ? groups.get(target.id) : undefined;
        if (target.id !== undefined && group === undefined) throw bad('group not found from id');
        const wantedName = input.name ?? target.name;
        if (wantedName !== undefined && wantedName !== '') {
          const byName = store.groupByName(wantedName);
          if (byName !== undefined) {
            if (group === undefined) group = byName;
            else if (group.id !== byName.id) throw bad('group name is already in use');
          }
        }
        let type: GroupType = group?.type ?? 'internal';
        if (input.type !== undefined && input.type !== '') {
          if (input.type !== 'internal' && input.type !== 'external') throw bad(`invalid group type ${JSON.stringify(input.type)}`);
          if (group && group.type !== input.type) throw bad('group type cannot be changed');
          type = input.type;
        }
        if (type === 'external' && input.memberEntityIds !== undefined && input.memberEntityIds.length > 0) {
          throw bad('member entities can\'t be set manually for external groups');
        }
        const now = clock.now();
        const id = group?.id ?? randomUUID();
        const g: Group = group
          ? { ...group }
          : {
              id,
              name: wantedName !== undefined && wantedName !== '' ? wantedName : `group_${id.slice(0, 8)}`,
              type,
              metadata: {},
              policies: [],
              memberEntityIds: [],
              memberGroupIds: [],
              alias: undefined,
              creationTime: now,
              lastUpdateTime: now,
              modifyIndex: 0,
            };
        if (wantedName !== undefined && wantedName !== '') g.name = wantedName;
        if (input.metadata !== undefined) g.metadata = input.metadata;
        if (input.policies !== undefined) g.policies = normalisePolicies(input.policies);
        if (input.memberEntityIds !== undefined && type === 'internal') {
          for (const m of input.memberEntityIds) if (!entities.has(m)) throw bad(`invalid member entity ID ${JSON.stringify(m)}`);
          g.memberEntityIds = [...new Set(input.memberEntityIds)];
        }
        if (input.memberGroupIds !== undefined) {
          for (const m of input.memberGroupIds) if (!groups.has(m)) throw bad(`invalid member group ID ${JSON.stringify(m)}`);
          checkNoCycle(g.id, input.memberGroupIds);
          g.memberGroupIds = [...new Set(input.memberGroupIds)];
        }
        g.lastUpdateTime = now;
        g.modifyIndex += 1;
        if (group) unindexGroup(group);
        indexGroup(g);
        await saveGroup(g);
        return { group: g, created: group === undefined };
      });
    },

    deleteGroup(id) {
      return serialised(async () => {
        const g = groups.get(id);
        if (!g) return;
        unindexGroup(g);
        await storage.delete(GROUP + id);
        for (const parent of groups.values()) {
          if (parent.memberGroupIds.includes(id)) {
            parent.memberGroupIds = parent.memberGroupIds.filter((x) => x !== id);
            await saveGroup(parent);
          }
        }
        changed();
      });
    },

    parentGroupIds: parentsOf,
    groupIdsOf,

    groupAlias(id) {
      const alias = groupAliasesById.get(id);
      const group = alias ? groups.get(alias.canonicalId) : undefined;
      return alias && group ? { alias, group } : undefined;
    },
    groupAliasByName(accessor, name) {
      const alias = groupAliasesByName.get(aliasKey(accessor, name));
      const group = alias ? groups.get(alias.canonicalId) : undefined;
      return alias && group ? { alias, group } : undefined;
    },
    groupAliases: () => [...groupAliasesById.values()].map((a) => store.groupAlias(a.id)).filter((x) => x !== undefined),

    writeGroupAlias(input, id) {
      return serialised(async () => {
        const existing = id !== undefined ? store.groupAlias(id) : undefined;
        if (id !== undefined && existing === undefined) throw bad('group alias not found from id');
        const name = input.name ?? existing?.alias.name;
        const accessor = input.mountAccessor ?? existing?.alias.mountAccessor;
        const canonicalId = input.canonicalId ?? existing?.alias.canonicalId;
        if (name === undefined || name === '') throw bad('missing alias name');
        if (accessor === undefined || accessor === '') throw bad('missing mount_accessor');
        if (!deps.accessorExists(accessor)) throw bad('invalid mount accessor ' + JSON.stringify(accessor));
        if (canonicalId === undefined || canonicalId === '') throw bad('missing canonical_id');
        const group = groups.get(canonicalId);
        if (!group) throw bad('invalid canonical ID');
        if (group.type !== 'external') throw bad('alias can\'t be set on an internal group');
        if (group.alias && group.alias.id !== existing?.alias.id) throw bad('group already has an alias');
        const clash = groupAliasesByName.get(aliasKey(accessor, name));
        if (clash && clash.id !== existing?.alias.id) throw bad('combination of mount and group alias name is already in use');
        const now = clock.now();
        const alias: GroupAlias = existing
          ? { ...existing.alias, name, mountAccessor: accessor, canonicalId, lastUpdateTime: now }
          : { id: randomUUID(), canonicalId, mountAccessor: accessor, name, creationTime: now, lastUpdateTime: now };
        if (existing && existing.group.id !== group.id) {
          unindexGroup(existing.group);
          existing.group.alias = undefined;
          indexGroup(existing.group);
          await saveGroup(existing.group);
        }
        unindexGroup(group);
        group.alias = alias;
        indexGroup(group);
        await saveGroup(group);
        return { alias, created: existing === undefined };
      });
    },

    deleteGroupAlias(id) {
      return serialised(async () => {
        const found = store.groupAlias(id);
        if (!found) return;
        unindexGroup(found.group);
        found.group.alias = undefined;
        indexGroup(found.group);
        await saveGroup(found.group);
      });
    },
  };

  /** Makes the entity a member of exactly the external groups on this mount named by the claim. */
  async function syncExternalGroups(entityId: string, accessor: string, names: readonly string[]): Promise<void> {
    const wanted = new Set(names.map((n) => groupAliasesByName.get(aliasKey(accessor, n))?.canonicalId).filter((x) => x !== undefined));
    for (const g of groups.values()) {
      if (g.type !== 'external' || g.alias?.mountAccessor !== accessor) continue;
      const member = g.memberEntityIds.includes(entityId);
      const should = wanted.has(g.id);
      if (member === should) continue;
      g.memberEntityIds = should ? [...g.memberEntityIds, entityId] : g.memberEntityIds.filter((x) => x !== entityId);
      await saveGroup(g);
    }
  }

  return store;
}
