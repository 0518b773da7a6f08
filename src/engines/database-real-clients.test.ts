// Acceptance (database engine): node-vault against a real server process gets PostgreSQL
// credentials that log in, and after revocation, parent-token revocation or expiry the user can
// no longer log in and is gone from pg_roles; rotate-root keeps the engine working while the old
// root password stops working; a static role's password rotates and the new one works; a
// revocation attempted while PostgreSQL is down succeeds once it is back.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import nodeVault from 'node-vault';
import type { ServerProcess, TestPostgres } from '../testing/index.js';
import { startServerProcess, startTestPostgres } from '../testing/index.js';
import { matrixRecorder } from '../../conformance/matrix.js';

type Json = Record<string, unknown>;
const ROOT = 'hvs.database-acceptance-root';

describe('database engine with node-vault against a server process and a real PostgreSQL', () => {
  let server: ServerProcess;
  let pg: TestPostgres;
  // These scenarios are also the database rows of the compatibility matrix (docs/compatibility.md).
  const rec = matrixRecorder('node-vault', 'node-vault-database');
  const client = (token = ROOT) => nodeVault({ apiVersion: 'v1', endpoint: server.url, token });
  const userExists = async (name: string): Promise<boolean> => (await pg.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [name])).length > 0;
  const creds = async (token = ROOT, role = 'app'): Promise<{ username: string; password: string; leaseId: string; leaseDuration: number; renewable: boolean }> => {
    const r = (await client(token).read(`database/creds/${role}`)) as { data: Json; lease_id: string; lease_duration: number; renewable: boolean };
    return { username: String(r.data['username']), password: String(r.data['password']), leaseId: r.lease_id, leaseDuration: r.lease_duration, renewable: r.renewable };
  };
  /** Waits (bounded) for a condition that background work makes true; no fixed sleeps. */
  const eventually = async (what: string, probe: () => Promise<boolean>, tries = 600): Promise<void> => {
    for (let i = 0; i < tries; i++) {
      if (await probe()) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.fail(`timed out waiting for: ${what}`);
  };

  before(async () => {
    pg = await startTestPostgres();
    server = await startServerProcess(['-dev', `-dev-root-token-id=${ROOT}`, '-dev-listen-address=127.0.0.1:0', '-log-level=warn']);
    await client().mount({ mount_point: 'database', type: 'database' });
    await client().write('database/config/pg', {
      plugin_name: 'postgresql-database-plugin',
      connection_url: pg.templatedUrl,
      username: pg.user,
      password: pg.password,
      allowed_roles: ['app', 'short', 'static-*'],
    });
    rec.record('POST database/config/:name', 'pass');
    await client().write('database/roles/app', {
      db_name: 'pg',
      creation_statements: [`CREATE ROLE "{{name}}" WITH LOGIN PASSWORD '{{password}}' VALID UNTIL '{{expiration}}';`],
      default_ttl: '1h',
      max_ttl: '24h',
    });
    rec.record('POST database/roles/:name', 'pass');
    const config = (await client().read('database/config/pg')) as { data: Json };
    rec.record('GET database/config/:name', config.data['plugin_name'] === 'postgresql-database-plugin' ? 'pass' : 'fail');
  });
  after(async () => {
    rec.save();
    await server?.stop();
    await pg?.close();
  });

  it('issues a unique, leased, renewable user that logs in, and never returns the root password', () => rec.check('GET database/creds/:role', async () => {
    const a = await creds();
    const b = await creds();
    assert.notEqual(a.username, b.username);
    assert.equal(a.leaseDuration, 3600);
    assert.equal(a.renewable, true);
    assert.match(a.leaseId, /^database\/creds\/app\//);
    assert.equal(await pg.canLogin(a.username, a.password), true);
    const config = (await client().read('database/config/pg')) as { data: Json };
    assert.ok(!JSON.stringify(config).includes(pg.password), 'config read shows the root password');
    assert.equal(config.data['plugin_name'], 'postgresql-database-plugin');
  }));

  it('removes the user when its lease is revoked', () => rec.check('POST sys/leases/revoke (database lease)', async () => {
    const c = await creds();
    await client().revoke({ lease_id: c.leaseId });
    assert.equal(await pg.canLogin(c.username, c.password), false);
    assert.equal(await userExists(c.username), false);
  }));

  it('removes the user when the token that asked for it is revoked', () => rec.check('POST auth/token/revoke (database lease)', async () => {
    const child = ((await client().tokenCreate({ policies: ['root'] })) as { auth: { client_token: string } }).auth.client_token;
    const c = await creds(child);
    assert.equal(await userExists(c.username), true);
    await client().tokenRevoke({ token: child });
    await eventually('the user of a revoked token is dropped', async () => !(await userExists(c.username)));
    assert.equal(await pg.canLogin(c.username, c.password), false);
  }));

  it('removes the user when its lease expires', () => rec.check('database lease expiry', async () => {
    await client().write('database/roles/short', {
      db_name: 'pg',
      creation_statements: [`CREATE ROLE "{{name}}" WITH LOGIN PASSWORD '{{password}}' VALID UNTIL '{{expiration}}';`],
      default_ttl: '2s',
      max_ttl: '2s',
    });
    const c = await creds(ROOT, 'short');
    assert.equal(c.leaseDuration, 2);
    assert.equal(await pg.canLogin(c.username, c.password), true);
    await eventually('the expired user is dropped', async () => !(await userExists(c.username)));
  }));

  it('renews a lease and moves the user’s validity forward', () => rec.check('POST sys/leases/renew (database lease)', async () => {
    const c = await creds();
    const renewed = (await client().write('sys/leases/renew', { lease_id: c.leaseId, increment: 7200 })) as { lease_duration: number };
    assert.equal(renewed.lease_duration, 7200);
    const rows = await pg.query('SELECT rolvaliduntil FROM pg_roles WHERE rolname = $1', [c.username]);
    const until = new Date(String(rows[0]?.['rolvaliduntil'])).getTime();
    assert.ok(until > Date.now() + 3600 * 1000, `VALID UNTIL moved to ${String(rows[0]?.['rolvaliduntil'])}`);
  }));

  it('rotates the root password: the engine keeps working and the old password stops working', () => rec.check('POST database/rotate-root/:name', async () => {
    const oldPassword = pg.password;
    await client().write('database/rotate-root/pg', {});
    assert.equal(await pg.canLogin(pg.user, oldPassword), false);
    const c = await creds();
    assert.equal(await pg.canLogin(c.username, c.password), true);
  }));

  it('rotates a static role’s password; the new one works and the old one does not', () => rec.check('POST database/rotate-role/:name', async () => {
    await pg.query(`CREATE ROLE "static_app" WITH LOGIN PASSWORD 'initial-pw'`);
    await client().write('database/static-roles/static-app', {
      db_name: 'pg',
      username: 'static_app',
      rotation_period: '1h',
      rotation_statements: [`ALTER ROLE "{{name}}" WITH PASSWORD '{{password}}';`],
    });
    const first = (await client().read('database/static-creds/static-app')) as { data: Json };
    assert.equal(first.data['username'], 'static_app');
    assert.equal(first.data['rotation_period'], 3600);
    const firstPassword = String(first.data['password']);
    assert.equal(await pg.canLogin('static_app', firstPassword), true);
    await client().write('database/rotate-role/static-app', {});
    const second = (await client().read('database/static-creds/static-app')) as { data: Json };
    const secondPassword = String(second.data['password']);
    assert.notEqual(secondPassword, firstPassword);
    assert.equal(await pg.canLogin('static_app', secondPassword), true);
    assert.equal(await pg.canLogin('static_app', firstPassword), false);
  }));

  it('retries a revocation made while PostgreSQL is down, and succeeds once it is back', () => rec.check('database revocation retried after an outage', async () => {
    const c = await creds();
    await pg.stop();
    // Force revocation: the lease stays (and is retried) while the database is unreachable.
    await client()
      .revoke({ lease_id: c.leaseId })
      .catch(() => undefined);
    await pg.start();
    await eventually('the user is dropped after the database returns', async () => !(await userExists(c.username)), 400);
  }));
});
