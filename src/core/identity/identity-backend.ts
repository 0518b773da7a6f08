// The identity/ mount: entities, entity aliases, groups, group aliases and lookups, with Vault's
// paths and JSON shapes. All state lives in the IdentityStore; this file only translates.

import type { BackendResponse, LogicalBackend } from '../../sdk/index.js';
import { createBackend, dataResponse, definePath, noContent } from '../../sdk/index.js';
import { CofferError } from '../../shared/index.js';
import type { IdentityStore } from './identity-store.js';
import type { Entity, EntityAlias, Group, GroupAlias } from './records.js';

export interface MountLookup {
  /** The auth mount behind an accessor: its path (`auth/userpass/`) and type. */
  mountOf(accessor: string): { path: string; type: string } | undefined;
}

const iso = (ms: number): string => new Date(ms).toISOString();
const orNull = (m: Record<string, string>): Record<string, string> | null => (Object.keys(m).length === 0 ? null : { ...m });
const bad = (msg: string): CofferError => new CofferError('invalid_request', msg);

/** Vault's key/value pair fields: a JSON object, or a list of "key=value" strings. */
function kvPairs(name: string, v: unknown): Record<string, string> | undefined {
  if (v === undefined || v === null) return undefined;
  const out: Record<string, string> = {};
  if (Array.isArray(v) || typeof v === 'string') {
    const items = typeof v === 'string' ? (v === '' ? [] : v.split(',')) : v;
    for (const item of items) {
      if (typeof item !== 'string' || !item.includes('=')) throw bad(`invalid '${name}': expected key=value pairs`);
      const i = item.indexOf('=');
      out[item.slice(0, i)] = item.slice(i + 1);
    }
    return out;
  }
  if (typeof v === 'object') {
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      if (typeof x !== 'string') throw bad(`invalid '${name}': values must be strings`);
      out[k] = x;
    }
    return out;
  }
  throw bad(`invalid '${name}': expected a map of strings`);
}

