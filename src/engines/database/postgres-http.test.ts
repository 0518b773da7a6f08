// Specification of the database engine over HTTP against a real PostgreSQL 15 cluster: config,
// roles, leased creds (revoke, expiry, parent-token revocation, renew), rotate-root, static roles
// and revocation retried across a database outage.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { TestPostgres, TestServer } from '../../testing/index.js';
import { postgresAvailable, startDevServer, startTestPostgres } from '../../testing/index.js';
import { createManualClock } from '../../shared/index.js';
import { createDatabaseFactory, createManualTimers } from './index.js';
import { envelope, eventually } from './http-helpers.js';

const CREATE = `CREATE ROLE "{{name}}" WITH LOGIN PASSWORD '{{password}}' VALID UNTIL '{{expiration}}'; GRANT SELECT ON ALL TABLES IN SCHEMA public TO "{{name}}";`;

describe('database engine over HTTP with PostgreSQL', { skip: !postgresAvailable() && 'PostgreSQL 15 binaries are not installed' }, () => {
  let db: TestPostgres;
  let s: TestServer;
  const timers = createManualTimers();
  const clock = createManualClock(Date.now());

  const roleExists = async (u: string): Promise<boolean> => (await db.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [u])).length === 1;
  const creds = async (role: string, token?: string): Promise<{ username: string; password: string; leaseId: string; leaseDuration: number }> => {
    const r = await s.req('GET', `/v1/db/creds/${role}`, token !== undefined ? { token } : {});
    assert.equal(r.status, 200, r.text);
    const e = envelope(r.json);
    return { username: String(e.data['username']), password: String(e.data['password']), leaseId: e.lease_id, leaseDuration: e.lease_duration };
  };

  before(async () => {
    db = await startTestPostgres();
    // A table, so that revocation has granted privileges to take back before dropping a role.
    await db.query('CREATE TABLE items (id int)');
    s = await startDevServer({ extraEngines: { database: createDatabaseFactory(), 'database-manual': createDatabaseFactory({ timers, clock }) } });
    assert.equal((await s.req('POST', '/v1/sys/mounts/db', { body: { type: 'database' } })).status, 204);
    const cfg = await s.req('POST', '/v1/db/config/pg', {
      body: { plugin_name: 'postgresql-database-plugin', connection_url: db.templatedUrl, username: db.user, password: db.password, allowed_roles: 'readonly,short,ro-*,static-*' },
    });
    assert.equal(cfg.status, 204, cfg.text);
    for (const [name, body] of Object.entries({
      readonly: { db_name: 'pg', creation_statements: CREATE, default_ttl: '1h', max_ttl: '24h' },
      short: { db_name: 'pg', creation_statements: [CREATE], default_ttl: '2s', max_ttl: '10s' },
      denied: { db_name: 'pg', creation_statements: CREATE },
    })) {
      const r = await s.req('POST', `/v1/db/roles/${name}`, { body });
      assert.equal(r.status, 204, r.text);
    }
  });
  after(async () => {
    await s?.close();
    await db?.close();
  });

  it('reads a config back in Vault\'s shape without the root password', async () => {
    const r = await s.req('GET', '/v1/db/config/pg');
    assert.equal(r.status, 200);
    assert.ok(!r.text.includes(db.password));
    const d = envelope(r.json).data;
    assert.equal(d['plugin_name'], 'postgresql-database-plugin');
    assert.deepEqual(d['allowed_roles'], ['readonly', 'short', 'ro-*', 'static-*']);
    assert.equal(d['verify_connection'], true);
    assert.equal(d['password_policy'], '');
    assert.deepEqual(d['root_credentials_rotate_statements'], []);
    const details = d['connection_details'] as Record<string, unknown>;
    assert.equal(details['connection_url'], db.templatedUrl);
    assert.equal(details['username'], db.user);
    assert.equal(details['max_open_connections'], 4);
    assert.equal('password' in details, false);
    const list = await s.req('LIST', '/v1/db/config');
    assert.deepEqual(envelope(list.json).data['keys'], ['pg']);
  });

  it('refuses a config whose connection cannot be verified, with a message free of the password (400)', async () => {
    const wrong = 'Not-The-Password-123';
    const r = await s.req('POST', '/v1/db/config/bad', { body: { plugin_name: 'postgresql-database-plugin', connection_url: db.templatedUrl, username: db.user, password: wrong } });
    assert.equal(r.status, 400);
    assert.match(r.text, /error creating database object: error verifying connection/);
    assert.ok(!r.text.includes(wrong) && !r.text.includes(db.password), r.text);
    assert.equal((await s.req('GET', '/v1/db/config/bad')).status, 404);
    const unknown = await s.req('POST', '/v1/db/config/bad', { body: { plugin_name: 'oracle-database-plugin', connection_url: 'x' } });
    assert.equal(unknown.status, 400);
  });

  it('stores a config without verifying when verify_connection is false', async () => {
    const r = await s.req('POST', '/v1/db/config/later', { body: { plugin_name: 'postgresql-database-plugin', connection_url: 'postgresql://{{username}}:{{password}}@127.0.0.1:1/x', username: 'u', password: 'p', verify_connection: false } });
    assert.equal(r.status, 204, r.text);
    assert.equal((await s.req('DELETE', '/v1/db/config/later')).status, 204);
    assert.equal((await s.req('GET', '/v1/db/config/later')).status, 404);
  });

  it('reads a role back with its statements and TTLs in seconds', async () => {
    const d = envelope((await s.req('GET', '/v1/db/roles/readonly')).json).data;
    assert.equal(d['db_name'], 'pg');
    assert.deepEqual(d['creation_statements'], [CREATE]);
    assert.equal(d['default_ttl'], 3600);
    assert.equal(d['max_ttl'], 86400);
    assert.deepEqual(d['revocation_statements'], []);
    assert.equal(d['credential_type'], 'password');
    const keys = envelope((await s.req('LIST', '/v1/db/roles')).json).data['keys'];
    assert.deepEqual(keys, ['denied', 'readonly', 'short']);
  });

  it('generates passwords from the configured sys/policies/password policy', async () => {
    const pol = await s.req('POST', '/v1/sys/policies/password/digits', { body: { policy: 'length = 24\nrule "charset" {\n  charset = "0123456789"\n}\n' } });
    assert.equal(pol.status, 204, pol.text);
    const cfg = await s.req('POST', '/v1/db/config/pol', { body: { plugin_name: 'postgresql-database-plugin', connection_url: db.templatedUrl, username: db.user, password: db.password, allowed_roles: 'pol', password_policy: 'digits' } });
    assert.equal(cfg.status, 204, cfg.text);
    assert.equal(envelope((await s.req('GET', '/v1/db/config/pol')).json).data['password_policy'], 'digits');
    await s.req('POST', '/v1/db/roles/pol', { body: { db_name: 'pol', creation_statements: CREATE } });
    const c = await creds('pol');
    assert.match(c.password, /^\d{24}$/);
    assert.equal(await db.canLogin(c.username, c.password), true);
    await s.req('PUT', '/v1/sys/leases/revoke', { body: { lease_id: c.leaseId } });
  });

  it('refuses creds for a role the connection does not allow', async () => {
    const r = await s.req('GET', '/v1/db/creds/denied');
    assert.equal(r.status, 400);
    assert.deepEqual(envelope(r.json).errors, ['"denied" is not an allowed role']);
  });

  it('issues leased, renewable creds of a user who can log in, named as Vault names them', async () => {
    const c = await creds('readonly');
    assert.match(c.username, /^v-root-readonly-[A-Za-z0-9]{20}-\d{10}$/);
    assert.match(c.leaseId, /^db\/creds\/readonly\//);
    assert.equal(c.leaseDuration, 3600);
    assert.equal(await db.canLogin(c.username, c.password), true);
    const until = (await db.query('SELECT rolvaliduntil AS v FROM pg_roles WHERE rolname = $1', [c.username]))[0]?.['v'];
    assert.ok(until instanceof Date && Math.abs(until.getTime() - (Date.now() + 3600_000)) < 60_000);
  });

  it('drops the user when the lease is revoked: login fails and the role is gone', async () => {
    const c = await creds('readonly');
    const r = await s.req('PUT', '/v1/sys/leases/revoke', { body: { lease_id: c.leaseId } });
    assert.equal(r.status, 204, r.text);
    assert.equal(await roleExists(c.username), false);
    assert.equal(await db.canLogin(c.username, c.password), false);
  });

  it('moves VALID UNTIL when the lease is renewed', async () => {
    const c = await creds('readonly');
    const r = await s.req('PUT', '/v1/sys/leases/renew', { body: { lease_id: c.leaseId, increment: 7200 } });
    assert.equal(r.status, 200, r.text);
    assert.equal(envelope(r.json).lease_duration, 7200);
    const until = (await db.query('SELECT rolvaliduntil AS v FROM pg_roles WHERE rolname = $1', [c.username]))[0]?.['v'];
    assert.ok(until instanceof Date && Math.abs(until.getTime() - (Date.now() + 7200_000)) < 60_000, String(until));
    await s.req('PUT', '/v1/sys/leases/revoke', { body: { lease_id: c.leaseId } });
  });

  it('drops the user when the lease expires', async () => {
    const c = await creds('short');
    assert.equal(c.leaseDuration, 2);
    assert.equal(await db.canLogin(c.username, c.password), true);
    await eventually(async () => !(await roleExists(c.username)), 'the expired user is dropped');
    assert.equal(await db.canLogin(c.username, c.password), false);
  });

  it('drops the users of a token when the token is revoked', async () => {
    const t = await s.req('POST', '/v1/auth/token/create', { body: { policies: ['root'], ttl: '1h' } });
    const child = envelope(t.json).auth?.client_token ?? '';
    const c = await creds('readonly', child);
    assert.equal(await roleExists(c.username), true);
    assert.equal((await s.req('POST', '/v1/auth/token/revoke', { body: { token: child } })).status, 204);
    await eventually(async () => !(await roleExists(c.username)), "the token's user is dropped");
    assert.equal(await db.canLogin(c.username, c.password), false);
  });

  it('drops every user under a prefix with revoke-prefix', async () => {
    const a = await creds('readonly');
    const b = await creds('readonly');
    assert.equal((await s.req('PUT', '/v1/sys/leases/revoke-prefix/db/creds/readonly')).status, 204);
    assert.equal(await roleExists(a.username), false);
    assert.equal(await roleExists(b.username), false);
  });

  it('rotates the root password: the old one stops working and the engine keeps working', async () => {
    const admin = 'rot_admin';
    await db.query(`CREATE ROLE ${admin} WITH LOGIN SUPERUSER PASSWORD 'Initial-Pass-1'`);
    const cfg = await s.req('POST', '/v1/db/config/rot', { body: { plugin_name: 'postgresql-database-plugin', connection_url: db.templatedUrl, username: admin, password: 'Initial-Pass-1', allowed_roles: ['ro-*'] } });
    assert.equal(cfg.status, 204, cfg.text);
    await s.req('POST', '/v1/db/roles/ro-rot', { body: { db_name: 'rot', creation_statements: CREATE } });
    assert.equal((await s.req('POST', '/v1/db/rotate-root/rot')).status, 204);
    assert.equal(await db.canLogin(admin, 'Initial-Pass-1'), false);
    const c = await creds('ro-rot');
    assert.equal(await db.canLogin(c.username, c.password), true);
    assert.equal((await s.req('PUT', '/v1/sys/leases/revoke', { body: { lease_id: c.leaseId } })).status, 204);
    assert.equal(await roleExists(c.username), false);
    // Twice in a row: the engine rotates with the password it stored the first time.
    assert.equal((await s.req('POST', '/v1/db/rotate-root/rot')).status, 204);
    assert.equal((await s.req('POST', '/v1/db/reset/rot')).status, 204);
    assert.equal((await creds('ro-rot')).username !== '', true);
    assert.ok(!(await s.req('GET', '/v1/db/config/rot')).text.includes('Initial-Pass-1'));
  });

  it('rotates a static role on demand: the new password logs in and the old one does not', async () => {
    await db.query(`CREATE ROLE static_app WITH LOGIN PASSWORD 'Original-Pass-1'`);
    const w = await s.req('POST', '/v1/db/static-roles/static-app', { body: { db_name: 'pg', username: 'static_app', rotation_period: '1h' } });
    assert.equal(w.status, 204, w.text);
    // Creating the role already rotated the password (Vault's import rotation).
    assert.equal(await db.canLogin('static_app', 'Original-Pass-1'), false);
    const first = envelope((await s.req('GET', '/v1/db/static-creds/static-app')).json).data;
    assert.equal(first['username'], 'static_app');
    assert.equal(first['rotation_period'], 3600);
    assert.ok(Number(first['ttl']) > 3500 && Number(first['ttl']) <= 3600);
    assert.ok(!Number.isNaN(Date.parse(String(first['last_vault_rotation']))));
    assert.equal(await db.canLogin('static_app', String(first['password'])), true);
    assert.equal((await s.req('POST', '/v1/db/rotate-role/static-app')).status, 204);
    const second = envelope((await s.req('GET', '/v1/db/static-creds/static-app')).json).data;
    assert.notEqual(second['password'], first['password']);
    assert.equal(await db.canLogin('static_app', String(second['password'])), true);
    assert.equal(await db.canLogin('static_app', String(first['password'])), false);
    const role = envelope((await s.req('GET', '/v1/db/static-roles/static-app')).json).data;
    assert.equal(role['username'], 'static_app');
    assert.equal('password' in role, false);
    const upd = await s.req('POST', '/v1/db/static-roles/static-app', { body: { username: 'other' } });
    assert.equal(upd.status, 400);
  });

  it('rotates a static role when its schedule fires, and after a restart runs a rotation that came due', async () => {
    assert.equal((await s.req('POST', '/v1/sys/mounts/dbm', { body: { type: 'database-manual' } })).status, 204);
    await s.req('POST', '/v1/dbm/config/pg', { body: { plugin_name: 'postgresql-database-plugin', connection_url: db.templatedUrl, username: db.user, password: db.password, allowed_roles: '*' } });
    await db.query(`CREATE ROLE sched_app WITH LOGIN PASSWORD 'Sched-Pass-1'`);
    assert.equal((await s.req('POST', '/v1/dbm/static-roles/sched', { body: { db_name: 'pg', username: 'sched_app', rotation_period: 60 } })).status, 204);
    const pw = async (): Promise<string> => String(envelope((await s.req('GET', '/v1/dbm/static-creds/sched')).json).data['password']);
    const p1 = await pw();
    assert.deepEqual(timers.pending(), [{ label: 'rotate:sched', delayMs: 60_000 }]);

    clock.advance(60_000);
    assert.equal(await timers.fire('rotate:sched'), 1);
    const p2 = await pw();
    assert.notEqual(p2, p1);
    assert.equal(await db.canLogin('sched_app', p2), true);
    assert.deepEqual(timers.pending(), [{ label: 'rotate:sched', delayMs: 60_000 }]);

    // Down for longer than the period: the next backend runs the due rotation at once.
    assert.equal((await s.req('PUT', '/v1/sys/seal')).status, 204);
    assert.deepEqual(timers.pending(), []);
    clock.advance(90_000);
    const unseal = await s.req('PUT', '/v1/sys/unseal', { body: { key: s.unsealKey } });
    assert.equal(unseal.status, 200, unseal.text);
    assert.deepEqual(timers.pending(), [{ label: 'rotate:sched', delayMs: 0 }]);
    await timers.fire('rotate:sched');
    const p3 = await pw();
    assert.notEqual(p3, p2);
    assert.equal(await db.canLogin('sched_app', p3), true);
    assert.equal(await db.canLogin('sched_app', p2), false);
  });

  it('revokes its users and closes its pool when the mount is disabled', async () => {
    await db.query(`CREATE ROLE unmount_admin WITH LOGIN SUPERUSER PASSWORD 'Unmount-Pass-1'`);
    assert.equal((await s.req('POST', '/v1/sys/mounts/dbx', { body: { type: 'database' } })).status, 204);
    await s.req('POST', '/v1/dbx/config/pg', { body: { plugin_name: 'postgresql-database-plugin', connection_url: db.templatedUrl, username: 'unmount_admin', password: 'Unmount-Pass-1', allowed_roles: '*' } });
    await s.req('POST', '/v1/dbx/roles/r', { body: { db_name: 'pg', creation_statements: CREATE } });
    const r = await s.req('GET', '/v1/dbx/creds/r');
    assert.equal(r.status, 200, r.text);
    const username = String(envelope(r.json).data['username']);
    const pooled = async (): Promise<number> => (await db.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE usename = 'unmount_admin'"))[0]?.['n'] as number;
    assert.ok((await pooled()) > 0);
    assert.equal((await s.req('DELETE', '/v1/sys/mounts/dbx')).status, 204);
    assert.equal(await roleExists(username), false);
    await eventually(async () => (await pooled()) === 0, 'the pool is closed');
  });

  it('retries a revocation attempted while PostgreSQL is down until it succeeds after a restart', async () => {
    const c = await creds('readonly');
    await db.stop();
    try {
      const r = await s.req('PUT', '/v1/sys/leases/revoke', { body: { lease_id: c.leaseId } });
      assert.notEqual(r.status, 204);
      assert.ok(!r.text.includes(db.password), r.text);
    } finally {
      await db.start();
    }
    await eventually(async () => !(await roleExists(c.username)), 'the retried revocation drops the user', 30_000);
    assert.equal(await db.canLogin(c.username, c.password), false);
  });
});
