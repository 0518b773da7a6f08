// Specification of the engine's own logic (validation, read-back, TTL arithmetic, schedules,
// retries, crash recovery, pool lifetime) against an in-memory fake database plugin.

import { beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { BackendConfig, BackendResponse, LogicalBackend, Operation, SystemView } from '../../sdk/index.js';
import { createMemoryStorage, getJson, putJson } from '../../sdk/index.js';
import type { ManualClock } from '../../shared/index.js';
import { CofferError, createManualClock, silentLogger } from '../../shared/index.js';
import type { FakeDatabase } from './fake-plugin.js';
import { createFakeDatabase } from './fake-plugin.js';
import type { ManualTimers } from './index.js';
import { createDatabaseFactory, createManualTimers } from './index.js';

const ROOT_PW = 'Root-Pass-0001';

interface Harness {
  db: FakeDatabase;
  clock: ManualClock;
  timers: ManualTimers;
  config: BackendConfig;
  policiesAsked: (string | undefined)[];
  make(): Promise<LogicalBackend>;
  call(b: LogicalBackend, op: Operation, path: string, data?: Record<string, unknown>): Promise<BackendResponse>;
}

function harness(): Harness {
  const { db, plugin } = createFakeDatabase('admin', ROOT_PW);
  const clock = createManualClock(Date.UTC(2026, 0, 1));
  const timers = createManualTimers();
  const storage = createMemoryStorage();
  const policiesAsked: (string | undefined)[] = [];
  let n = 0;
  const system: SystemView = {
    defaultLeaseTtl: () => 3600,
    maxLeaseTtl: () => 7200,
    generatePassword: async (policy) => {
      policiesAsked.push(policy);
      return `gen-${policy ?? 'default'}-${++n}`;
    },
  };
  const config: BackendConfig = { storage, mountPath: 'db/', options: {}, logger: silentLogger, clock, system };
  const factory = createDatabaseFactory({ timers, plugins: [plugin] });
  return {
    db,
    clock,
    timers,
    config,
    policiesAsked,
    make: () => factory(config),
    call: (b, operation, path, data) => b.handleRequest({ operation, path, data, storage, mountPath: 'db/', caller: { accessor: 'a', policies: [], entityId: '', displayName: 'token' }, remoteAddress: '127.0.0.1', requestId: 'r' }),
  };
}

const dataOf = (r: BackendResponse): Record<string, unknown> => {
  assert.equal(r.kind, 'data');
  return (r.kind === 'data' ? r.data : null) ?? {};
};
const rejectsWith = async (p: Promise<unknown>, code: string, msg: RegExp): Promise<void> => {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof CofferError);
    assert.equal(e.code, code);
    assert.match(e.message, msg);
    return true;
  });
};
const CONFIG = { plugin_name: 'fake-database-plugin', connection_url: 'fake://{{username}}:{{password}}@x/', username: 'admin', password: ROOT_PW, allowed_roles: '*' };

