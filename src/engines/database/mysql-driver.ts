// The mysql-database-plugin (MySQL and MariaDB): a mysql2 pool per connection config. MySQL
// has no expiring passwords, so renewal does nothing unless renew statements are given.

import mysql from 'mysql2/promise';
import type { ConnectionTarget } from './connection-url.js';
import { parseMySqlConnection } from './connection-url.js';
import type { DatabaseDriver, DatabasePlugin, DriverOptions } from './driver.js';
import { DatabaseError } from './driver.js';
import { errorText } from './scrub.js';
import { formatExpiration, prepareStatements, quoteMySqlLiteral } from './statements.js';
import { MYSQL_LEGACY_USERNAME_TEMPLATE, MYSQL_USERNAME_TEMPLATE } from './username-template.js';

/** REVOKE on a user without grants (or without the user) fails with these; revocation goes on. */
const ER_NONEXISTING_GRANT = 1141;
const ER_REVOKE_GRANTS = 1269;
const ER_CANNOT_USER = 1396;

function poolOptions(t: ConnectionTarget, opts: DriverOptions): mysql.PoolOptions {
  const max = Math.max(1, opts.maxOpenConnections);
  const o: mysql.PoolOptions = {
    user: t.user,
    password: t.password,
    connectionLimit: max,
    maxIdle: opts.maxIdleConnections === 0 ? max : Math.max(0, Math.min(opts.maxIdleConnections, max)),
    idleTimeout: opts.maxConnectionLifetimeSeconds > 0 ? opts.maxConnectionLifetimeSeconds * 1000 : 60_000,
    connectTimeout: opts.connectTimeoutMs ?? 10_000,
    multipleStatements: false,
  };
  if (t.socketPath !== undefined) o.socketPath = t.socketPath;
  else {
    o.host = t.host;
    o.port = t.port;
  }
  if (t.database !== '') o.database = t.database;
  if (t.tls === 'require') o.ssl = { rejectUnauthorized: false };
  else if (t.tls === 'verify') o.ssl = {};
  return o;
}

const errno = (e: unknown): number | undefined => {
  const n = (e as { errno?: unknown } | null)?.errno;
  return typeof n === 'number' ? n : undefined;
};

export function openMySql(opts: DriverOptions): DatabaseDriver {
  const target = parseMySqlConnection(opts.connectionUrl, { username: opts.username, password: opts.password });
  const pool = mysql.createPool(poolOptions(target, opts));
  const rootSecrets = [opts.password, target.password];
  const fail = (e: unknown, extra: readonly string[] = []): DatabaseError => new DatabaseError(errorText(e, [...rootSecrets, ...extra]));

  const onConnection = async (fn: (c: mysql.PoolConnection) => Promise<void>, secrets: readonly string[] = []): Promise<void> => {
    let conn: mysql.PoolConnection;
    try {
      conn = await pool.getConnection();
    } catch (e) {
      throw fail(e, secrets);
    }
    try {
      await fn(conn);
      conn.release();
    } catch (e) {
      conn.destroy();
      throw fail(e, secrets);
    }
  };
  const runAll = (statements: readonly string[], secrets: readonly string[] = []): Promise<void> =>
    onConnection(async (c) => {
      for (const s of statements) await c.query(s);
    }, secrets);

  /** The host part of an existing account named `user`, when exactly one exists; else '%'. */
  const hostOf = async (c: mysql.PoolConnection, user: string): Promise<string> => {
    try {
      const [rows] = await c.query('SELECT Host AS h FROM mysql.user WHERE User = ?', [user]);
      if (Array.isArray(rows) && rows.length === 1) {
        const h = (rows[0] as { h?: unknown }).h;
        if (typeof h === 'string') return h;
      }
    } catch {
      // No read access to mysql.user: assume the usual '%'.
    }
    return '%';
  };

  return {
    async verifyConnection() {
      await onConnection(async (c) => {
        await c.query('SELECT 1');
      });
    },
    async createUser({ username, password, expiration, statements }) {
      if (statements.length === 0) throw new DatabaseError('empty creation statements');
      await runAll(prepareStatements(statements, { name: username, password, expiration: formatExpiration(expiration) }), [password]);
    },
    async renewUser({ username, expiration, statements }) {
      if (statements.length === 0) return;
      await runAll(prepareStatements(statements, { name: username, expiration: formatExpiration(expiration) }));
    },
    async revokeUser({ username, statements }) {
      if (statements.length > 0) {
        await runAll(prepareStatements(statements, { name: username }));
        return;
      }
      await onConnection(async (c) => {
        const account = `${quoteMySqlLiteral(username)}@'%'`;
        try {
          await c.query(`REVOKE ALL PRIVILEGES, GRANT OPTION FROM ${account}`);
        } catch (e) {
          const n = errno(e);
          if (n !== ER_NONEXISTING_GRANT && n !== ER_REVOKE_GRANTS && n !== ER_CANNOT_USER) throw e;
        }
        await c.query(`DROP USER IF EXISTS ${account}`);
      });
    },
    async setPassword({ username, password, statements }) {
      if (statements.length > 0) {
        await runAll(prepareStatements(statements, { name: username, password }), [password]);
        return;
      }
      await onConnection(async (c) => {
        const host = await hostOf(c, username);
        await c.query(`ALTER USER ${quoteMySqlLiteral(username)}@${quoteMySqlLiteral(host)} IDENTIFIED BY ${quoteMySqlLiteral(password)}`);
      }, [password]);
    },
    async close() {
      await pool.end();
    },
  };
}

export const mysqlPlugin: DatabasePlugin = { name: 'mysql-database-plugin', defaultUsernameTemplate: MYSQL_USERNAME_TEMPLATE, open: openMySql };

const legacy = (name: string): DatabasePlugin => ({ name, defaultUsernameTemplate: MYSQL_LEGACY_USERNAME_TEMPLATE, open: openMySql });

/** Vault's MySQL variants with 16-character user names (MySQL before 5.7, RDS, Aurora). */
export const mysqlLegacyPlugins: readonly DatabasePlugin[] = [legacy('mysql-legacy-database-plugin'), legacy('mysql-rds-database-plugin'), legacy('mysql-aurora-database-plugin')];
