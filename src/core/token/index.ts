// core/token/: the token store (service and batch tokens, roles) and the auth/token/ backend.
// This file is the folder's one public door.
export type { TokenEntry, TokenType } from './token-entry.js';
export type { CreateContext, CreateTokenParams } from './token-create.js';
export type { RoleTokenType, RoleWrite, TokenRole } from './token-role.js';
export type { IssuedToken, RenewResult, TokenStore, TokenStoreDeps, TokenUse } from './token-store.js';
export type { GrantContext, TokenGrant } from './token-grant.js';
export type { TidyReport } from './token-tidy.js';
export { createTokenStore } from './token-store.js';
export type { TokenBackendDeps } from './token-backend.js';
export { createTokenBackend, TOKEN_ROOT_PATHS } from './token-backend.js';
export { addressAllowed } from './bound-cidrs.js';
export { lookupData, authFor } from './token-views.js';
