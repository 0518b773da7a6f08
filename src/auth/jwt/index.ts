// jwt/: the JWT/OIDC auth method (mounted as type `jwt` or `oidc`). One public door.
export type { JwtBackendOptions } from './jwt-backend.js';
export { createJwtBackend } from './jwt-backend.js';
