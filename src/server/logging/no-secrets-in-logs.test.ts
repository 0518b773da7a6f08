// Specification: with logging at its most verbose, no token or secret value a client sends or
// receives ever appears in the server's output (checked on a real server process). sys/loggers
// changes levels at run time.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ServerProcess } from '../../testing/index.js';
import { rawRequest, startServerProcess } from '../../testing/index.js';

type Json = Record<string, unknown>;

describe('logging', () => {
  let server: ServerProcess;
  const req = (method: string, path: string, opts: { token?: string; body?: unknown } = {}) => rawRequest(server.url, method, path, { token: 'root', ...opts });
  before(async () => {
    server = await startServerProcess(['-dev', '-dev-root-token-id=root', '-dev-listen-address=127.0.0.1:0', '-log-level=trace', '-log-format=json']);
  });
  after(async () => {
    await server.stop();
  });

  it('never writes a token, password or secret value to the log, even at trace level', async () => {
    const secret = 'kv-secret-value-4f9a';
    const password = 'userpass-password-77c1';
    await req('POST', '/v1/secret/data/app', { body: { data: { value: secret } } });
    await req('GET', '/v1/secret/data/app');
    const child = String(((await req('POST', '/v1/auth/token/create', { body: { policies: ['default'] } })).json as { auth: Json }).auth['client_token']);
    await req('GET', '/v1/auth/token/lookup-self', { token: child });
    await req('GET', '/v1/secret/data/app', { token: child }); // denied
    await req('GET', '/v1/secret/data/app', { token: 'hvs.not-a-real-token-123' }); // unknown token
    await req('POST', '/v1/sys/auth/userpass', { body: { type: 'userpass' } });
    await req('POST', '/v1/auth/userpass/users/u', { body: { password } });
    const login = await req('POST', '/v1/auth/userpass/login/u', { token: '', body: { password } });
    const loginToken = String((login.json as { auth: Json }).auth['client_token']);
    await req('POST', '/v1/auth/userpass/login/u', { token: '', body: { password: 'wrong-password-xyz' } });
    const wrapped = await rawRequest(server.url, 'GET', '/v1/secret/data/app', { token: 'root', headers: { 'X-Vault-Wrap-TTL': '60s' } });
    const wrapToken = String((wrapped.json as { wrap_info: Json }).wrap_info['token']);
    // After the banner, the log must be free of every credential and secret.
    const log = server.output().split('Coffer server started!').slice(1).join('');
    for (const [what, value] of [
      ['kv secret', secret],
      ['userpass password', password],
      ['wrong password', 'wrong-password-xyz'],
      ['child token', child],
      ['login token', loginToken],
      ['unknown token', 'hvs.not-a-real-token-123'],
      ['wrapping token', wrapToken],
    ]) {
      assert.ok(!log.includes(value as string), `the ${what} appears in the log`);
    }
  });

  it('reads and changes log levels through sys/loggers', async () => {
    const levels = (await req('GET', '/v1/sys/loggers')).json as { data: Record<string, string> };
    assert.equal(levels.data['root'], 'trace');
    assert.equal(levels.data['token'], 'trace');
    assert.equal((await req('POST', '/v1/sys/loggers/token', { body: { level: 'error' } })).status, 204);
    assert.deepEqual(((await req('GET', '/v1/sys/loggers/token')).json as { data: unknown }).data, { token: 'error' });
    assert.equal((await req('POST', '/v1/sys/loggers/token', { body: { level: 'loud' } })).status, 400);
    assert.equal((await req('POST', '/v1/sys/loggers/nobody', { body: { level: 'info' } })).status, 400);
    assert.equal((await req('DELETE', '/v1/sys/loggers')).status, 204);
    assert.equal(((await req('GET', '/v1/sys/loggers/token')).json as { data: Record<string, string> }).data['token'], 'trace');
  });
});
