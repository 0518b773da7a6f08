// sdk/: everything a plugin (engine, auth method, audit device) may see. One public door.
export * from './storage.js';
export * from './request.js';
export * from './fields.js';
export * from './framework.js';
export * from './memory-storage.js';
export * from './static-system-view.js';
export * from './audit.js';
