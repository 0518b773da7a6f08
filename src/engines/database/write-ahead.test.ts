// Specification of crash safety: a user created by creds/ whose lease was never stored (Coffer
// died in between) is dropped by the next backend over the same storage, in the background and
// with retries while the database is unreachable.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { BackendConfig, BackendRequest, LogicalBackend, Operation } from '../../sdk/index.js';
import { createMemoryStorage, putJson, staticSystemView } from '../../sdk/index.js';
import { silentLogger, systemClock } from '../../shared/index.js';
import type { TestPostgres } from '../../testing/index.js';
import { postgresAvailable, startTestPostgres } from '../../testing/index.js';
import { createDatabaseFactory, createManualTimers } from './index.js';

describe('write-ahead rollback of unleased database users', { skip: !postgresAvailable() && 'PostgreSQL 15 binaries are not installed' }, () => {
  let db: TestPostgres;
  const storage = createMemoryStorage();
  const config: BackendConfig = { storage, mountPath: 'db/', options: {}, logger: silentLogger, clock: systemClock, system: staticSystemView() };
  const timers = createManualTimers();
  const factory = createDatabaseFactory({ timers });
  const call = (b: LogicalBackend, operation: Operation, path: string, data?: Record<string, unknown>) => {
    const req: BackendRequest = { operation, path, data, storage, mountPath: 'db/', caller: undefined, remoteAddress: '127.0.0.1', requestId: 'test' };
    return b.handleRequest(req);
  };
  const roleExists = async (u: string): Promise<boolean> => (await db.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [u])).length === 1;

  before(async () => {
    db = await startTestPostgres();
  });
  after(async () => {
    await db?.close();
  });

  it('drops a user whose lease was never stored when the backend is next created', async () => {
    const first = await factory(config);
    await call(first, 'update', 'config/pg', { plugin_name: 'postgresql-database-plugin', connection_url: db.templatedUrl, username: db.user, password: db.password, allowed_roles: '*' });
    await call(first, 'update', 'roles/app', { db_name: 'pg', creation_statements: `CREATE ROLE "{{name}}" LOGIN PASSWORD '{{password}}' VALID UNTIL '{{expiration}}'` });
    const res = await call(first, 'read', 'creds/app');
    assert.ok(res.kind === 'data' && res.secret?.writeAheadKey !== undefined);
    const username = String(res.data?.['username']);
    assert.equal(await roleExists(username), true);
    // Coffer "dies" here: the core never stored the lease, so the record stays.
    await first.cleanup?.();
    assert.deepEqual(await storage.list('wal/'), [res.secret.writeAheadKey.slice('wal/'.length)]);

    const second = await factory(config);
    assert.deepEqual(timers.pending(), [{ label: 'rollback', delayMs: 0 }]);
    await timers.fire('rollback');
    assert.equal(await roleExists(username), false);
    assert.deepEqual(await storage.list('wal/'), []);
    assert.deepEqual(timers.pending(), []);
    await second.cleanup?.();
  });

  it('keeps retrying while the database is unreachable and succeeds once it is back', async () => {
    const first = await factory(config);
    await call(first, 'update', 'config/pg', { plugin_name: 'postgresql-database-plugin', connection_url: db.templatedUrl, username: db.user, password: db.password, allowed_roles: '*' });
    const res = await call(first, 'read', 'creds/app');
    assert.ok(res.kind === 'data' && res.secret?.writeAheadKey !== undefined);
    const username = String(res.data?.['username']);
    await first.cleanup?.();

    await db.stop();
    let second: LogicalBackend | undefined;
    try {
      // Creating the backend does not wait for the database.
      second = await factory(config);
      await timers.fire('rollback');
      assert.deepEqual(timers.pending(), [{ label: 'rollback', delayMs: 1000 }]);
      await timers.fire('rollback');
      assert.deepEqual(timers.pending(), [{ label: 'rollback', delayMs: 2000 }]);
    } finally {
      await db.start();
    }
    await timers.fire('rollback');
    assert.equal(await roleExists(username), false);
    assert.deepEqual(await storage.list('wal/'), []);
    assert.deepEqual(timers.pending(), []);
    await second.cleanup?.();
  });

  it('drops a record whose database connection was deleted', async () => {
    await putJson(storage, 'wal/orphan', { db_name: 'gone', username: 'nobody', role: 'x', revocation_statements: [], created: 0 });
    const b = await factory(config);
    await timers.fire('rollback');
    assert.deepEqual(await storage.list('wal/'), []);
    await b.cleanup?.();
  });
});
