// inmem/: the in-memory physical backend. This file is the folder's one public door.
export { createInmemBackend } from './inmem-backend.js';
