// Acceptance (the seed's scenario, end to end, in real time): an AppRole agent renders
// `secrets/config.json` from database/creds/accessdb of a real Coffer with a real PostgreSQL 15;
// the JSON parses and its credentials log in; with a short TTL, the file is replaced by new working
// credentials before the old lease expires. A Kubernetes agent (service-account token checked by a
// loopback TokenReview server) renders the same file.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../shared/index.js';
import { startDevServer, startTestPostgres } from '../testing/index.js';
import type { TestPostgres, TestServer } from '../testing/index.js';
import { startAgent } from './agent.js';
import { parseAgentConfig } from './config/parse-agent-config.js';
import { createGoTemplateRenderer } from './templating/go-template-renderer.js';
import { waitUntil } from './testing/wait-until.js';
import { fakeKubeApiserver, jwtSigner } from '../../conformance/fixtures.js';

// The template exactly as the user's source document gives it.
const SEED_TEMPLATE =
  '{{ with secret "database/creds/accessdb" }} { "host": "database.service.consul", "port": 5432, "username": "{{ .Data.username }}", "password": {{ .Data.password | toJSON }}, "db": "postgres" }{{ end }}';

describe('the seed scenario: an AppRole agent rendering PostgreSQL credentials', { timeout: 90_000 }, () => {
  let server: TestServer;
  let pg: TestPostgres;
  let dir: string;
  const ok = async (method: string, path: string, body?: unknown): Promise<unknown> => {
    const res = await server.req(method, path, body !== undefined ? { body } : {});
    assert.ok(res.status < 300, `${method} ${path}: ${res.status} ${res.text}`);
    return res.json;
  };

  before(async () => {
    pg = await startTestPostgres();
    server = await startDevServer();
    dir = mkdtempSync(join(tmpdir(), 'agent-pg-'));
    await ok('POST', '/v1/sys/mounts/database', { type: 'database' });
    await ok('POST', '/v1/database/config/postgres', {
      plugin_name: 'postgresql-database-plugin',
      connection_url: pg.templatedUrl,
      username: pg.user,
      password: pg.password,
      allowed_roles: ['accessdb'],
    });
    // Short-lived, renewable up to 8 s: the agent renews, then must fetch new credentials in time.
    await ok('POST', '/v1/database/roles/accessdb', {
      db_name: 'postgres',
      creation_statements: [`CREATE ROLE "{{name}}" WITH LOGIN PASSWORD '{{password}}' VALID UNTIL '{{expiration}}';`],
      default_ttl: '4s',
      max_ttl: '8s',
    });
    await ok('POST', '/v1/sys/auth/approle', { type: 'approle' });
    await ok('PUT', '/v1/sys/policies/acl/frontend', { policy: 'path "database/creds/accessdb" { capabilities = ["read"] }' });
    await ok('POST', '/v1/auth/approle/role/frontend', { token_policies: 'frontend', token_ttl: '1h' });
    const roleId = ((await ok('GET', '/v1/auth/approle/role/frontend/role-id')) as { data: { role_id: string } }).data.role_id;
    const secretId = ((await ok('PUT', '/v1/auth/approle/role/frontend/secret-id')) as { data: { secret_id: string } }).data.secret_id;
    writeFileSync(join(dir, 'role-id'), roleId);
    writeFileSync(join(dir, 'secret-id'), secretId);
  });
  after(async () => {
    await server?.close();
    await pg?.close();
  });

  it('renders working credentials to secrets/config.json and replaces them before the old lease expires', async () => {
    const config = parseAgentConfig(
      `
vault { address = "${server.url}" }
auto_auth {
  method "approle" {
    config = {
      role_id_file_path   = "${join(dir, 'role-id')}"
      secret_id_file_path = "${join(dir, 'secret-id')}"
    }
  }
  sink "file" { config = { path = "${join(dir, 'token')}" } }
}
template {
  destination = "${join(dir, 'secrets', 'config.json')}"
  contents    = ${JSON.stringify(SEED_TEMPLATE)}
}
template_config { exit_on_retry_failure = true }
`,
      'agent.hcl',
    );
    const agent = await startAgent({ config, logger: silentLogger, renderer: createGoTemplateRenderer(), env: {} });
    try {
      await agent.templates?.rendered;
      const file = join(dir, 'secrets', 'config.json');
      const first = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
      const firstAt = Date.now();
      assert.deepEqual(Object.keys(first).sort(), ['db', 'host', 'password', 'port', 'username']);
      assert.equal(first['port'], 5432);
      assert.equal(first['host'], 'database.service.consul');
      assert.equal(await pg.canLogin(String(first['username']), String(first['password'])), true);

      // The old lease can live at most 8 s from issue; new credentials must arrive before that.
      await waitUntil(() => !readFileSync(file, 'utf8').includes(String(first['username'])), 'new credentials rendered', 15_000);
      const replacedAfterMs = Date.now() - firstAt;
      assert.ok(replacedAfterMs < 8_000, `replaced after ${replacedAfterMs} ms, at or after the old lease's end`);
      const second = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
      assert.notEqual(second['username'], first['username']);
      assert.equal(await pg.canLogin(String(second['username']), String(second['password'])), true);
    } finally {
      await agent.stop();
    }
  });

  it('does the same as a Kubernetes agent whose service-account token the apiserver authenticates', async () => {
    const kube = await fakeKubeApiserver(await jwtSigner());
    try {
      await ok('POST', '/v1/sys/auth/kubernetes', { type: 'kubernetes' });
      await ok('POST', '/v1/auth/kubernetes/config', { kubernetes_host: kube.url, kubernetes_ca_cert: kube.caPem, token_reviewer_jwt: kube.reviewerJwt });
      await ok('POST', '/v1/auth/kubernetes/role/frontend', { bound_service_account_names: 'frontend', bound_service_account_namespaces: 'shop', token_policies: 'frontend', token_ttl: '1h' });
      const tokenPath = join(dir, 'sa-token');
      writeFileSync(tokenPath, await kube.serviceAccountToken('shop', 'frontend'));
      const destination = join(dir, 'k8s', 'config.json');
      const config = parseAgentConfig(
        JSON.stringify({
          vault: { address: server.url },
          auto_auth: { method: { type: 'kubernetes', config: { role: 'frontend', token_path: tokenPath } }, sink: [{ type: 'file', config: { path: join(dir, 'k8s-token') } }] },
          template: [{ destination, contents: SEED_TEMPLATE }],
          template_config: { exit_on_retry_failure: true },
        }),
        'agent.json',
      );
      const agent = await startAgent({ config, logger: silentLogger, renderer: createGoTemplateRenderer(), env: {} });
      try {
        await agent.templates?.rendered;
        const creds = JSON.parse(readFileSync(destination, 'utf8')) as Record<string, unknown>;
        assert.equal(await pg.canLogin(String(creds['username']), String(creds['password'])), true);
      } finally {
        await agent.stop();
      }
    } finally {
      kube.close();
    }
  });
});
