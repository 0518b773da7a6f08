// auth/: the builtin auth methods (they return LoginGrants; the core mints tokens). One public door.
export { createUserpassBackend } from './userpass/index.js';
export { createApproleBackend } from './approle/index.js';
export { createJwtBackend } from './jwt/index.js';
export { createKubernetesBackend } from './kubernetes/index.js';
