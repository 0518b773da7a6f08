// engines/database: Vault's database secrets engine for PostgreSQL and MySQL/MariaDB. The
// registry mounts `databaseFactory`; tests build their own with createDatabaseFactory.
export { createDatabaseFactory, databaseFactory, builtinDatabasePlugins } from './backend.js';
export type { DatabaseFactoryOptions } from './backend.js';
export type { DatabaseDriver, DatabasePlugin, DriverOptions } from './driver.js';
export { DatabaseError } from './driver.js';
export { createManualTimers, systemTimers } from './timers.js';
export type { EngineTimers, ManualTimers, ScheduledTimer, TimerHandle } from './timers.js';
