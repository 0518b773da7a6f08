// core/identity: entities, aliases and groups; the identity policies and template data of tokens.
export type { IdentityStore, ResolvedIdentity, LoginIdentity } from './identity-store.js';
export { createIdentityStore } from './identity-store.js';
export type { MountLookup } from './identity-backend.js';
export { createIdentityBackend } from './identity-backend.js';
export type { Entity, EntityAlias, Group, GroupAlias } from './records.js';
