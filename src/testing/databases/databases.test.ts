// Specification of the throwaway database servers the database engine's tests rely on.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mariadbAvailable, postgresAvailable, startTestMariaDb, startTestPostgres } from './index.js';

describe('throwaway PostgreSQL cluster', { skip: !postgresAvailable() && 'PostgreSQL 15 binaries are not installed' }, () => {
  it('starts on loopback with a password-authenticated superuser, survives a stop/start and cleans up', async () => {
    const db = await startTestPostgres();
    try {
      assert.equal(await db.canLogin(db.user, db.password), true);
      assert.equal(await db.canLogin(db.user, 'wrong'), false);
      const rows = await db.query('SHOW server_version');
      assert.match(String(rows[0]?.['server_version']), /^15\./);
      await db.stop();
      assert.equal(await db.canLogin(db.user, db.password), false);
      await db.start();
      assert.equal(await db.canLogin(db.user, db.password), true);
    } finally {
      await db.close();
    }
  });
});

describe('throwaway MariaDB server', { skip: !mariadbAvailable() && 'mariadb-server is not installed' }, () => {
  it('starts on loopback with an admin that can grant, and cleans up', async () => {
    const db = await startTestMariaDb();
    try {
      assert.equal(await db.canLogin(db.user, db.password), true);
      assert.equal(await db.canLogin(db.user, 'wrong'), false);
      const rows = await db.query("SELECT Grant_priv AS g FROM mysql.user WHERE User = ?", [db.user]);
      assert.equal(rows[0]?.['g'], 'Y');
    } finally {
      await db.close();
    }
  });
});
