// userpass/: the username & password auth method. One public door.
export { createUserpassBackend } from './userpass.js';
