// The database secrets engine's factory: wires plugins, pools, paths, the creds secret type,
// static-role scheduling and crash recovery into one backend per mount.

import type { BackendFactory } from '../../sdk/index.js';
import { createBackend } from '../../sdk/index.js';
import type { Clock } from '../../shared/index.js';
import { createKeyedMutex } from '../../shared/index.js';
import { createConnectionManager } from './connections.js';
import type { EngineContext } from './context.js';
import type { DatabasePlugin } from './driver.js';
import { CREDS_SECRET_TYPE, credsPaths, credsSecretType } from './dynamic-creds.js';
import { mysqlLegacyPlugins, mysqlPlugin } from './mysql-driver.js';
import { configPaths } from './path-config.js';
import { rolePaths } from './path-roles.js';
import { staticRolePaths } from './path-static-roles.js';
import { postgresPlugin } from './postgres-driver.js';
import { createRotationScheduler } from './static-rotation.js';
import type { EngineTimers } from './timers.js';
import { systemTimers } from './timers.js';
import { startRecovery } from './write-ahead.js';

export interface DatabaseFactoryOptions {
  /** Where rotations and rollbacks are scheduled; default: unref'd setTimeout. */
  timers?: EngineTimers;
  /** Plugins by plugin_name; default: PostgreSQL and the MySQL family. */
  plugins?: readonly DatabasePlugin[];
  /** Overrides the mount's clock (tests of rotation schedules). */
  clock?: Clock;
}

/** The plugins Coffer ships: postgresql-database-plugin, mysql-database-plugin (+ legacy/rds/aurora). */
export const builtinDatabasePlugins: readonly DatabasePlugin[] = [postgresPlugin, mysqlPlugin, ...mysqlLegacyPlugins];

/**
 * Builds the `database` engine factory. Creating a backend reads storage only: crash recovery
 * and due rotations run in the background on `timers`, so a database that is down never blocks
 * a mount or an unseal. cleanup() cancels timers and closes every pool.
 */
export function createDatabaseFactory(opts: DatabaseFactoryOptions = {}): BackendFactory {
  return async (config) => {
    const plugins = new Map((opts.plugins ?? builtinDatabasePlugins).map((p) => [p.name, p]));
    const ctx: EngineContext = {
      backend: config,
      clock: opts.clock ?? config.clock,
      plugins,
      connections: createConnectionManager({ storage: config.storage, plugins }),
      locks: createKeyedMutex(),
      timers: opts.timers ?? systemTimers,
    };
    const scheduler = createRotationScheduler(ctx);
    await scheduler.start();
    const recovery = await startRecovery(ctx);
    return createBackend({
      secretTypes: { [CREDS_SECRET_TYPE]: credsSecretType(ctx) },
      paths: [...configPaths(ctx, recovery), ...rolePaths(ctx), ...credsPaths(ctx), ...staticRolePaths(ctx, scheduler)],
      cleanup: async () => {
        scheduler.stop();
        recovery.stop();
        await ctx.connections.closeAll();
      },
    });
  };
}

/** The factory with default options, for the engine registry (`database`). */
export const databaseFactory: BackendFactory = createDatabaseFactory();
