// The postgresql-database-plugin: a pg Pool per connection config; statements run in one
// transaction; default revocation drops what the user owns and then the role.

import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';
import pg from 'pg';
import type { ConnectionTarget } from './connection-url.js';
import { parsePostgresConnection } from './connection-url.js';
import type { DatabaseDriver, DatabasePlugin, DriverOptions } from './driver.js';
import { DatabaseError } from './driver.js';
import { errorText } from './scrub.js';
import { formatExpiration, prepareStatements, quotePgIdent, quotePgLiteral } from './statements.js';
import { POSTGRES_USERNAME_TEMPLATE } from './username-template.js';

function poolConfig(t: ConnectionTarget, opts: DriverOptions): pg.PoolConfig {
  const cfg: pg.PoolConfig = {
    host: t.socketPath ?? t.host,
    port: t.port,
    database: t.database,
    user: t.user,
    password: t.password,
    max: Math.max(1, opts.maxOpenConnections),
    connectionTimeoutMillis: opts.connectTimeoutMs ?? 10_000,
    idleTimeoutMillis: opts.maxIdleConnections < 0 ? 1 : 30_000,
    allowExitOnIdle: true,
  };
  if (opts.maxConnectionLifetimeSeconds > 0) cfg.maxLifetimeSeconds = opts.maxConnectionLifetimeSeconds;
  if (t.tls === 'require') cfg.ssl = { rejectUnauthorized: false };
  else if (t.tls === 'verify') cfg.ssl = true;
  return cfg;
}

/** A SCRAM-SHA-256 verifier as PostgreSQL stores it (accepted in place of a plaintext password). */
export function scramVerifier(password: string, iterations = 4096): string {
  const salt = randomBytes(16);
  const salted = pbkdf2Sync(password.normalize('NFKC'), salt, iterations, 32, 'sha256');
  const clientKey = createHmac('sha256', salted).update('Client Key').digest();
  const storedKey = createHash('sha256').update(clientKey).digest();
  const serverKey = createHmac('sha256', salted).update('Server Key').digest();
  return `SCRAM-SHA-256$${iterations}:${salt.toString('base64')}$${storedKey.toString('base64')}:${serverKey.toString('base64')}`;
}

export function openPostgres(opts: DriverOptions): DatabaseDriver {
  /** What `{{password}}` becomes in statements. */
  const sent = (password: string): string => (opts.passwordAuthentication === 'scram-sha-256' ? scramVerifier(password) : password);
  const target = parsePostgresConnection(opts.connectionUrl, { username: opts.username, password: opts.password });
  const pool = new pg.Pool(poolConfig(target, opts));
  // An idle connection dropped by the server must not crash the process; the pool replaces it.
  pool.on('error', () => undefined);
  pool.on('connect', (client) => client.on('error', () => undefined));
  const rootSecrets = [opts.password, target.password];
  const fail = (e: unknown, extra: readonly string[] = []): DatabaseError => new DatabaseError(errorText(e, [...rootSecrets, ...extra]));

  /** Runs fn on one client inside BEGIN/COMMIT; a failure rolls back and discards the client. */
  const inTransaction = async (fn: (c: pg.PoolClient) => Promise<void>, secrets: readonly string[] = []): Promise<void> => {
    let client: pg.PoolClient;
    try {
      client = await pool.connect();
    } catch (e) {
      throw fail(e, secrets);
    }
    try {
      await client.query('BEGIN');
      await fn(client);
      await client.query('COMMIT');
      client.release();
    } catch (e) {
      try {
        await client.query('ROLLBACK');
      } catch {
        // The connection is broken; it is discarded below.
      }
      client.release(true);
      throw fail(e, secrets);
    }
  };
  const runAll = (statements: readonly string[], secrets: readonly string[] = []): Promise<void> =>
    inTransaction(async (c) => {
      for (const s of statements) await c.query(s);
    }, secrets);

  return {
    async verifyConnection() {
      try {
        await pool.query('SELECT 1');
      } catch (e) {
        throw fail(e);
      }
    },
    async createUser({ username, password, expiration, statements }) {
      if (statements.length === 0) throw new DatabaseError('empty creation statements');
      await runAll(prepareStatements(statements, { name: username, password: sent(password), expiration: formatExpiration(expiration) }), [password]);
    },
    async renewUser({ username, expiration, statements }) {
      const exp = formatExpiration(expiration);
      const stmts = statements.length > 0 ? prepareStatements(statements, { name: username, expiration: exp }) : [`ALTER ROLE ${quotePgIdent(username)} VALID UNTIL ${quotePgLiteral(exp)}`];
      await runAll(stmts);
    },
    async revokeUser({ username, statements }) {
      if (statements.length > 0) {
        await runAll(prepareStatements(statements, { name: username }));
        return;
      }
      await inTransaction(async (c) => {
        const found = await c.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [username]);
        if (found.rowCount === 0) return;
        const u = quotePgIdent(username);
        // DROP OWNED revokes every privilege in this database; it needs membership in the role,
        // so an administrator without it falls back to revoking per schema.
        await c.query('SAVEPOINT drop_owned');
        try {
          await c.query(`REASSIGN OWNED BY ${u} TO CURRENT_USER`);
          await c.query(`DROP OWNED BY ${u}`);
        } catch {
          await c.query('ROLLBACK TO SAVEPOINT drop_owned');
          const schemas = await c.query<{ s: string }>(
            `SELECT DISTINCT table_schema AS s FROM information_schema.role_table_grants WHERE grantee = $1
             UNION SELECT 'public'`,
            [username],
          );
          for (const { s } of schemas.rows) {
            const q = quotePgIdent(s);
            await c.query(`REVOKE ALL PRIVILEGES ON ALL TABLES IN SCHEMA ${q} FROM ${u}`);
            await c.query(`REVOKE ALL PRIVILEGES ON ALL SEQUENCES IN SCHEMA ${q} FROM ${u}`);
            await c.query(`REVOKE ALL PRIVILEGES ON ALL FUNCTIONS IN SCHEMA ${q} FROM ${u}`);
            await c.query(`REVOKE USAGE ON SCHEMA ${q} FROM ${u}`);
          }
          const db = await c.query<{ d: string }>('SELECT current_database() AS d');
          await c.query(`REVOKE ALL PRIVILEGES ON DATABASE ${quotePgIdent(db.rows[0]?.d ?? '')} FROM ${u}`);
        }
        await c.query(`DROP ROLE IF EXISTS ${u}`);
      });
    },
    async setPassword({ username, password, statements }) {
      const stmts = statements.length > 0 ? prepareStatements(statements, { name: username, password: sent(password) }) : [`ALTER ROLE ${quotePgIdent(username)} WITH PASSWORD ${quotePgLiteral(sent(password))}`];
      await runAll(stmts, [password]);
    },
    async close() {
      await pool.end();
    },
  };
}

export const postgresPlugin: DatabasePlugin = {
  name: 'postgresql-database-plugin',
  defaultUsernameTemplate: POSTGRES_USERNAME_TEMPLATE,
  open: openPostgres,
};
