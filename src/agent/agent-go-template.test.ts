// End-to-end in process with the real Go template engine: the acceptance template for
// database credentials (here from a test leasing engine mounted at database/) and a KV v2 value,
// rendered by an AppRole agent against a Coffer dev server; new credentials replace the file
// before the old (non-renewable) lease runs out, and a changed KV value is re-rendered.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../shared/index.js';
import { createLeasingEngine, startDevServer } from '../testing/index.js';
import type { LeasingLog, TestServer } from '../testing/index.js';
import { startAgent } from './agent.js';
import { parseAgentConfig } from './config/parse-agent-config.js';
import { createGoTemplateRenderer } from './templating/go-template-renderer.js';
import { waitUntil } from './testing/wait-until.js';
import { createFakeTimers } from './timers.js';

let server: TestServer;
let dir: string;
const log: LeasingLog = { issued: [], revoked: [], renewed: [], failRevocations: false };

async function ok(method: string, path: string, body?: unknown): Promise<unknown> {
  const res = await server.req(method, path, body !== undefined ? { body } : {});
  assert.ok(res.status < 300, `${method} ${path}: ${res.status} ${res.text}`);
  return res.json;
}

before(async () => {
  server = await startDevServer({ extraEngines: { leasing: createLeasingEngine(log) } });
  dir = mkdtempSync(join(tmpdir(), 'agent-go-'));
  await ok('POST', '/v1/sys/mounts/database', { type: 'leasing' });
  await ok('POST', '/v1/database/roles/accessdb', { ttl: '1h', renewable: false });
  await ok('POST', '/v1/sys/auth/approle', { type: 'approle' });
  await ok('PUT', '/v1/sys/policies/acl/app', { policy: 'path "database/creds/accessdb" { capabilities = ["read"] }\npath "secret/data/app" { capabilities = ["read"] }' });
  await ok('POST', '/v1/auth/approle/role/app', { token_policies: 'app', token_ttl: '1h' });
  const roleId = ((await ok('GET', '/v1/auth/approle/role/app/role-id')) as { data: { role_id: string } }).data.role_id;
  const secretId = ((await ok('PUT', '/v1/auth/approle/role/app/secret-id')) as { data: { secret_id: string } }).data.secret_id;
  writeFileSync(join(dir, 'role-id'), roleId);
  writeFileSync(join(dir, 'secret-id'), secretId);
  await ok('PUT', '/v1/secret/data/app', { data: { key: 'first', port: 5432 } });
});
after(async () => {
  await server.close();
});

const DB_TEMPLATE = '{{ with secret "database/creds/accessdb" }}{ "username": "{{ .Data.username }}", "password": {{ .Data.password | toJSON }} }{{ end }}';
const KV_TEMPLATE = '{{ with secret "secret/data/app" }}key={{ .Data.data.key }} port={{ .Data.data.port }} version={{ .Data.metadata.version }}{{ end }}';

describe('AppRole agent with the Go template engine', { timeout: 60_000 }, () => {
  it('renders database credentials and KV v2 values, and replaces them when they change', async () => {
    const config = parseAgentConfig(
      JSON.stringify({
        vault: { address: server.url },
        auto_auth: {
          method: { type: 'approle', config: { role_id_file_path: join(dir, 'role-id'), secret_id_file_path: join(dir, 'secret-id') } },
          sink: [{ type: 'file', config: { path: join(dir, 'token') } }],
        },
        template: [
          { destination: join(dir, 'secrets', 'config.json'), contents: DB_TEMPLATE },
          { destination: join(dir, 'secrets', 'kv.txt'), contents: KV_TEMPLATE },
        ],
        template_config: { static_secret_render_interval: '1m', exit_on_retry_failure: true },
      }),
      'agent.json',
    );
    const timers = createFakeTimers();
    const agent = await startAgent({ config, logger: silentLogger, renderer: createGoTemplateRenderer(), timers, random: () => 0.5, env: {} });
    try {
      await agent.templates?.rendered;
      const dbFile = join(dir, 'secrets', 'config.json');
      const kvFile = join(dir, 'secrets', 'kv.txt');
      const first = log.issued[log.issued.length - 1] ?? '';
      assert.deepEqual(JSON.parse(readFileSync(dbFile, 'utf8')), { username: first, password: `pw-${first}` });
      assert.equal(readFileSync(kvFile, 'utf8'), 'key=first port=5432 version=1');

      await ok('PUT', '/v1/secret/data/app', { data: { key: 'second', port: 5432 } });
      await timers.runNext(); // the 1 m static re-read comes first
      await waitUntil(() => readFileSync(kvFile, 'utf8') === 'key=second port=5432 version=2', 'KV change rendered');

      // The 1 h non-renewable credentials are fetched anew at 87.5 % of their lease.
      await timers.advance(3_150_000 - 60_000);
      await waitUntil(() => !readFileSync(dbFile, 'utf8').includes(`"${first}"`), 'new credentials rendered');
      const second = log.issued[log.issued.length - 1] ?? '';
      assert.notEqual(second, first);
      assert.deepEqual(JSON.parse(readFileSync(dbFile, 'utf8')), { username: second, password: `pw-${second}` });
    } finally {
      await agent.stop();
    }
  });
});
