// shared/: pure helpers every layer may use. This file is the layer's one public door.
export * from './errors.js';
export * from './clock.js';
export * from './keyed-mutex.js';
export * from './logger.js';
export * from './brand.js';
export * from './duration.js';
export { anyGlobMatches, globMatch } from './glob.js';
export * from './hcl/index.js';
export { secureRandomBytes, secureRandomFill } from './random-pool.js';
export type { CharsetRule, PasswordPolicy } from './password-policy.js';
export { DEFAULT_PASSWORD_POLICY, generatePassword, parsePasswordPolicy } from './password-policy.js';
export { createListAwareServer, requestMethod } from './list-method/index.js';
export type { ListAwareServerOptions } from './list-method/index.js';
