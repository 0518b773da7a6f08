// End-to-end in process: the agent against a real Coffer dev server — AppRole auto-auth, a file
// sink, a KV v2 template (fake renderer) re-rendered when the value changes, the API proxy with
// the auto-auth token, exit_after_auth and the pid file.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../shared/index.js';
import { rawRequest, startDevServer } from '../testing/index.js';
import type { TestServer } from '../testing/index.js';
import { startAgent } from './agent.js';
import { parseAgentConfig } from './config/parse-agent-config.js';
import { createFakeRenderer } from './testing/fake-renderer.js';
import { waitUntil } from './testing/wait-until.js';
import { createFakeTimers } from './timers.js';

let server: TestServer;
let dir: string;

async function ok(method: string, path: string, body?: unknown): Promise<unknown> {
  const res = await server.req(method, path, body !== undefined ? { body } : {});
  assert.ok(res.status < 300, `${method} ${path}: ${res.status} ${res.text}`);
  return res.json;
}

before(async () => {
  server = await startDevServer();
  dir = mkdtempSync(join(tmpdir(), 'agent-e2e-'));
  await ok('POST', '/v1/sys/auth/approle', { type: 'approle' });
  // Vault answers sys/internal/ui/mounts/<path> for any token with some access under the mount;
  // Coffer currently checks only the path itself and the mount root (reported to the lead), so
  // the rule for "secret/app" lets the template's KV v2 probe succeed.
  await ok('PUT', '/v1/sys/policies/acl/app', {
    policy: 'path "secret/data/app" { capabilities = ["read"] }\npath "secret/app" { capabilities = ["read"] }',
  });
  await ok('POST', '/v1/auth/approle/role/app', { token_policies: 'app', token_ttl: '1h', token_max_ttl: '4h' });
  const roleId = ((await ok('GET', '/v1/auth/approle/role/app/role-id')) as { data: { role_id: string } }).data.role_id;
  writeFileSync(join(dir, 'role-id'), roleId);
  await ok('PUT', '/v1/secret/data/app', { data: { key: 'v1' } });
});
after(async () => {
  await server.close();
});

async function freshSecretId(): Promise<void> {
  const secretId = ((await ok('PUT', '/v1/auth/approle/role/app/secret-id')) as { data: { secret_id: string } }).data.secret_id;
  writeFileSync(join(dir, 'secret-id'), secretId);
}

function configText(extra: string): string {
  return `
pid_file = "${join(dir, 'agent.pid')}"
vault { address = "${server.url}" }
auto_auth {
  method "approle" {
    config = {
      role_id_file_path = "${join(dir, 'role-id')}"
      secret_id_file_path = "${join(dir, 'secret-id')}"
    }
  }
  sink "file" { config = { path = "${join(dir, 'token')}", mode = 0600 } }
}
template {
  contents = "key={{ secret \\"secret/data/app\\" .Data.data.key }}"
  destination = "${join(dir, 'secrets', 'app.txt')}"
  perms = "0640"
}
template {
  contents = "short={{ secret \\"secret/app\\" .Data.data.key }}"
  destination = "${join(dir, 'secrets', 'short.txt')}"
}
template_config { static_secret_render_interval = "30s" }
${extra}`;
}

describe('agent against a Coffer dev server', { timeout: 60_000 }, () => {
  it('logs in with AppRole, writes the sink, renders KV v2, re-renders on change, and proxies with the auto-auth token', async () => {
    await freshSecretId();
    const config = parseAgentConfig(configText('api_proxy { use_auto_auth_token = true }\nlistener "tcp" {\n address = "127.0.0.1:0"\n tls_disable = true\n}'), 'agent.hcl');
    const timers = createFakeTimers();
    const agent = await startAgent({ config, logger: silentLogger, renderer: createFakeRenderer(), timers, random: () => 0.5, env: {} });
    try {
      const out = join(dir, 'secrets', 'app.txt');
      await agent.templates?.rendered;
      assert.equal(readFileSync(out, 'utf8'), 'key=v1');
      assert.equal(statSync(out).mode & 0o777, 0o640);
      // KV v2 addressing as consul-template does it: data/ inserted after the mount.
      assert.equal(readFileSync(join(dir, 'secrets', 'short.txt'), 'utf8'), 'short=v1');
      const token = readFileSync(join(dir, 'token'), 'utf8');
      assert.equal(token, agent.token());
      assert.equal(statSync(join(dir, 'token')).mode & 0o777, 0o600);
      assert.equal(existsSync(join(dir, 'secret-id')), false);
      assert.equal(readFileSync(join(dir, 'agent.pid'), 'utf8'), String(process.pid));

      // The sink token is a real token with the role's policy.
      const self = await rawRequest(server.url, 'GET', '/v1/auth/token/lookup-self', { token });
      assert.deepEqual((self.json as { data: { policies: string[] } }).data.policies, ['app', 'default']);

      await ok('PUT', '/v1/secret/data/app', { data: { key: 'v2' } });
      // The soonest timer is the 30 s static re-read (the token renewal is at 40 minutes).
      assert.equal(timers.nextDelay(), 30_000);
      await timers.runNext();
      await waitUntil(() => readFileSync(out, 'utf8') === 'key=v2', 'the new value rendered');

      const proxied = await rawRequest(`http://${agent.proxyAddresses[0] ?? ''}`, 'GET', '/v1/secret/data/app');
      assert.equal(proxied.status, 200);
      assert.equal((proxied.json as { data: { data: { key: string } } }).data.data.key, 'v2');
    } finally {
      await agent.stop();
    }
    assert.equal(await agent.done, 0);
    assert.equal(existsSync(join(dir, 'agent.pid')), false);
  });

  it('renews the token with renew-self and keeps rendering with it', async () => {
    await freshSecretId();
    const timers = createFakeTimers();
    const agent = await startAgent({ config: parseAgentConfig(configText(''), 'agent.hcl'), logger: silentLogger, renderer: createFakeRenderer(), timers, random: () => 0.5, env: {} });
    try {
      await agent.templates?.rendered;
      const token = agent.token() ?? '';
      const before = await rawRequest(server.url, 'GET', '/v1/auth/token/lookup-self', { token });
      const expireBefore = (before.json as { data: { expire_time: string } }).data.expire_time;
      // The renewal is due at 2/3 of the hour; the 30 s static re-reads fire on the way.
      await timers.advance(2_400_000);
      await waitUntil(async () => {
        const now = await rawRequest(server.url, 'GET', '/v1/auth/token/lookup-self', { token });
        return (now.json as { data: { expire_time: string } }).data.expire_time !== expireBefore;
      }, 'token renewed');
      assert.equal(agent.token(), token);
    } finally {
      await agent.stop();
    }
  });

  it('exits with 0 after the first login and render when exit_after_auth is set', async () => {
    await freshSecretId();
    const agent = await startAgent({ config: parseAgentConfig(configText('exit_after_auth = true'), 'agent.hcl'), logger: silentLogger, renderer: createFakeRenderer(), env: {} });
    assert.equal(await agent.done, 0);
    assert.equal(readFileSync(join(dir, 'secrets', 'app.txt'), 'utf8').startsWith('key='), true);
  });
});
