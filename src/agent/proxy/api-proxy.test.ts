// Tests of the API proxy: forwarding (methods, bodies, statuses), token injection per
// use_auto_auth_token, the X-Vault-Request requirement and the quit endpoint.
import { afterEach, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { silentLogger } from '../../shared/index.js';
import type { ListenerConfig, UseAutoAuthToken } from '../config/types.js';
import { startFakeVault } from '../testing/fake-vault.js';
import type { FakeVault } from '../testing/fake-vault.js';
import { createVaultConnection } from '../vault-connection.js';
import type { VaultConnection } from '../vault-connection.js';
import { createApiProxy, upstreamHeaders } from './api-proxy.js';
import type { ApiProxy } from './api-proxy.js';

let vault: FakeVault;
let conn: VaultConnection;
let proxy: ApiProxy | undefined;

beforeEach(async () => {
  vault = await startFakeVault();
  conn = createVaultConnection({ address: vault.url, retry: { numRetries: 0 } }, {});
});
afterEach(async () => {
  await proxy?.close();
  proxy = undefined;
  conn.close();
  await vault.close();
});

const tcp = (extra: Partial<ListenerConfig> = {}): ListenerConfig => ({ type: 'tcp', address: '127.0.0.1:0', tlsDisable: true, requireRequestHeader: false, enableQuit: false, ...extra });

async function startProxy(mode: UseAutoAuthToken, listener = tcp(), onQuit?: () => void, numRetries = 0): Promise<string> {
  proxy = createApiProxy({ listeners: [listener], conn, token: () => 'auto-token', useAutoAuthToken: mode, logger: silentLogger, numRetries, retryDelayMs: 5, ...(onQuit ? { onQuit } : {}) });
  const [addr] = await proxy.start();
  return `http://${addr ?? ''}`;
}

function send(base: string, method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(new URL(path, base), { method, headers }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('API proxy', () => {
  it('adds the auto-auth token to requests without one and forwards body, method and status', async () => {
    vault.route('PUT', 'secret/data/app', { status: 200, body: { data: { version: 1 } } });
    const base = await startProxy(true);
    const res = await send(base, 'PUT', '/v1/secret/data/app', { 'Content-Type': 'application/json' }, '{"data":{"k":"v"}}');
    assert.equal(res.status, 200);
    assert.deepEqual(JSON.parse(res.text), { data: { version: 1 } });
    assert.equal(vault.requests[0]?.token, 'auto-token');
    assert.deepEqual(vault.requests[0]?.body, { data: { k: 'v' } });
  });

  it('keeps a token the client sent unless the mode is force', async () => {
    vault.route('GET', 'sys/health', { body: {} });
    const base = await startProxy(true);
    await send(base, 'GET', '/v1/sys/health', { 'X-Vault-Token': 'own' });
    assert.equal(vault.requests[0]?.token, 'own');
    assert.equal(upstreamHeaders({ 'x-vault-token': 'own' }, 'force', 'auto')['x-vault-token'], 'auto');
    assert.equal(upstreamHeaders({}, false, 'auto')['x-vault-token'], undefined);
  });

  it('forwards LIST and passes errors through', async () => {
    vault.route('LIST', 'secret/metadata/', { status: 403, body: { errors: ['permission denied'] } });
    const base = await startProxy('force');
    const res = await send(base, 'LIST', '/v1/secret/metadata/');
    assert.equal(res.status, 403);
    assert.deepEqual(JSON.parse(res.text), { errors: ['permission denied'] });
    assert.equal(vault.requests[0]?.method, 'LIST');
    assert.equal(vault.requests[0]?.token, 'auto-token');
  });

  it('requires X-Vault-Request when require_request_header is set, and serves quit only when enabled', async () => {
    let quit = 0;
    const base = await startProxy(true, tcp({ requireRequestHeader: true, enableQuit: true }), () => quit++);
    assert.equal((await send(base, 'GET', '/v1/sys/health')).status, 412);
    assert.equal((await send(base, 'POST', '/agent/v1/quit', { 'X-Vault-Request': 'true' })).status, 200);
    assert.equal(quit, 1);
    await proxy?.close();
    const plain = await startProxy(true);
    assert.equal((await send(plain, 'POST', '/agent/v1/quit')).status, 404);
  });

  it('retries 412 and 5xx answers (not 501) up to num_retries, resending the body', async () => {
    let n = 0;
    vault.route('PUT', 'transit/encrypt/k', () => (++n < 3 ? { status: 503, body: { errors: ['sealed'] } } : { body: { data: { ciphertext: 'c' } } }));
    vault.route('GET', 'sys/unsupported', { status: 501, body: { errors: ['not implemented'] } });
    const base = await startProxy(true, tcp(), undefined, 2);
    const res = await send(base, 'PUT', '/v1/transit/encrypt/k', {}, '{"plaintext":"aGk="}');
    assert.equal(res.status, 200);
    assert.deepEqual(vault.requests.map((r) => r.body), [{ plaintext: 'aGk=' }, { plaintext: 'aGk=' }, { plaintext: 'aGk=' }]);
    assert.equal((await send(base, 'GET', '/v1/sys/unsupported')).status, 501);
    assert.equal(vault.requests.length, 4);
    n = -10;
    assert.equal((await send(base, 'PUT', '/v1/transit/encrypt/k', {}, '{}')).status, 503);
  });

  it('answers 502 when Vault cannot be reached', async () => {
    await vault.close();
    const base = await startProxy(true);
    const res = await send(base, 'GET', '/v1/sys/health');
    assert.equal(res.status, 502);
    assert.match(res.text, /error proxying request/);
    vault = await startFakeVault();
  });
});