export function createIdentityBackend(store: IdentityStore, mounts: MountLookup): LogicalBackend {
  const aliasView = (a: EntityAlias): Record<string, unknown> => {
    const m = mounts.mountOf(a.mountAccessor);
    return {
      canonical_id: a.canonicalId,
      creation_time: iso(a.creationTime),
      custom_metadata: { ...a.customMetadata },
      id: a.id,
      last_update_time: iso(a.lastUpdateTime),
      local: false,
      merged_from_canonical_ids: null,
      metadata: orNull(a.metadata),
      mount_accessor: a.mountAccessor,
      mount_path: m?.path ?? '',
      mount_type: m?.type ?? '',
      name: a.name,
      namespace_id: 'root',
    };
  };
  const entityView = (e: Entity): Record<string, unknown> => {
    const { direct, inherited } = store.groupIdsOf(e.id);
    return {
      aliases: e.aliases.map(aliasView),
      creation_time: iso(e.creationTime),
      direct_group_ids: direct,
      disabled: e.disabled,
      group_ids: [...direct, ...inherited],
      id: e.id,
      inherited_group_ids: inherited,
      last_update_time: iso(e.lastUpdateTime),
      merged_entity_ids: null,
      metadata: orNull(e.metadata),
      mfa_secrets: {},
      name: e.name,
      namespace_id: 'root',
      policies: [...e.policies],
    };
  };
  const groupAliasView = (a: GroupAlias): Record<string, unknown> => {
    const m = mounts.mountOf(a.mountAccessor);
    return {
      canonical_id: a.canonicalId,
      creation_time: iso(a.creationTime),
      id: a.id,
      last_update_time: iso(a.lastUpdateTime),
      merged_from_canonical_ids: null,
      metadata: null,
      mount_accessor: a.mountAccessor,
      mount_path: m?.path ?? '',
      mount_type: m?.type ?? '',
      name: a.name,
      namespace_id: 'root',
    };
  };
  const groupView = (g: Group): Record<string, unknown> => {
    const parents = store.parentGroupIds(g.id);
    return {
      alias: g.alias ? groupAliasView(g.alias) : {},
      creation_time: iso(g.creationTime),
      id: g.id,
      last_update_time: iso(g.lastUpdateTime),
      member_entity_ids: [...g.memberEntityIds],
      member_group_ids: g.memberGroupIds.length > 0 ? [...g.memberGroupIds] : null,
      metadata: orNull(g.metadata),
      modify_index: g.modifyIndex,
      name: g.name,
      namespace_id: 'root',
      parent_group_ids: parents.length > 0 ? parents : null,
      policies: [...g.policies],
      type: g.type,
    };
  };

  const entityFields = {
    name: { type: 'string' },
    id: { type: 'string' },
    metadata: { type: 'any' },
    policies: { type: 'comma-list' },
    disabled: { type: 'bool' },
  } as const;
  const groupFields = {
    name: { type: 'string' },
    id: { type: 'string' },
    type: { type: 'string' },
    metadata: { type: 'any' },
    policies: { type: 'comma-list' },
    member_entity_ids: { type: 'comma-list' },
    member_group_ids: { type: 'comma-list' },
  } as const;
  const aliasFields = {
    name: { type: 'string' },
    id: { type: 'string' },
    canonical_id: { type: 'string' },
    mount_accessor: { type: 'string' },
    custom_metadata: { type: 'any' },
  } as const;
  const lookupFields = {
    name: { type: 'string' },
    id: { type: 'string' },
    alias_id: { type: 'string' },
    alias_name: { type: 'string' },
    alias_mount_accessor: { type: 'string' },
  } as const;

  type EntityReq = { fields: { name?: string | undefined; metadata?: unknown; policies?: string[] | undefined; disabled?: boolean | undefined } };
  const entityInput = (req: EntityReq) => ({
    ...(req.fields.name !== undefined ? { name: req.fields.name } : {}),
    ...(kvPairs('metadata', req.fields.metadata) !== undefined ? { metadata: kvPairs('metadata', req.fields.metadata) as Record<string, string> } : {}),
    ...(req.fields.policies !== undefined ? { policies: req.fields.policies } : {}),
    ...(req.fields.disabled !== undefined ? { disabled: req.fields.disabled } : {}),
  });
  type GroupReq = {
    fields: {
      name?: string | undefined;
      type?: string | undefined;
      metadata?: unknown;
      policies?: string[] | undefined;
      member_entity_ids?: string[] | undefined;
      member_group_ids?: string[] | undefined;
    };
  };
  const groupInput = (req: GroupReq) => ({
    ...(req.fields.name !== undefined ? { name: req.fields.name } : {}),
    ...(req.fields.type !== undefined ? { type: req.fields.type } : {}),
    ...(kvPairs('metadata', req.fields.metadata) !== undefined ? { metadata: kvPairs('metadata', req.fields.metadata) as Record<string, string> } : {}),
    ...(req.fields.policies !== undefined ? { policies: req.fields.policies } : {}),
    ...(req.fields.member_entity_ids !== undefined ? { memberEntityIds: req.fields.member_entity_ids } : {}),
    ...(req.fields.member_group_ids !== undefined ? { memberGroupIds: req.fields.member_group_ids } : {}),
  });
  type AliasReq = { fields: { name?: string | undefined; canonical_id?: string | undefined; mount_accessor?: string | undefined; custom_metadata?: unknown } };
  const aliasInput = (req: AliasReq) => ({
    ...(req.fields.name !== undefined ? { name: req.fields.name } : {}),
    ...(req.fields.canonical_id !== undefined ? { canonicalId: req.fields.canonical_id } : {}),
    ...(req.fields.mount_accessor !== undefined ? { mountAccessor: req.fields.mount_accessor } : {}),
    ...(kvPairs('custom_metadata', req.fields.custom_metadata) !== undefined
      ? { customMetadata: kvPairs('custom_metadata', req.fields.custom_metadata) as Record<string, string> }
      : {}),
  });

  const entityWritten = (r: { entity: Entity; created: boolean }): BackendResponse =>
    r.created ? dataResponse({ id: r.entity.id, name: r.entity.name, aliases: null }) : noContent();
  const groupWritten = (r: { group: Group; created: boolean }): BackendResponse =>
    r.created ? dataResponse({ id: r.group.id, name: r.group.name }) : noContent();
  const read = <T>(v: T | undefined, view: (v: T) => Record<string, unknown>): BackendResponse => (v === undefined ? noContent() : dataResponse(view(v)));

  const entityByIdOrName = (kind: 'id' | 'name', key: string): Entity | undefined => (kind === 'id' ? store.entity(key) : store.entityByName(key));
  const groupByIdOrName = (kind: 'id' | 'name', key: string): Group | undefined => (kind === 'id' ? store.group(key) : store.groupByName(key));

  const entityPaths = (['id', 'name'] as const).flatMap((kind) => [
    definePath({
      pattern: `entity/${kind}/?`,
      operations: {
        list: async () => {
          const all = store.entities().sort((a, b) => (kind === 'id' ? a.id.localeCompare(b.id) : a.name.localeCompare(b.name)));
          if (all.length === 0) return noContent();
          const keyInfo: Record<string, unknown> = {};
          for (const e of all) {
            keyInfo[kind === 'id' ? e.id : e.name] =
              kind === 'id'
                ? { name: e.name, aliases: e.aliases.map((a) => ({ id: a.id, mount_accessor: a.mountAccessor, name: a.name })) }
                : { id: e.id, aliases: e.aliases.map((a) => ({ id: a.id, mount_accessor: a.mountAccessor, name: a.name })) };
          }
          return dataResponse({ keys: all.map((e) => (kind === 'id' ? e.id : e.name)), key_info: keyInfo });
        },
      },
      help: `List entities by ${kind}.`,
    }),
    definePath({
      pattern: `entity/${kind}/:key`,
      fields: entityFields,
      operations: {
        read: async (req) => read(entityByIdOrName(kind, req.params['key'] ?? ''), entityView),
        update: async (req) => {
          const key = req.params['key'] ?? '';
          return entityWritten(await store.writeEntity(entityInput(req), kind === 'id' ? { id: key } : { name: key }));
        },
        delete: async (req) => {
          const e = entityByIdOrName(kind, req.params['key'] ?? '');
          if (e) await store.deleteEntity(e.id);
          return noContent();
        },
      },
      help: `Read, update or delete an entity by ${kind}.`,
    }),
  ]);

  const groupPaths = (['id', 'name'] as const).flatMap((kind) => [
    definePath({
      pattern: `group/${kind}/?`,
      operations: {
        list: async () => {
          const all = store.groups().sort((a, b) => (kind === 'id' ? a.id.localeCompare(b.id) : a.name.localeCompare(b.name)));
          if (all.length === 0) return noContent();
          const keyInfo: Record<string, unknown> = {};
          for (const g of all) keyInfo[kind === 'id' ? g.id : g.name] = kind === 'id' ? { name: g.name, num_member_entities: g.memberEntityIds.length, num_parent_groups: store.parentGroupIds(g.id).length } : { id: g.id };
          return dataResponse({ keys: all.map((g) => (kind === 'id' ? g.id : g.name)), key_info: keyInfo });
        },
      },
      help: `List groups by ${kind}.`,
    }),
    definePath({
      pattern: `group/${kind}/:key`,
      fields: groupFields,
      operations: {
        read: async (req) => read(groupByIdOrName(kind, req.params['key'] ?? ''), groupView),
        update: async (req) => {
          const key = req.params['key'] ?? '';
          return groupWritten(await store.writeGroup(groupInput(req), kind === 'id' ? { id: key } : { name: key }));
        },
        delete: async (req) => {
          const g = groupByIdOrName(kind, req.params['key'] ?? '');
          if (g) await store.deleteGroup(g.id);
          return noContent();
        },
      },
      help: `Read, update or delete a group by ${kind}.`,
    }),
  ]);

  return createBackend({
    specialPaths: { unauthenticated: [] },
    paths: [
      definePath({
        pattern: 'entity',
        fields: entityFields,
        operations: {
          update: async (req) => {
            const id = req.fields.id;
            return entityWritten(await store.writeEntity(entityInput(req), id !== undefined && id !== '' ? { id } : {}));
          },
        },
        help: 'Create or update an entity.',
      }),
      definePath({
        pattern: 'entity/batch-delete',
        fields: { entity_ids: { type: 'comma-list' } },
        operations: {
          update: async (req) => {
            for (const id of req.fields.entity_ids ?? []) await store.deleteEntity(id);
            return noContent();
          },
        },
        help: 'Delete several entities by id.',
      }),
      ...entityPaths,
      definePath({
        pattern: 'entity-alias',
        fields: aliasFields,
        operations: {
          update: async (req) => {
            const id = req.fields.id;
            const r = await store.writeEntityAlias(aliasInput(req), id !== undefined && id !== '' ? id : undefined);
            return r.created ? dataResponse({ id: r.alias.id, canonical_id: r.alias.canonicalId }) : noContent();
          },
        },
        help: 'Create an entity alias.',
      }),
      definePath({
        pattern: 'entity-alias/id/?',
        operations: {
          list: async () => {
            const all = store.entityAliases().sort((a, b) => a.alias.id.localeCompare(b.alias.id));
            if (all.length === 0) return noContent();
            const keyInfo: Record<string, unknown> = {};
            for (const { alias } of all) {
              const m = mounts.mountOf(alias.mountAccessor);
              keyInfo[alias.id] = { canonical_id: alias.canonicalId, custom_metadata: { ...alias.customMetadata }, local: false, mount_accessor: alias.mountAccessor, mount_path: m?.path ?? '', mount_type: m?.type ?? '', name: alias.name };
            }
            return dataResponse({ keys: all.map((a) => a.alias.id), key_info: keyInfo });
          },
        },
        help: 'List entity aliases.',
      }),
      definePath({
        pattern: 'entity-alias/id/:id',
        fields: aliasFields,
        operations: {
          read: async (req) => read(store.entityAlias(req.params['id'] ?? '')?.alias, aliasView),
          update: async (req) => {
            await store.writeEntityAlias(aliasInput(req), req.params['id'] ?? '');
            return noContent();
          },
          delete: async (req) => {
            await store.deleteEntityAlias(req.params['id'] ?? '');
            return noContent();
          },
        },
        help: 'Read, update or delete an entity alias.',
      }),
      definePath({
        pattern: 'group',
        fields: groupFields,
        operations: {
          update: async (req) => {
            const id = req.fields.id;
            return groupWritten(await store.writeGroup(groupInput(req), id !== undefined && id !== '' ? { id } : {}));
          },
        },
        help: 'Create or update a group.',
      }),
      ...groupPaths,
      definePath({
        pattern: 'group-alias',
        fields: aliasFields,
        operations: {
          update: async (req) => {
            const id = req.fields.id;
            const r = await store.writeGroupAlias(aliasInput(req), id !== undefined && id !== '' ? id : undefined);
            return r.created ? dataResponse({ id: r.alias.id, canonical_id: r.alias.canonicalId }) : noContent();
          },
        },
        help: 'Create a group alias (external groups only).',
      }),
      definePath({
        pattern: 'group-alias/id/?',
        operations: {
          list: async () => {
            const all = store.groupAliases().sort((a, b) => a.alias.id.localeCompare(b.alias.id));
            if (all.length === 0) return noContent();
            const keyInfo: Record<string, unknown> = {};
            for (const { alias } of all) {
              const m = mounts.mountOf(alias.mountAccessor);
              keyInfo[alias.id] = { canonical_id: alias.canonicalId, mount_accessor: alias.mountAccessor, mount_path: m?.path ?? '', mount_type: m?.type ?? '', name: alias.name };
            }
            return dataResponse({ keys: all.map((a) => a.alias.id), key_info: keyInfo });
          },
        },
        help: 'List group aliases.',
      }),
      definePath({
        pattern: 'group-alias/id/:id',
        fields: aliasFields,
        operations: {
          read: async (req) => read(store.groupAlias(req.params['id'] ?? '')?.alias, groupAliasView),
          update: async (req) => {
            await store.writeGroupAlias(aliasInput(req), req.params['id'] ?? '');
            return noContent();
          },
          delete: async (req) => {
            await store.deleteGroupAlias(req.params['id'] ?? '');
            return noContent();
          },
        },
        help: 'Read, update or delete a group alias.',
      }),
      definePath({
        pattern: 'lookup/entity',
        fields: lookupFields,
        operations: {
          update: async (req) => {
            const f = req.fields;
            const given = [f.name, f.id, f.alias_id, f.alias_name].filter((x) => x !== undefined && x !== '').length;
            if (given === 0) throw bad('missing entity name, id, alias_id or alias_name');
            let e: Entity | undefined;
            if (f.id) e = store.entity(f.id);
            else if (f.name) e = store.entityByName(f.name);
            else if (f.alias_id) e = store.entityAlias(f.alias_id)?.entity;
            else if (f.alias_name) {
              if (!f.alias_mount_accessor) throw bad("'alias_mount_accessor' is required with 'alias_name'");
              e = store.entityAliasByName(f.alias_mount_accessor, f.alias_name)?.entity;
            }
            return read(e, entityView);
          },
        },
        help: 'Look an entity up by name, id or alias.',
      }),
      definePath({
        pattern: 'lookup/group',
        fields: lookupFields,
        operations: {
          update: async (req) => {
            const f = req.fields;
            let g: Group | undefined;
            if (f.id) g = store.group(f.id);
            else if (f.name) g = store.groupByName(f.name);
            else if (f.alias_id) g = store.groupAlias(f.alias_id)?.group;
            else if (f.alias_name) {
              if (!f.alias_mount_accessor) throw bad("'alias_mount_accessor' is required with 'alias_name'");
              g = store.groupAliasByName(f.alias_mount_accessor, f.alias_name)?.group;
            } else throw bad('missing group name, id, alias_id or alias_name');
            return read(g, groupView);
          },
        },
        help: 'Look a group up by name, id or alias.',
      }),
    ],
  });
}
