// Runs the driver conformance suite against a throwaway PostgreSQL 15 cluster and MariaDB.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import mysql from 'mysql2/promise';
import type { TestMariaDb, TestPostgres } from '../../testing/index.js';
import { mariadbAvailable, postgresAvailable, startTestMariaDb, startTestPostgres } from '../../testing/index.js';
import { describeDriverConformance } from './driver-conformance.js';
import { mysqlPlugin } from './mysql-driver.js';
import { postgresPlugin } from './postgres-driver.js';

if (postgresAvailable()) {
  let db: TestPostgres;
  describeDriverConformance(
    'postgresql-database-plugin',
    async () => {
      db = await startTestPostgres();
      // A table, so that the GRANT in the creation statements grants something to revoke.
      await db.query('CREATE TABLE items (id int)');
      return {
        plugin: postgresPlugin,
        rootOptions: { connectionUrl: db.templatedUrl, username: db.user, password: db.password, maxOpenConnections: 4, maxIdleConnections: 0, maxConnectionLifetimeSeconds: 0 },
        creationStatements: [`CREATE ROLE "{{name}}" WITH LOGIN PASSWORD '{{password}}' VALID UNTIL '{{expiration}}'; GRANT SELECT ON ALL TABLES IN SCHEMA public TO "{{name}}";`],
        revocationStatements: ['REVOKE ALL PRIVILEGES ON ALL TABLES IN SCHEMA public FROM "{{name}}"; DROP ROLE IF EXISTS "{{name}}"'],
        canLogin: (u, p) => db.canLogin(u, p),
        userExists: async (u) => (await db.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [u])).length === 1,
        validUntil: async (u) => {
          const rows = await db.query('SELECT rolvaliduntil AS v FROM pg_roles WHERE rolname = $1', [u]);
          const v = rows[0]?.['v'];
          return v instanceof Date ? v.getTime() : undefined;
        },
        createPlainUser: async (u, p) => {
          await db.query(`CREATE ROLE "${u}" WITH LOGIN PASSWORD '${p}'`);
        },
        resetPassword: async (u, p) => {
          // The root password changed under the fixture: connect over the Unix socket (trust).
          const c = new pg.Client({ host: db.socketDir, port: db.port, user: db.user, database: 'postgres' });
          await c.connect();
          await c.query(`ALTER ROLE "${u}" WITH PASSWORD '${p}'`);
          await c.end();
        },
      };
    },
    async () => {
      await db?.close();
    },
  );
}

if (mariadbAvailable()) {
  let db: TestMariaDb;
  describeDriverConformance(
    'mysql-database-plugin (MariaDB)',
    async () => {
      db = await startTestMariaDb();
      return {
        plugin: mysqlPlugin,
        rootOptions: { connectionUrl: db.templatedDsn, username: db.user, password: db.password, maxOpenConnections: 4, maxIdleConnections: 0, maxConnectionLifetimeSeconds: 0 },
        creationStatements: ["CREATE USER '{{name}}'@'%' IDENTIFIED BY '{{password}}'; GRANT SELECT ON *.* TO '{{name}}'@'%';"],
        revocationStatements: ["DROP USER '{{name}}'@'%'"],
        canLogin: (u, p) => db.canLogin(u, p),
        userExists: async (u) => (await db.query('SELECT 1 FROM mysql.user WHERE User = ?', [u])).length === 1,
        createPlainUser: async (u, p) => {
          await db.query(`CREATE USER '${u}'@'%' IDENTIFIED BY '${p}'`);
        },
        resetPassword: async (u, p) => {
          const c = await mysql.createConnection({ socketPath: db.socketPath, user: 'root' });
          await c.query(`ALTER USER '${u}'@'%' IDENTIFIED BY '${p}'`);
          await c.end();
        },
      };
    },
    async () => {
      await db?.close();
    },
  );
}

describe('postgresql-database-plugin with a non-superuser administrator', { skip: !postgresAvailable() && 'PostgreSQL 15 binaries are not installed' }, () => {
  let db: TestPostgres;
  before(async () => {
    db = await startTestPostgres();
    await db.query("CREATE ROLE limited_admin WITH LOGIN CREATEROLE PASSWORD 'Limited-Pass-1'");
    await db.query('CREATE TABLE owned (id int)');
    await db.query('ALTER TABLE owned OWNER TO limited_admin');
  });
  after(async () => {
    await db?.close();
  });

  it('sends SCRAM verifiers instead of passwords with password_authentication scram-sha-256', async () => {
    const driver = postgresPlugin.open({ connectionUrl: db.templatedUrl, username: db.user, password: db.password, maxOpenConnections: 1, maxIdleConnections: 0, maxConnectionLifetimeSeconds: 0, passwordAuthentication: 'scram-sha-256' });
    try {
      await driver.createUser({ username: 'v-scram-1', password: 'Pw-scram-1', expiration: Date.now() + 3600_000, statements: [`CREATE ROLE "{{name}}" LOGIN PASSWORD '{{password}}'`] });
      assert.equal(await db.canLogin('v-scram-1', 'Pw-scram-1'), true);
      await driver.setPassword({ username: 'v-scram-1', password: 'Pw-scram-2', statements: [] });
      assert.equal(await db.canLogin('v-scram-1', 'Pw-scram-2'), true);
      assert.equal(await db.canLogin('v-scram-1', 'Pw-scram-1'), false);
      await driver.revokeUser({ username: 'v-scram-1', statements: [] });
    } finally {
      await driver.close();
    }
  });

  it('revokes a user holding table privileges with the default statements (DROP OWNED not permitted)', async () => {
    const driver = postgresPlugin.open({ connectionUrl: db.templatedUrl, username: 'limited_admin', password: 'Limited-Pass-1', maxOpenConnections: 2, maxIdleConnections: 0, maxConnectionLifetimeSeconds: 0 });
    try {
      await driver.createUser({ username: 'v-limited-1', password: 'Pw-limited-1', expiration: Date.now() + 3600_000, statements: [`CREATE ROLE "{{name}}" LOGIN PASSWORD '{{password}}'; GRANT SELECT ON owned TO "{{name}}"; GRANT USAGE ON SCHEMA public TO "{{name}}"`] });
      assert.equal(await db.canLogin('v-limited-1', 'Pw-limited-1'), true);
      await driver.revokeUser({ username: 'v-limited-1', statements: [] });
      assert.equal((await db.query("SELECT 1 FROM pg_roles WHERE rolname = 'v-limited-1'")).length, 0);
    } finally {
      await driver.close();
    }
  });
});
