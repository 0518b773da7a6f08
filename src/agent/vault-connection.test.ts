// Tests of the agent's connection to Vault: environment overrides, headers, error mapping.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from '../api/index.js';
import { startFakeVault } from './testing/fake-vault.js';
import { createVaultConnection, vaultCall } from './vault-connection.js';

describe('vault connection', () => {
  it('lets VAULT_ADDR and VAULT_NAMESPACE override the vault block, and sends token and namespace', async () => {
    const vault = await startFakeVault();
    try {
      vault.route('GET', 'kv/x', { text: '{"data":{"n":1.50}}' });
      const conn = createVaultConnection({ address: 'http://127.0.0.1:1', namespace: 'cfg-ns', retry: { numRetries: 0 } }, { VAULT_ADDR: vault.url, VAULT_NAMESPACE: 'env-ns' });
      assert.equal(conn.address, vault.url);
      const res = await conn.raw('GET', 'kv/x', { token: 't' });
      assert.equal(res.text, '{"data":{"n":1.50}}');
      assert.equal(vault.requests[0]?.token, 't');
      assert.equal(vault.requests[0]?.headers['x-vault-namespace'], 'env-ns');
      assert.equal(vault.requests[0]?.headers['x-vault-request'], 'true');
      conn.close();
    } finally {
      await vault.close();
    }
  });

  it('vaultCall throws ApiError with the server errors for statuses >= 400 and status 0 without a server', async () => {
    const vault = await startFakeVault();
    const conn = createVaultConnection({ address: vault.url, retry: { numRetries: 0 } }, {});
    try {
      vault.route('PUT', 'auth/approle/login', { status: 400, body: { errors: ['invalid secret id'] } });
      await assert.rejects(vaultCall(conn, 'PUT', 'auth/approle/login', { body: {} }), (e: unknown) => e instanceof ApiError && e.status === 400 && e.errors[0] === 'invalid secret id');
    } finally {
      await vault.close();
    }
    await assert.rejects(vaultCall(conn, 'GET', 'sys/health'), (e: unknown) => e instanceof ApiError && e.status === 0);
    conn.close();
  });
});