describe('database engine logic', () => {
  let h: Harness;
  let b: LogicalBackend;
  beforeEach(async () => {
    h = harness();
    b = await h.make();
    await h.call(b, 'update', 'config/main', CONFIG);
  });

  describe('connections', () => {
    it('keeps the stored password when an update does not resend it, and never shows it', async () => {
      await h.call(b, 'update', 'config/main', { allowed_roles: 'a,b' });
      const d = dataOf(await h.call(b, 'read', 'config/main'));
      assert.deepEqual(d['allowed_roles'], ['a', 'b']);
      assert.ok(!JSON.stringify(d).includes(ROOT_PW));
      // Verification used the kept password (it would have failed otherwise).
      assert.equal(h.db.openPools, 1);
    });

    it('rejects an unknown plugin, an empty connection_url and a malformed username template', async () => {
      await rejectsWith(h.call(b, 'update', 'config/x', { plugin_name: 'nope' }), 'invalid_request', /unknown plugin_name "nope"/);
      await rejectsWith(h.call(b, 'update', 'config/x', { plugin_name: 'fake-database-plugin' }), 'invalid_request', /connection_url cannot be empty/);
      await rejectsWith(h.call(b, 'update', 'config/x', { ...CONFIG, username_template: '{{ (.RoleName }}' }), 'invalid_request', /invalid username template/);
    });

    it('warns when the connection_url holds a literal password, and masks it on read', async () => {
      const r = await h.call(b, 'update', 'config/lit', { ...CONFIG, connection_url: 'fake://admin:Secret-1@x/' });
      assert.ok(r.kind === 'none' && r.warnings?.[0]?.includes('Password found in connection_url'));
      const details = dataOf(await h.call(b, 'read', 'config/lit'))['connection_details'] as Record<string, unknown>;
      assert.equal(details['connection_url'], 'fake://admin:*****@x/');
      await rejectsWith(h.call(b, 'update', 'rotate-root/lit'), 'invalid_request', /templated connection_url/);
    });

    it('closes a pool when its config is deleted and every pool on cleanup', async () => {
      await h.call(b, 'update', 'config/second', CONFIG);
      assert.equal(h.db.openPools, 2);
      await h.call(b, 'delete', 'config/second');
      assert.equal(h.db.openPools, 1);
      await b.cleanup?.();
      assert.equal(h.db.openPools, 0);
    });

    it('rotates the root password with the configured password policy', async () => {
      await h.call(b, 'update', 'config/main', { password_policy: 'strong' });
      await h.call(b, 'update', 'rotate-root/main');
      assert.equal(h.db.rootPassword, 'gen-strong-1');
      assert.deepEqual(h.policiesAsked, ['strong']);
      // The engine reconnects with the new password.
      await h.call(b, 'update', 'roles/r', { db_name: 'main', creation_statements: 'CREATE' });
      assert.equal(dataOf(await h.call(b, 'read', 'creds/r'))['password'], 'gen-strong-2');
    });

    it('reports a root rotation the database refused and keeps the old password', async () => {
      h.db.failSetPassword = 1;
      await rejectsWith(h.call(b, 'update', 'rotate-root/main'), 'internal', /failed to rotate root credentials: lost connection/);
      assert.equal(h.db.rootPassword, ROOT_PW);
      assert.equal(await h.config.storage.get('root-wal/main'), undefined);
      await h.call(b, 'update', 'reset/main');
      await h.call(b, 'update', 'roles/r', { db_name: 'main', creation_statements: 'CREATE' });
      assert.equal((await h.call(b, 'read', 'creds/r')).kind, 'data');
    });

    it('adopts a root rotation whose outcome was unknown once the database answers again', async () => {
      h.db.failSetPassword = 1;
      h.db.afterFailedSetPassword = (_u, pw) => {
        h.db.rootPassword = pw;
        h.db.down = true;
      };
      await rejectsWith(h.call(b, 'update', 'rotate-root/main'), 'internal', /failed to rotate root credentials/);
      assert.deepEqual(h.timers.pending(), [{ label: 'rollback', delayMs: 1000 }]);
      h.db.down = false;
      await h.timers.fire('rollback');
      assert.equal(await h.config.storage.get('root-wal/main'), undefined);
      const stored = (await getJson(h.config.storage, 'config/main')) as Record<string, unknown>;
      assert.equal(stored['password'], h.db.rootPassword);
      await h.call(b, 'update', 'roles/r', { db_name: 'main', creation_statements: 'CREATE' });
      assert.equal((await h.call(b, 'read', 'creds/r')).kind, 'data');
    });

    it('settles an interrupted root rotation at the next start by adopting the password that works', async () => {
      await putJson(h.config.storage, 'root-wal/main', { password: 'Next-Root-2', created: 0 });
      h.db.rootPassword = 'Next-Root-2';
      await b.cleanup?.();
      const again = await h.make();
      await h.timers.fire('rollback');
      assert.equal(await h.config.storage.get('root-wal/main'), undefined);
      const stored = (await getJson(h.config.storage, 'config/main')) as Record<string, unknown>;
      assert.equal(stored['password'], 'Next-Root-2');
      await again.cleanup?.();
    });
  });

  describe('roles and creds', () => {
    it('validates roles: creation statements required, ttl within max_ttl, password credentials only', async () => {
      await rejectsWith(h.call(b, 'update', 'roles/r', { db_name: 'main' }), 'invalid_request', /creation_statements are required/);
      await rejectsWith(h.call(b, 'update', 'roles/r', { db_name: 'main', creation_statements: 'X', default_ttl: '2h', max_ttl: '1h' }), 'invalid_request', /ttl cannot be greater than max_ttl/);
      await rejectsWith(h.call(b, 'update', 'roles/r', { db_name: 'main', creation_statements: 'X', credential_type: 'rsa_private_key' }), 'invalid_request', /not supported/);
    });

    it('keeps a statement given as one string whole, commas included', async () => {
      await h.call(b, 'update', 'roles/r', { db_name: 'main', creation_statements: 'GRANT SELECT, INSERT ON t TO x' });
      assert.deepEqual(dataOf(await h.call(b, 'read', 'roles/r'))['creation_statements'], ['GRANT SELECT, INSERT ON t TO x']);
    });

    it('creates users valid for the effective TTL (role TTL capped by the mount maximum)', async () => {
      await h.call(b, 'update', 'roles/r', { db_name: 'main', creation_statements: 'CREATE', default_ttl: '3h' });
      const r = await h.call(b, 'read', 'creds/r');
      assert.ok(r.kind === 'data' && r.secret);
      assert.equal(r.secret.type, 'creds');
      assert.equal(r.secret.renewable, true);
      const user = h.db.users.get(String(r.data?.['username']));
      assert.equal(user?.expiration, h.clock.now() + 7200_000);
    });

    it('names users with the configured username template', async () => {
      await h.call(b, 'update', 'config/main', { username_template: '{{ .RoleName | uppercase }}-{{ .DisplayName }}' });
      await h.call(b, 'update', 'roles/app', { db_name: 'main', creation_statements: 'CREATE' });
      assert.equal(dataOf(await h.call(b, 'read', 'creds/app'))['username'], 'APP-token');
    });

    it('rolls a failed creation back with the rollback statements and reports it (500)', async () => {
      await h.call(b, 'update', 'roles/bad', { db_name: 'main', creation_statements: 'FAIL', rollback_statements: 'ROLLBACK {{name}}' });
      await rejectsWith(h.call(b, 'read', 'creds/bad'), 'internal', /error creating database user: statement failed/);
      assert.match(h.db.calls.at(-1) ?? '', /^revoke v-bad-\w+ ROLLBACK \{\{name\}\}$/);
      assert.deepEqual(await h.config.storage.list('wal/'), []);
    });

    it('renews to now + increment and revokes with the role statements', async () => {
      await h.call(b, 'update', 'roles/r', { db_name: 'main', creation_statements: 'CREATE', revocation_statements: 'DROP {{name}}' });
      const r = await h.call(b, 'read', 'creds/r');
      assert.ok(r.kind === 'data' && r.secret);
      const handlers = b.secretTypes?.['creds'];
      assert.ok(handlers?.renew !== undefined);
      const lease = { leaseId: 'l', secretType: 'creds', internal: r.secret.internal, issueTime: 0, expireTime: 0, ttl: 3600 };
      h.clock.advance(1000);
      assert.deepEqual(await handlers.renew(lease, 600, h.config.storage), { ttl: 600 });
      const username = String(r.data?.['username']);
      assert.equal(h.db.users.get(username)?.expiration, h.clock.now() + 600_000);
      await handlers.revoke(lease, h.config.storage);
      assert.equal(h.db.users.has(username), false);
      assert.equal(h.db.calls.at(-1), `revoke ${username} DROP {{name}}`);
    });

    it('fails a revocation while the database is down, so that the core retries it', async () => {
      await h.call(b, 'update', 'roles/r', { db_name: 'main', creation_statements: 'CREATE' });
      const r = await h.call(b, 'read', 'creds/r');
      assert.ok(r.kind === 'data' && r.secret);
      h.db.down = true;
      const lease = { leaseId: 'l', secretType: 'creds', internal: r.secret.internal, issueTime: 0, expireTime: 0, ttl: 1 };
      await rejectsWith(b.secretTypes!['creds']!.revoke(lease, h.config.storage), 'internal', /failed to revoke database user .*ECONNREFUSED/);
    });
  });

  describe('static roles', () => {
    it('requires a rotation_period of at least 5 seconds and an allowed role name', async () => {
      await rejectsWith(h.call(b, 'update', 'static-roles/s', { db_name: 'main', username: 'u', rotation_period: 4 }), 'invalid_request', /5 seconds or more/);
      await h.call(b, 'update', 'config/main', { allowed_roles: 'other' });
      await rejectsWith(h.call(b, 'update', 'static-roles/s', { db_name: 'main', username: 'u', rotation_period: 60 }), 'invalid_request', /not an allowed role/);
    });

    it('does not create the role when its import rotation fails', async () => {
      h.db.failSetPassword = 1;
      await rejectsWith(h.call(b, 'update', 'static-roles/s', { db_name: 'main', username: 'u', rotation_period: 60 }), 'internal', /failed to rotate/);
      assert.equal((await h.call(b, 'read', 'static-roles/s')).kind, 'none');
      assert.deepEqual(h.timers.pending(), []);
    });

    it('with skip_import_rotation keeps the password and first rotates after one period', async () => {
      await h.call(b, 'update', 'static-roles/s', { db_name: 'main', username: 'u', rotation_period: 60, skip_import_rotation: true });
      assert.deepEqual(h.db.passwordsSet, []);
      assert.deepEqual(h.timers.pending(), [{ label: 'rotate:s', delayMs: 60_000 }]);
      assert.equal(dataOf(await h.call(b, 'read', 'static-creds/s'))['ttl'], 60);
    });

    it('retries a failed scheduled rotation with backoff, setting the same password each time', async () => {
      await h.call(b, 'update', 'static-roles/s', { db_name: 'main', username: 'u', rotation_period: 60 });
      h.clock.advance(60_000);
      h.db.failSetPassword = 2;
      await h.timers.fire('rotate:s');
      assert.deepEqual(h.timers.pending(), [{ label: 'rotate:s', delayMs: 10_000 }]);
      h.clock.advance(10_000);
      await h.timers.fire('rotate:s');
      assert.deepEqual(h.timers.pending(), [{ label: 'rotate:s', delayMs: 20_000 }]);
      h.clock.advance(20_000);
      await h.timers.fire('rotate:s');
      const [, a, c, d] = h.db.passwordsSet;
      assert.ok(a !== undefined && a === c && c === d);
      assert.equal(dataOf(await h.call(b, 'read', 'static-creds/s'))['password'], a);
      assert.deepEqual(h.timers.pending(), [{ label: 'rotate:s', delayMs: 60_000 }]);
    });

    it('finishes a rotation interrupted by a crash with the recorded password at the next start', async () => {
      await h.call(b, 'update', 'static-roles/s', { db_name: 'main', username: 'u', rotation_period: 3600 });
      await b.cleanup?.();
      await putJson(h.config.storage, 'static-wal/s', { password: 'Pending-Pass-9', created: 0 });
      const again = await h.make();
      assert.deepEqual(h.timers.pending(), [{ label: 'rotate:s', delayMs: 0 }]);
      await h.timers.fire('rotate:s');
      assert.equal(h.db.passwordsSet.at(-1), 'Pending-Pass-9');
      assert.equal(dataOf(await h.call(again, 'read', 'static-creds/s'))['password'], 'Pending-Pass-9');
      assert.equal(await h.config.storage.get('static-wal/s'), undefined);
      await again.cleanup?.();
    });

    it('stops scheduling a deleted role and refuses to change its username or connection', async () => {
      await h.call(b, 'update', 'static-roles/s', { db_name: 'main', username: 'u', rotation_period: 60 });
      await rejectsWith(h.call(b, 'update', 'static-roles/s', { username: 'v' }), 'invalid_request', /cannot update static account username/);
      await h.call(b, 'update', 'static-roles/s', { rotation_period: 120 });
      assert.deepEqual(h.timers.pending(), [{ label: 'rotate:s', delayMs: 120_000 }]);
      await h.call(b, 'delete', 'static-roles/s');
      assert.deepEqual(h.timers.pending(), []);
    });
  });
});
