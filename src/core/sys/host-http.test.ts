// Specification of sys/host-info, sys/internal/counters/tokens and sys/config/state/sanitized.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { TestServer } from '../../testing/index.js';
import { startDevServer } from '../../testing/index.js';

type Json = Record<string, unknown>;
const data = (v: unknown): Json => (v as { data: Json }).data;

describe('host, counters and sanitized config', () => {
  let s: TestServer;
  before(async () => {
    s = await startDevServer();
  });
  after(async () => {
    await s.close();
  });

  it('describes the host: CPUs, memory, host name and a timestamp', async () => {
    const d = data((await s.req('GET', '/v1/sys/host-info')).json);
    assert.ok(Array.isArray(d['cpu']) && (d['cpu'] as unknown[]).length > 0);
    assert.ok(Number((d['memory'] as Json)['total']) > 0);
    assert.equal(typeof (d['host'] as Json)['hostname'], 'string');
    assert.match(String(d['timestamp']), /^\d{4}-/);
  });

  it('counts stored service tokens, going up as tokens are created', async () => {
    const count = async (): Promise<number> => Number((((data((await s.req('GET', '/v1/sys/internal/counters/tokens')).json)['counters'] as Json)['service_tokens'] as Json)['total']));
    const before = await count();
    await s.req('POST', '/v1/auth/token/create', { body: {} });
    await s.req('POST', '/v1/auth/token/create', { body: {} });
    assert.equal(await count(), before + 2);
  });

  it('shows the configuration without storage options', async () => {
    const d = data((await s.req('GET', '/v1/sys/config/state/sanitized')).json);
    assert.deepEqual(d['storage'], { type: 'inmem', disable_clustering: true });
    const listeners = d['listeners'] as Json[];
    assert.equal(listeners[0]?.['type'], 'tcp');
    assert.equal((listeners[0]?.['config'] as Json)['tls_disable'], true);
    assert.equal(d['log_level'], 'error');
  });

  it('refuses tokens without access', async () => {
    const child = String(((await s.req('POST', '/v1/auth/token/create', { body: { policies: ['default'] } })).json as { auth: Json }).auth['client_token']);
    for (const p of ['host-info', 'internal/counters/tokens', 'config/state/sanitized']) {
      assert.equal((await s.req('GET', `/v1/sys/${p}`, { token: child })).status, 403, p);
    }
  });
});
