// Specification of the AppRole auth method, driven directly (no core): roles, role IDs, SecretID
// generation/lookup/destroy, logins with use counts, expiry, CIDR bindings and tidy.

import { beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createMemoryStorage, staticSystemView } from '../../sdk/index.js';
import type { BackendRequest, BackendResponse, LoginGrant, LogicalBackend, Operation, MemoryStorage } from '../../sdk/index.js';
import type { ManualClock } from '../../shared/index.js';
import { CofferError, createManualClock, silentLogger } from '../../shared/index.js';
import { createApproleBackend } from './approle.js';

describe('approle auth method', () => {
  let backend: LogicalBackend;
  let storage: MemoryStorage;
  let clock: ManualClock;
  const call = async (op: Operation, path: string, data?: Record<string, unknown>, remoteAddress = '127.0.0.1'): Promise<BackendResponse> => {
    const req: BackendRequest = { operation: op, path, data, storage, mountPath: 'auth/approle/', caller: undefined, remoteAddress, requestId: 't' };
    if (op === 'update' && (await backend.existenceCheck(req)) === false) req.operation = 'create';
    return backend.handleRequest(req);
  };
  const data = async (op: Operation, path: string, body?: Record<string, unknown>): Promise<Record<string, unknown>> => {
    const res = await call(op, path, body);
    assert.ok(res.kind === 'data' && res.data !== null, `expected data from ${path}: ${JSON.stringify(res)}`);
    return res.data;
  };
  const str = (v: unknown): string => {
    assert.equal(typeof v, 'string');
    return v as string;
  };
  const roleId = async (name: string): Promise<string> => str((await data('read', `role/${name}/role-id`))['role_id']);
  const newSecret = async (name: string, body?: Record<string, unknown>): Promise<{ secretId: string; accessor: string; d: Record<string, unknown> }> => {
    const d = await data('update', `role/${name}/secret-id`, body);
    return { secretId: str(d['secret_id']), accessor: str(d['secret_id_accessor']), d };
  };
  const login = async (body: Record<string, unknown>, remoteAddress?: string): Promise<LoginGrant> => {
    const res = await call('update', 'login', body, remoteAddress);
    assert.ok(res.kind === 'data' && res.data === null && res.grant !== undefined);
    return res.grant;
  };
  const rejectsLogin = (p: Promise<unknown>) =>
    assert.rejects(p, (e: unknown) => e instanceof CofferError && e.code === 'invalid_request' && e.message === 'invalid role or secret ID');

  beforeEach(async () => {
    storage = createMemoryStorage();
    clock = createManualClock(Date.UTC(2026, 0, 1, 12));
    backend = await createApproleBackend({
      storage,
      mountPath: 'auth/approle/',
      options: {},
      logger: silentLogger,
      clock,
      system: staticSystemView(),
    });
  });

  it('declares login unauthenticated', () => {
    assert.deepEqual(backend.specialPaths.unauthenticated, ['login']);
  });

  it('creates, reads, lists and deletes roles with defaults in integer seconds', async () => {
    await call('update', 'role/web', { secret_id_ttl: '10m', secret_id_num_uses: 40, token_ttl: '20m', token_max_ttl: '30m', token_policies: 'default', local_secret_ids: true });
    assert.deepEqual(await data('read', 'role/web'), {
      bind_secret_id: true,
      secret_id_bound_cidrs: [],
      secret_id_num_uses: 40,
      secret_id_ttl: 600,
      local_secret_ids: true,
      token_policies: ['default'],
      token_ttl: 1200,
      token_max_ttl: 1800,
      token_period: 0,
      token_num_uses: 0,
      token_type: 'default',
      token_no_default_policy: false,
      token_bound_cidrs: [],
      token_explicit_max_ttl: 0,
    });
    assert.deepEqual(await data('list', 'role/'), { keys: ['web'] });
    await call('delete', 'role/web');
    assert.deepEqual(await call('read', 'role/web'), { kind: 'none' });
    assert.deepEqual(await call('list', 'role/'), { kind: 'none' });
    assert.deepEqual(storage.keys(), ['hmac-key']);
  });

  it('keeps local_secret_ids fixed after creation', async () => {
    await call('update', 'role/r', { local_secret_ids: false });
    await assert.rejects(call('update', 'role/r', { local_secret_ids: true }), /only be set when the role is created/);
  });

  it('requires at least one constraint on a role', async () => {
    await assert.rejects(call('update', 'role/r', { bind_secret_id: false }), /at least one constraint/);
    await call('update', 'role/r', { bind_secret_id: false, secret_id_bound_cidrs: '10.0.0.0/8' });
  });

  it('generates a random role_id, accepts a custom one, and keeps role_ids unique', async () => {
    await call('update', 'role/a', {});
    assert.match(await roleId('a'), /^[0-9a-f-]{36}$/);
    await call('update', 'role/a/role-id', { role_id: 'custom-a' });
    assert.equal(await roleId('a'), 'custom-a');
    await call('update', 'role/b', { role_id: 'custom-b' });
    assert.equal(await roleId('b'), 'custom-b');
    await assert.rejects(call('update', 'role/b/role-id', { role_id: 'custom-a' }), /already in use/);
    await assert.rejects(call('update', 'role/c', { role_id: 'custom-a' }), /already in use/);
  });

  it('logs in with role_id and secret_id and returns the grant with role metadata', async () => {
    await call('update', 'role/web', { token_policies: 'app', token_ttl: 1200, token_max_ttl: 1800 });
    const id = await roleId('web');
    const { secretId, d } = await newSecret('web', { metadata: '{"env":"prod"}' });
    assert.equal(d['secret_id_ttl'], 0);
    assert.equal(d['secret_id_num_uses'], 0);
    const grant = await login({ role_id: id, secret_id: secretId });
    assert.deepEqual(grant, {
      policies: ['app'],
      ttl: 1200,
      maxTtl: 1800,
      period: 0,
      numUses: 0,
      metadata: { env: 'prod', role_name: 'web' },
      displayName: '',
      tokenType: 'default',
      alias: { name: id, metadata: { env: 'prod', role_name: 'web' } },
    });
  });

  it('never stores a SecretID in the clear', async () => {
    await call('update', 'role/web', {});
    const { secretId } = await newSecret('web');
    const custom = 'my-very-own-custom-secret-id';
    await call('update', 'role/web/custom-secret-id', { secret_id: custom });
    const dump = storage.dump();
    assert.equal(dump.includes(secretId), false);
    assert.equal(dump.includes(custom), false);
  });

  it('gives the same error for an unknown role_id, a wrong secret_id and a missing secret_id', async () => {
    await call('update', 'role/web', {});
    const id = await roleId('web');
    await newSecret('web');
    await rejectsLogin(call('update', 'login', { role_id: 'nope', secret_id: 'x' }));
    await rejectsLogin(call('update', 'login', { role_id: id, secret_id: 'wrong' }));
    await rejectsLogin(call('update', 'login', { role_id: id }));
  });

  it('counts down secret_id_num_uses and deletes the SecretID at zero', async () => {
    await call('update', 'role/web', { secret_id_num_uses: 2 });
    const id = await roleId('web');
    const { secretId, accessor, d } = await newSecret('web');
    assert.equal(d['secret_id_num_uses'], 2);
    await login({ role_id: id, secret_id: secretId });
    const look = await data('update', 'role/web/secret-id/lookup', { secret_id: secretId });
    assert.equal(look['secret_id_num_uses'], 1);
    await login({ role_id: id, secret_id: secretId });
    await rejectsLogin(call('update', 'login', { role_id: id, secret_id: secretId }));
    assert.deepEqual(await call('list', 'role/web/secret-id/'), { kind: 'none' });
    await assert.rejects(call('update', 'role/web/secret-id-accessor/lookup', { secret_id_accessor: accessor }), /failed to find accessor/);
  });

  it('lets only one of two concurrent logins consume a single-use SecretID', async () => {
    await call('update', 'role/web', {});
    const id = await roleId('web');
    const { secretId } = await newSecret('web', { num_uses: 1 });
    const results = await Promise.allSettled([login({ role_id: id, secret_id: secretId }), login({ role_id: id, secret_id: secretId })]);
    assert.deepEqual(results.map((r) => r.status).sort(), ['fulfilled', 'rejected']);
  });

  it('rejects per-SecretID limits that exceed the role\'s', async () => {
    await call('update', 'role/web', { secret_id_num_uses: 5, secret_id_ttl: 60, secret_id_bound_cidrs: '10.0.0.0/8' });
    await assert.rejects(newSecret('web', { num_uses: 6 }), /num_uses/);
    await assert.rejects(newSecret('web', { ttl: 120 }), /ttl/);
    await assert.rejects(newSecret('web', { cidr_list: '192.168.0.0/16' }), /cidr_list/);
    const { d } = await newSecret('web', { num_uses: 3, ttl: 30, cidr_list: '10.1.0.0/16' });
    assert.equal(d['secret_id_num_uses'], 3);
    assert.equal(d['secret_id_ttl'], 30);
  });

  it('expires SecretIDs by the clock and tidy removes expired ones', async () => {
    await call('update', 'role/web', { secret_id_ttl: '10m' });
    const id = await roleId('web');
    const a = await newSecret('web');
    const b = await newSecret('web', { ttl: 60 });
    const look = await data('update', 'role/web/secret-id/lookup', { secret_id: a.secretId });
    assert.equal(look['creation_time'], '2026-01-01T12:00:00Z');
    assert.equal(look['expiration_time'], '2026-01-01T12:10:00Z');
    clock.advance(61_000);
    await rejectsLogin(call('update', 'login', { role_id: id, secret_id: b.secretId }));
    await login({ role_id: id, secret_id: a.secretId });
    clock.advance(600_000);
    assert.deepEqual(await data('list', 'role/web/secret-id/'), { keys: [a.accessor] });
    assert.deepEqual(await call('update', 'tidy/secret-id'), { kind: 'data', data: null });
    assert.deepEqual(await call('list', 'role/web/secret-id/'), { kind: 'none' });
  });

  it('accepts a custom SecretID once and logs in with it', async () => {
    await call('update', 'role/web', {});
    const id = await roleId('web');
    const d = await data('update', 'role/web/custom-secret-id', { secret_id: 'my-secret', metadata: { team: 'a' } });
    assert.equal(d['secret_id'], 'my-secret');
    await assert.rejects(call('update', 'role/web/custom-secret-id', { secret_id: 'my-secret' }), /already exists/);
    assert.deepEqual((await login({ role_id: id, secret_id: 'my-secret' })).metadata, { team: 'a', role_name: 'web' });
  });

  it('looks up and destroys SecretIDs by accessor and by value', async () => {
    await call('update', 'role/web', {});
    const id = await roleId('web');
    const a = await newSecret('web', { metadata: '{"k":"v"}', cidr_list: '127.0.0.1' });
    const b = await newSecret('web');
    assert.deepEqual((await data('list', 'role/web/secret-id')).keys, [a.accessor, b.accessor].sort());
    const look = await data('update', 'role/web/secret-id-accessor/lookup', { secret_id_accessor: a.accessor });
    assert.deepEqual(look, {
      cidr_list: ['127.0.0.1'],
      creation_time: '2026-01-01T12:00:00Z',
      expiration_time: '0001-01-01T00:00:00Z',
      last_updated_time: '2026-01-01T12:00:00Z',
      metadata: { k: 'v' },
      secret_id_accessor: a.accessor,
      secret_id_num_uses: 0,
      secret_id_ttl: 0,
      token_bound_cidrs: [],
    });
    await call('update', 'role/web/secret-id-accessor/destroy', { secret_id_accessor: a.accessor });
    await rejectsLogin(call('update', 'login', { role_id: id, secret_id: a.secretId }));
    await call('update', 'role/web/secret-id/destroy', { secret_id: b.secretId });
    await rejectsLogin(call('update', 'login', { role_id: id, secret_id: b.secretId }));
    assert.deepEqual(await call('update', 'role/web/secret-id/lookup', { secret_id: b.secretId }), { kind: 'none' });
  });

  it('enforces role, SecretID and token CIDR bindings at login with the same error', async () => {
    await call('update', 'role/web', { secret_id_bound_cidrs: '10.0.0.0/8', token_bound_cidrs: '10.0.0.0/8' });
    const id = await roleId('web');
    const { secretId } = await newSecret('web', { cidr_list: '10.1.0.0/16' });
    await rejectsLogin(call('update', 'login', { role_id: id, secret_id: secretId }, '192.168.0.1'));
    await rejectsLogin(call('update', 'login', { role_id: id, secret_id: secretId }, '10.2.0.1'));
    const grant = await login({ role_id: id, secret_id: secretId }, '10.1.0.1');
    assert.deepEqual(grant.boundCidrs, ['10.0.0.0/8']);
  });

  it('logs in with role_id alone when bind_secret_id is off and the caller is inside the bound CIDRs', async () => {
    await call('update', 'role/svc', { bind_secret_id: false, secret_id_bound_cidrs: '127.0.0.0/8' });
    const id = await roleId('svc');
    assert.deepEqual((await login({ role_id: id })).metadata, { role_name: 'svc' });
    await rejectsLogin(call('update', 'login', { role_id: id }, '10.0.0.1'));
  });

  it('passes batch token type through to the grant', async () => {
    await call('update', 'role/b', { token_type: 'batch', token_policies: 'x,y' });
    const { secretId } = await newSecret('b');
    const grant = await login({ role_id: await roleId('b'), secret_id: secretId });
    assert.equal(grant.tokenType, 'batch');
    assert.deepEqual(grant.policies, ['x', 'y']);
  });

  it('removes the role\'s SecretIDs and role_id when the role is deleted', async () => {
    await call('update', 'role/web', {});
    const id = await roleId('web');
    const { secretId } = await newSecret('web');
    await call('delete', 'role/web');
    await call('update', 'role/web', {});
    await rejectsLogin(call('update', 'login', { role_id: id, secret_id: secretId }));
    assert.deepEqual(await call('list', 'role/web/secret-id/'), { kind: 'none' });
  });

  describe('single-field endpoints', () => {
    beforeEach(async () => {
      await call('update', 'role/web', { token_policies: 'a', token_ttl: '10m', secret_id_ttl: '1h', period: 0 });
    });

    it('reads, sets and resets token policies under both names', async () => {
      assert.deepEqual(await data('read', 'role/web/policies'), { policies: ['a'], token_policies: ['a'] });
      await call('update', 'role/web/policies', { policies: 'b,c' });
      assert.deepEqual((await data('read', 'role/web'))['token_policies'], ['b', 'c']);
      await call('update', 'role/web/policies', { token_policies: ['d'] });
      assert.deepEqual((await data('read', 'role/web/policies'))['token_policies'], ['d']);
      await call('delete', 'role/web/policies');
      assert.deepEqual((await data('read', 'role/web'))['token_policies'], []);
    });

    it('sets each TTL and count field alone, leaving the others as they were', async () => {
      await call('update', 'role/web/token-max-ttl', { token_max_ttl: '2h' });
      await call('update', 'role/web/secret-id-num-uses', { secret_id_num_uses: 5 });
      await call('update', 'role/web/token-num-uses', { token_num_uses: 3 });
      await call('update', 'role/web/period', { period: '30m' });
      const role = await data('read', 'role/web');
      assert.equal(role['token_ttl'], 600);
      assert.equal(role['token_max_ttl'], 7200);
      assert.equal(role['secret_id_num_uses'], 5);
      assert.equal(role['token_num_uses'], 3);
      assert.equal(role['token_period'], 1800);
      assert.deepEqual(await data('read', 'role/web/period'), { period: 1800, token_period: 1800 });
      assert.deepEqual(await data('read', 'role/web/secret-id-ttl'), { secret_id_ttl: 3600 });
      await call('delete', 'role/web/token-ttl');
      assert.deepEqual(await data('read', 'role/web/token-ttl'), { token_ttl: 0 });
    });

    it('keeps the role constrained: turning bind_secret_id off needs a bound CIDR first', async () => {
      await assert.rejects(call('update', 'role/web/bind-secret-id', { bind_secret_id: false }), /at least one constraint/);
      await call('update', 'role/web/secret-id-bound-cidrs', { secret_id_bound_cidrs: '10.0.0.0/8' });
      await call('update', 'role/web/bind-secret-id', { bind_secret_id: false });
      assert.deepEqual(await data('read', 'role/web/bind-secret-id'), { bind_secret_id: false });
      await call('delete', 'role/web/bind-secret-id');
      assert.deepEqual(await data('read', 'role/web/bind-secret-id'), { bind_secret_id: true });
      await call('update', 'role/web/token-bound-cidrs', { token_bound_cidrs: ['127.0.0.1/32'] });
      assert.deepEqual(await data('read', 'role/web/token-bound-cidrs'), { token_bound_cidrs: ['127.0.0.1/32'] });
    });

    it('serves local-secret-ids read-only, and answers 400 for a missing value or an unknown role', async () => {
      assert.deepEqual(await data('read', 'role/web/local-secret-ids'), { local_secret_ids: false });
      await assert.rejects(call('update', 'role/web/local-secret-ids', { local_secret_ids: true }), (e: unknown) => e instanceof CofferError && e.code === 'unsupported_operation');
      await assert.rejects(call('update', 'role/web/token-ttl', {}), /missing token_ttl/);
      await assert.rejects(call('update', 'role/nope/token-ttl', { token_ttl: 5 }), /does not exist/);
      assert.equal((await call('read', 'role/nope/token-ttl')).kind, 'none');
    });
  });
});
