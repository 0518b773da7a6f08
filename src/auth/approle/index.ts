// approle/: the AppRole auth method. One public door.
export { createApproleBackend } from './approle.js';
