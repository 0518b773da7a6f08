// sqlite/: the embedded, durable SQLite backend. This file is the folder's one public door.
export { createSqliteBackend } from './sqlite-backend.js';
export type { SqliteBackend, SqliteBackendOptions, SqliteBackendStats } from './sqlite-backend.js';
