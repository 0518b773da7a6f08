// The identity store's records: entities with their aliases, groups with their (external) alias.
// Stored as JSON under the identity view; parsed back defensively.

export interface EntityAlias {
  id: string;
  canonicalId: string;
  mountAccessor: string;
  name: string;
  metadata: Record<string, string>;
  customMetadata: Record<string, string>;
  creationTime: number;
  lastUpdateTime: number;
}

export interface Entity {
  id: string;
  name: string;
  metadata: Record<string, string>;
  policies: string[];
  disabled: boolean;
  creationTime: number;
  lastUpdateTime: number;
  aliases: EntityAlias[];
}

export interface GroupAlias {
  id: string;
  canonicalId: string;
  mountAccessor: string;
  name: string;
  creationTime: number;
  lastUpdateTime: number;
}

export type GroupType = 'internal' | 'external';

export interface Group {
  id: string;
  name: string;
  type: GroupType;
  metadata: Record<string, string>;
  policies: string[];
  /** For external groups: entities seen in the group claim at their latest login. */
  memberEntityIds: string[];
  memberGroupIds: string[];
  alias: GroupAlias | undefined;
  creationTime: number;
  lastUpdateTime: number;
  modifyIndex: number;
}

const obj = (v: unknown): Record<string, unknown> => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const num = (v: unknown): number => (typeof v === 'number' ? v : 0);
const strs = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
export const stringMap = (v: unknown): Record<string, string> => {
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(obj(v))) if (typeof x === 'string') out[k] = x;
  return out;
};

function parseEntityAlias(v: unknown): EntityAlias {
  const o = obj(v);
  return {
    id: str(o['id']),
    canonicalId: str(o['canonicalId']),
    mountAccessor: str(o['mountAccessor']),
    name: str(o['name']),
    metadata: stringMap(o['metadata']),
    customMetadata: stringMap(o['customMetadata']),
    creationTime: num(o['creationTime']),
    lastUpdateTime: num(o['lastUpdateTime']),
  };
}

export function parseEntity(v: unknown): Entity | undefined {
  const o = obj(v);
  if (typeof o['id'] !== 'string' || typeof o['name'] !== 'string') return undefined;
  return {
    id: o['id'],
    name: o['name'],
    metadata: stringMap(o['metadata']),
    policies: strs(o['policies']),
    disabled: o['disabled'] === true,
    creationTime: num(o['creationTime']),
    lastUpdateTime: num(o['lastUpdateTime']),
    aliases: Array.isArray(o['aliases']) ? o['aliases'].map(parseEntityAlias) : [],
  };
}

export function parseGroup(v: unknown): Group | undefined {
  const o = obj(v);
  if (typeof o['id'] !== 'string' || typeof o['name'] !== 'string') return undefined;
  const a = o['alias'];
  const alias = a !== null && typeof a === 'object' ? obj(a) : undefined;
  return {
    id: o['id'],
    name: o['name'],
    type: o['type'] === 'external' ? 'external' : 'internal',
    metadata: stringMap(o['metadata']),
    policies: strs(o['policies']),
    memberEntityIds: strs(o['memberEntityIds']),
    memberGroupIds: strs(o['memberGroupIds']),
    alias:
      alias === undefined
        ? undefined
        : {
            id: str(alias['id']),
            canonicalId: str(alias['canonicalId']),
            mountAccessor: str(alias['mountAccessor']),
            name: str(alias['name']),
            creationTime: num(alias['creationTime']),
            lastUpdateTime: num(alias['lastUpdateTime']),
          },
    creationTime: num(o['creationTime']),
    lastUpdateTime: num(o['lastUpdateTime']),
    modifyIndex: num(o['modifyIndex']),
  };
}
