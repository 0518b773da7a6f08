// Specification of the userpass auth method, driven directly (no core): users CRUD, login grants,
// uniform login failures, password updates and bound CIDRs.

import { beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createMemoryStorage, staticSystemView } from '../../sdk/index.js';
import type { BackendRequest, BackendResponse, LogicalBackend, Operation, MemoryStorage } from '../../sdk/index.js';
import { CofferError, createManualClock, silentLogger } from '../../shared/index.js';
import { createUserpassBackend } from './userpass.js';

describe('userpass auth method', () => {
  let backend: LogicalBackend;
  let storage: MemoryStorage;
  const call = async (op: Operation, path: string, data?: Record<string, unknown>, remoteAddress = '127.0.0.1'): Promise<BackendResponse> => {
    const req: BackendRequest = { operation: op, path, data, storage, mountPath: 'auth/userpass/', caller: undefined, remoteAddress, requestId: 't' };
    if (op === 'update' && (await backend.existenceCheck(req)) === false) req.operation = 'create';
    return backend.handleRequest(req);
  };
  const data = async (op: Operation, path: string, body?: Record<string, unknown>): Promise<Record<string, unknown>> => {
    const res = await call(op, path, body);
    assert.equal(res.kind, 'data');
    assert.ok(res.kind === 'data' && res.data !== null);
    return res.data;
  };
  const login = async (user: string, password: string, remoteAddress?: string) => {
    const res = await call('update', `login/${user}`, { password }, remoteAddress);
    assert.ok(res.kind === 'data' && res.grant !== undefined);
    return res.grant;
  };
  const rejectsLogin = (p: Promise<unknown>) =>
    assert.rejects(p, (e: unknown) => e instanceof CofferError && e.code === 'invalid_request' && e.message === 'invalid username or password');

  beforeEach(async () => {
    storage = createMemoryStorage();
    backend = await createUserpassBackend({
      storage,
      mountPath: 'auth/userpass/',
      options: {},
      logger: silentLogger,
      clock: createManualClock(),
      system: staticSystemView(),
    });
  });

  it('declares login paths unauthenticated', () => {
    assert.deepEqual(backend.specialPaths.unauthenticated, ['login/*']);
  });

  it('creates, reads, lists and deletes users, never returning the password', async () => {
    await call('update', 'users/Alice', { password: 'pw1', token_policies: 'a,b', token_ttl: '1h', token_max_ttl: 7200 });
    const read = await data('read', 'users/alice');
    assert.deepEqual(read, {
      token_policies: ['a', 'b'],
      token_ttl: 3600,
      token_max_ttl: 7200,
      token_period: 0,
      token_num_uses: 0,
      token_type: 'default',
      token_no_default_policy: false,
      token_bound_cidrs: [],
      token_explicit_max_ttl: 0,
    });
    assert.equal('password' in read, false);
    assert.deepEqual(await data('list', 'users/'), { keys: ['alice'] });
    await call('delete', 'users/alice');
    assert.deepEqual(await call('read', 'users/alice'), { kind: 'none' });
    assert.deepEqual(await call('list', 'users/'), { kind: 'none' });
  });

  it('stores the password only as an scrypt hash', async () => {
    await call('update', 'users/bob', { password: 'very-secret-password' });
    assert.equal(storage.dump().includes('very-secret-password'), false);
  });

  it('requires a password when creating a user but not when updating one', async () => {
    await assert.rejects(call('update', 'users/carol', { token_policies: 'x' }), /missing password/);
    await call('update', 'users/carol', { password: 'pw' });
    await call('update', 'users/carol', { token_policies: 'x' });
    assert.ok((await login('carol', 'pw')).policies.includes('x'));
  });

  it('accepts the legacy field names, with token_* winning when both are sent', async () => {
    await call('update', 'users/dave', { password: 'pw', policies: 'old', token_policies: 'new', ttl: 60, max_ttl: '2m', period: 0 });
    const read = await data('read', 'users/dave');
    assert.deepEqual(read['token_policies'], ['new']);
    assert.equal(read['token_ttl'], 60);
    assert.equal(read['token_max_ttl'], 120);
  });

  it('rejects invalid token settings', async () => {
    await assert.rejects(call('update', 'users/e', { password: 'pw', token_ttl: 100, token_max_ttl: 10 }), /greater/);
    await assert.rejects(call('update', 'users/e', { password: 'pw', token_ttl: -1 }), /negative/);
    await assert.rejects(call('update', 'users/e', { password: 'pw', token_type: 'weird' }), /token_type/);
    await assert.rejects(call('update', 'users/e', { password: 'pw', token_type: 'batch', token_period: 60 }), /batch/);
    await assert.rejects(call('update', 'users/e', { password: 'pw', token_bound_cidrs: 'not-a-cidr' }), /CIDR/);
  });

  it('rejects user names with disallowed characters', async () => {
    await assert.rejects(call('update', 'users/-bad', { password: 'pw' }), /invalid username/);
    await assert.rejects(call('update', 'users/bad.', { password: 'pw' }), /invalid username/);
  });

  it('returns a grant with the user\'s policies, TTLs, metadata and alias on login', async () => {
    await call('update', 'users/alice', { password: 'pw', token_policies: 'dev', token_ttl: '20m', token_max_ttl: '1h', token_num_uses: 3, token_explicit_max_ttl: '30m' });
    const grant = await login('ALICE', 'pw');
    assert.deepEqual(grant, {
      policies: ['dev'],
      ttl: 1200,
      maxTtl: 1800,
      period: 0,
      numUses: 3,
      metadata: { username: 'alice' },
      displayName: 'alice',
      tokenType: 'default',
      alias: { name: 'alice', metadata: { username: 'alice' } },
    });
  });

  it('passes batch token type, period and no-default-policy through to the grant', async () => {
    await call('update', 'users/b', { password: 'pw', token_type: 'batch', token_no_default_policy: true });
    const grant = await login('b', 'pw');
    assert.equal(grant.tokenType, 'batch');
    assert.equal(grant.noDefaultPolicy, true);
    await call('update', 'users/p', { password: 'pw', token_period: '1h' });
    assert.equal((await login('p', 'pw')).period, 3600);
  });

  it('gives the same error for an unknown user and for a wrong password', async () => {
    await call('update', 'users/alice', { password: 'pw' });
    await rejectsLogin(call('update', 'login/alice', { password: 'wrong' }));
    await rejectsLogin(call('update', 'login/nobody', { password: 'pw' }));
    await rejectsLogin(call('update', 'login/alice', {}));
  });

  it('changes the password through users/:name/password', async () => {
    await call('update', 'users/alice', { password: 'old' });
    await call('update', 'users/alice/password', { password: 'new' });
    await rejectsLogin(call('update', 'login/alice', { password: 'old' }));
    assert.equal((await login('alice', 'new')).displayName, 'alice');
    await assert.rejects(call('update', 'users/ghost/password', { password: 'x' }), /does not exist/);
  });

  it('changes the policies through users/:name/policies', async () => {
    await call('update', 'users/alice', { password: 'pw', token_policies: 'a' });
    await call('update', 'users/alice/policies', { token_policies: ['b', 'c'] });
    assert.deepEqual((await login('alice', 'pw')).policies, ['b', 'c']);
  });

  it('refuses logins from outside token_bound_cidrs and binds the grant to them', async () => {
    await call('update', 'users/alice', { password: 'pw', token_bound_cidrs: '10.0.0.0/8,127.0.0.1' });
    await rejectsLogin(call('update', 'login/alice', { password: 'pw' }, '192.168.1.1'));
    const grant = await login('alice', 'pw', '10.1.2.3');
    assert.deepEqual(grant.boundCidrs, ['10.0.0.0/8', '127.0.0.1']);
    assert.ok(await login('alice', 'pw', '::ffff:127.0.0.1'));
  });
});
