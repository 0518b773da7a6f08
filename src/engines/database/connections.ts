// One driver (connection pool) per connection config, opened on first use and closed when the
// config changes, is deleted, or the mount goes away.

import type { Storage } from '../../sdk/index.js';
import { CofferError } from '../../shared/index.js';
import type { DatabaseDriver, DatabasePlugin, DriverOptions } from './driver.js';
import type { DbConfigRecord } from './records.js';
import { loadConfig } from './records.js';

export interface OpenConnection {
  driver: DatabaseDriver;
  config: DbConfigRecord;
}

export interface ConnectionManager {
  /** The pool for config `name`; invalid_request when the config does not exist. */
  get(name: string): Promise<OpenConnection>;
  /** Opens a pool for a config that is not stored (yet); the caller closes it or adopts it. */
  open(config: DbConfigRecord): DatabaseDriver;
  /** Makes `driver` the pool for `name`, closing the one it replaces. */
  adopt(name: string, driver: DatabaseDriver, config: DbConfigRecord): Promise<void>;
  /** Closes and forgets the pool for `name` (the next get opens a fresh one). */
  reset(name: string): Promise<void>;
  closeAll(): Promise<void>;
}

export function driverOptions(c: DbConfigRecord, password = c.password): DriverOptions {
  return {
    connectionUrl: c.connection_url,
    username: c.username,
    password,
    maxOpenConnections: c.max_open_connections,
    maxIdleConnections: c.max_idle_connections,
    maxConnectionLifetimeSeconds: c.max_connection_lifetime,
    passwordAuthentication: c.password_authentication === 'scram-sha-256' ? 'scram-sha-256' : 'password',
  };
}

export function createConnectionManager(deps: { storage: Storage; plugins: ReadonlyMap<string, DatabasePlugin> }): ConnectionManager {
  const open = new Map<string, OpenConnection>();
  let closed = false;
  const closeQuietly = async (d: DatabaseDriver): Promise<void> => {
    try {
      await d.close();
    } catch {
      // Already closed or the server went away: nothing left to release.
    }
  };
  const plugin = (name: string): DatabasePlugin => {
    const p = deps.plugins.get(name);
    if (!p) throw new CofferError('invalid_request', `unknown plugin_name ${JSON.stringify(name)}; supported: ${[...deps.plugins.keys()].sort().join(', ')}`);
    return p;
  };
  const mgr: ConnectionManager = {
    async get(name) {
      if (closed) throw new CofferError('unavailable', 'the database engine is shutting down');
      const have = open.get(name);
      if (have) return have;
      const config = await loadConfig(deps.storage, name);
      if (!config) throw new CofferError('invalid_request', `no database connection named ${JSON.stringify(name)}`);
      // Another request may have opened it while the config was read.
      const raced = open.get(name);
      if (raced) return raced;
      const conn = { driver: mgr.open(config), config };
      open.set(name, conn);
      return conn;
    },
    open(config) {
      return plugin(config.plugin_name).open(driverOptions(config));
    },
    async adopt(name, driver, config) {
      const old = open.get(name);
      if (closed) {
        await closeQuietly(driver);
        return;
      }
      open.set(name, { driver, config });
      if (old && old.driver !== driver) await closeQuietly(old.driver);
    },
    async reset(name) {
      const old = open.get(name);
      open.delete(name);
      if (old) await closeQuietly(old.driver);
    },
    async closeAll() {
      closed = true;
      const all = [...open.values()];
      open.clear();
      await Promise.all(all.map((c) => closeQuietly(c.driver)));
    },
  };
  return mgr;
}
