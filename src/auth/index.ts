// auth/: the builtin auth methods (they return LoginGrants; the core mints tokens). One public door.
export { createUserpassBackend } from './userpass/index.js';
export { createApproleBackend } from './approle/index.js';

// jwt and kubernetes pull in jose: load them only when such a method is mounted (idle memory).
import type { BackendFactory } from '../sdk/index.js';
export const createJwtBackend: BackendFactory = async (config) => (await import('./jwt/index.js')).createJwtBackend(config);
export const createKubernetesBackend: BackendFactory = async (config) => (await import('./kubernetes/index.js')).createKubernetesBackend(config);
