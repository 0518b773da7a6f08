// Specification of sys/metrics: Prometheus text that a real Prometheus parser (Python's
// prometheus_client) accepts, with request counts by operation and mount, seal state and runtime
// metrics; go-metrics JSON by default; a token allowed to read sys/metrics is required.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import type { TestServer } from '../../testing/index.js';
import { repoRoot, startConfiguredServer, startDevServer } from '../../testing/index.js';

type Families = Record<string, [string, Record<string, string>, number][]>;

function parsePrometheus(text: string): Promise<Families> {
  return new Promise((resolve, reject) => {
    const child = execFile('/usr/bin/python3', [join(repoRoot, 'test-clients', 'python', 'parse_prometheus.py')], (err, stdout, stderr) => {
      if (err) reject(new Error(`prometheus parser refused the text: ${stderr}`));
      else resolve(JSON.parse(stdout) as Families);
    });
    child.stdin?.end(text);
  });
}

describe('sys/metrics', () => {
  let s: TestServer;
  before(async () => {
    s = await startDevServer();
    await s.req('POST', '/v1/secret/data/m', { body: { data: { a: 1 } } });
    await s.req('GET', '/v1/secret/data/m');
    await s.req('GET', '/v1/secret/data/missing');
  });
  after(async () => {
    await s.close();
  });

  it('serves Prometheus text that a real Prometheus parser accepts, with request counts by operation and mount', async () => {
    const r = await s.req('GET', '/v1/sys/metrics?format=prometheus');
    assert.equal(r.status, 200);
    assert.match(String(r.headers['content-type']), /^text\/plain/);
    const families = await parsePrometheus(r.text);
    const requests = families['vault_core_handle_request_count'] ?? [];
    assert.ok(requests.some(([, labels, value]) => labels['operation'] === 'read' && labels['mount'] === 'secret/' && value >= 2), JSON.stringify(requests));
    assert.ok(requests.some(([, labels]) => labels['operation'] === 'update' && labels['mount'] === 'secret/'));
    assert.equal(families['vault_core_unsealed']?.[0]?.[2], 1);
    assert.ok('vault_core_handle_request_seconds' in families);
    assert.ok('vault_storage_operation_seconds' in families);
    assert.ok(Object.keys(families).some((n) => n.startsWith('vault_runtime_nodejs_heap')), 'heap metrics');
    assert.ok(Object.keys(families).some((n) => n.startsWith('vault_runtime_nodejs_eventloop_lag')), 'event-loop lag');
  });

  it('serves go-metrics JSON by default', async () => {
    const r = await s.req('GET', '/v1/sys/metrics');
    assert.equal(r.status, 200);
    const body = r.json as { Gauges: { Name: string; Value: number }[]; Counters: { Name: string }[]; Samples: unknown[]; Timestamp: string };
    assert.ok(body.Gauges.some((g) => g.Name === 'vault_core_unsealed' && g.Value === 1));
    assert.ok(body.Counters.some((c) => c.Name === 'vault_core_handle_request_count'));
    assert.match(body.Timestamp, /^\d{4}-/);
  });

  it('needs a token that may read sys/metrics', async () => {
    assert.equal((await s.req('GET', '/v1/sys/metrics', { token: '' })).status, 403);
    const child = await s.req('POST', '/v1/auth/token/create', { body: { policies: ['default'] } });
    const token = String((child.json as { auth: { client_token: string } }).auth.client_token);
    assert.equal((await s.req('GET', '/v1/sys/metrics', { token })).status, 403);
  });
});

describe('sys/metrics on a listener with unauthenticated_metrics_access', () => {
  it('answers without a token, in both formats', async () => {
    const s = await startConfiguredServer(`
storage "inmem" {}
listener "tcp" {
  address = "127.0.0.1:0"
  tls_disable = true
  telemetry {
    unauthenticated_metrics_access = true
  }
}
telemetry {
  prometheus_retention_time = "30s"
  disable_hostname = true
}
`);
    try {
      const init = (await s.req('PUT', '/v1/sys/init', { body: { secret_shares: 1, secret_threshold: 1 } })).json as { keys: string[] };
      await s.req('PUT', '/v1/sys/unseal', { body: { key: init.keys[0] } });
      const prom = await s.req('GET', '/v1/sys/metrics?format=prometheus');
      assert.equal(prom.status, 200);
      assert.ok(!prom.text.includes('host="'), 'disable_hostname drops the host label');
      const families = await parsePrometheus(prom.text);
      assert.equal(families['vault_core_unsealed']?.[0]?.[2], 1);
      assert.equal((await s.req('GET', '/v1/sys/metrics')).status, 200);
    } finally {
      await s.close();
    }
  });
});

