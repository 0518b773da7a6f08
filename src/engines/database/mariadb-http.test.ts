// Specification of the database engine over HTTP against a real MariaDB server with the
// mysql-database-plugin: config, leased creds, revocation paths, rollback of a failed creation,
// rotate-root and static roles.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { TestMariaDb, TestServer } from '../../testing/index.js';
import { mariadbAvailable, startDevServer, startTestMariaDb } from '../../testing/index.js';
import nodeVault from 'node-vault';
import { createDatabaseFactory } from './index.js';
import { envelope, eventually } from './http-helpers.js';

const CREATE = "CREATE USER '{{name}}'@'%' IDENTIFIED BY '{{password}}'; GRANT SELECT ON app.* TO '{{name}}'@'%';";

describe('database engine over HTTP with MariaDB', { skip: !mariadbAvailable() && 'mariadb-server is not installed' }, () => {
  let db: TestMariaDb;
  let s: TestServer;

  const userExists = async (u: string): Promise<boolean> => (await db.query('SELECT 1 FROM mysql.user WHERE User = ?', [u])).length > 0;
  const creds = async (role: string, token?: string): Promise<{ username: string; password: string; leaseId: string }> => {
    const r = await s.req('GET', `/v1/my/creds/${role}`, token !== undefined ? { token } : {});
    assert.equal(r.status, 200, r.text);
    const e = envelope(r.json);
    return { username: String(e.data['username']), password: String(e.data['password']), leaseId: e.lease_id };
  };

  before(async () => {
    db = await startTestMariaDb();
    s = await startDevServer({ extraEngines: { database: createDatabaseFactory() } });
    assert.equal((await s.req('POST', '/v1/sys/mounts/my', { body: { type: 'database' } })).status, 204);
    const cfg = await s.req('POST', '/v1/my/config/maria', {
      body: { plugin_name: 'mysql-database-plugin', connection_url: db.templatedDsn, username: db.user, password: db.password, allowed_roles: ['readonly', 'short', 'broken', 'static-*'], max_open_connections: 2 },
    });
    assert.equal(cfg.status, 204, cfg.text);
    assert.equal((await s.req('POST', '/v1/my/roles/readonly', { body: { db_name: 'maria', creation_statements: [CREATE], default_ttl: 3600 } })).status, 204);
  });
  after(async () => {
    await s?.close();
    await db?.close();
  });

  it('reads the config back with the templated DSN and without the password', async () => {
    const r = await s.req('GET', '/v1/my/config/maria');
    assert.ok(!r.text.includes(db.password));
    const d = envelope(r.json).data;
    assert.equal(d['plugin_name'], 'mysql-database-plugin');
    const details = d['connection_details'] as Record<string, unknown>;
    assert.equal(details['connection_url'], db.templatedDsn);
    assert.equal(details['max_open_connections'], 2);
  });

  it('refuses a config that cannot log in, without echoing the password (400)', async () => {
    const r = await s.req('POST', '/v1/my/config/bad', { body: { plugin_name: 'mysql-database-plugin', connection_url: db.templatedDsn, username: db.user, password: 'Wrong-Pass-987' } });
    assert.equal(r.status, 400);
    assert.match(r.text, /error verifying connection/);
    assert.ok(!r.text.includes('Wrong-Pass-987'), r.text);
  });

  it('issues creds of a user who can log in, with a name of at most 32 characters', async () => {
    const c = await creds('readonly');
    assert.match(c.username, /^v-root-readonly-[A-Za-z0-9]{16}$/);
    assert.equal(await db.canLogin(c.username, c.password), true);
    const renewed = await s.req('PUT', '/v1/sys/leases/renew', { body: { lease_id: c.leaseId, increment: 600 } });
    assert.equal(renewed.status, 200, renewed.text);
    assert.equal(envelope(renewed.json).lease_duration, 600);
  });

  it('serves node-vault: read creds, log in with them, revoke the lease', async () => {
    const v = nodeVault({ apiVersion: 'v1', endpoint: s.url, token: s.rootToken });
    const r = (await v.read('my/creds/readonly')) as { lease_id: string; renewable: boolean; data: { username: string; password: string } };
    assert.equal(r.renewable, true);
    assert.equal(await db.canLogin(r.data.username, r.data.password), true);
    await v.revoke({ lease_id: r.lease_id });
    assert.equal(await userExists(r.data.username), false);
    assert.equal(await db.canLogin(r.data.username, r.data.password), false);
  });

  it('drops the user on revocation: gone from mysql.user and login fails', async () => {
    const c = await creds('readonly');
    assert.equal((await s.req('PUT', '/v1/sys/leases/revoke', { body: { lease_id: c.leaseId } })).status, 204);
    assert.equal(await userExists(c.username), false);
    assert.equal(await db.canLogin(c.username, c.password), false);
  });

  it('drops the user when its lease expires', async () => {
    await s.req('POST', '/v1/my/roles/short', { body: { db_name: 'maria', creation_statements: CREATE, default_ttl: '2s' } });
    const c = await creds('short');
    assert.equal(await db.canLogin(c.username, c.password), true);
    await eventually(async () => !(await userExists(c.username)), 'the expired user is dropped');
    assert.equal(await db.canLogin(c.username, c.password), false);
  });

  it("drops a token's users when the token is revoked", async () => {
    const t = await s.req('POST', '/v1/auth/token/create', { body: { policies: ['root'] } });
    const child = envelope(t.json).auth?.client_token ?? '';
    const c = await creds('readonly', child);
    assert.equal((await s.req('POST', '/v1/auth/token/revoke', { body: { token: child } })).status, 204);
    await eventually(async () => !(await userExists(c.username)), "the token's user is dropped");
  });

  it('rolls back a user whose creation failed half-way (MySQL DDL is not transactional)', async () => {
    await s.req('POST', '/v1/my/roles/broken', { body: { db_name: 'maria', creation_statements: "CREATE USER '{{name}}'@'%' IDENTIFIED BY '{{password}}'; GRANT SELECT ON nosuchdb.nosuchtable TO '{{name}}'@'%'" } });
    const r = await s.req('GET', '/v1/my/creds/broken');
    assert.equal(r.status, 500);
    assert.match(r.text, /error creating database user/);
    assert.equal((await db.query("SELECT 1 FROM mysql.user WHERE User LIKE 'v-root-broken-%'")).length, 0);
  });

  it('rotates the root password: the old one fails and the engine keeps issuing creds', async () => {
    await db.query("CREATE USER 'rot_admin'@'%' IDENTIFIED BY 'Initial-Pass-1'");
    await db.query("GRANT ALL PRIVILEGES ON *.* TO 'rot_admin'@'%' WITH GRANT OPTION");
    const cfg = await s.req('POST', '/v1/my/config/rot', { body: { plugin_name: 'mysql-database-plugin', connection_url: db.templatedDsn, username: 'rot_admin', password: 'Initial-Pass-1', allowed_roles: '*' } });
    assert.equal(cfg.status, 204, cfg.text);
    await s.req('POST', '/v1/my/roles/via-rot', { body: { db_name: 'rot', creation_statements: CREATE } });
    const r = await s.req('POST', '/v1/my/rotate-root/rot');
    assert.equal(r.status, 204, r.text);
    assert.equal(await db.canLogin('rot_admin', 'Initial-Pass-1'), false);
    const c = await creds('via-rot');
    assert.equal(await db.canLogin(c.username, c.password), true);
    assert.equal((await s.req('PUT', '/v1/sys/leases/revoke', { body: { lease_id: c.leaseId } })).status, 204);
    assert.equal(await userExists(c.username), false);
  });

  it('rotates a static role: the new password works and the old one does not', async () => {
    await db.query("CREATE USER 'static_app'@'%' IDENTIFIED BY 'Original-Pass-1'");
    const w = await s.req('POST', '/v1/my/static-roles/static-app', { body: { db_name: 'maria', username: 'static_app', rotation_period: '24h' } });
    assert.equal(w.status, 204, w.text);
    const first = String(envelope((await s.req('GET', '/v1/my/static-creds/static-app')).json).data['password']);
    assert.equal(await db.canLogin('static_app', first), true);
    assert.equal(await db.canLogin('static_app', 'Original-Pass-1'), false);
    assert.equal((await s.req('POST', '/v1/my/rotate-role/static-app')).status, 204);
    const second = String(envelope((await s.req('GET', '/v1/my/static-creds/static-app')).json).data['password']);
    assert.notEqual(second, first);
    assert.equal(await db.canLogin('static_app', second), true);
    assert.equal(await db.canLogin('static_app', first), false);
  });
});
