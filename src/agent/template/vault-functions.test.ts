// consul-template's Vault functions over a fake data source: the seed database-credentials
// template, KV v2 reads, the write form, secrets (LIST), dependency and lease reporting.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { SecretPayload, TemplateDataSource } from './index.js';
import { parseTemplate, renderTemplate, TemplateError } from './index.js';
import type { Clock } from '../../shared/index.js';
import { createManualClock } from '../../shared/index.js';

interface Call {
  readonly path: string;
  readonly write?: Readonly<Record<string, string>>;
}

function fakeSource(responses: Readonly<Record<string, SecretPayload>>, lists: Readonly<Record<string, readonly string[]>> = {}) {
  const calls: Call[] = [];
  const source: TemplateDataSource = {
    async secret(path, write) {
      calls.push(write === undefined ? { path } : { path, write });
      return responses[path] ?? null;
    },
    async list(path) {
      calls.push({ path });
      return lists[path] ?? [];
    },
  };
  return { source, calls };
}

const DB_CREDS = `{"request_id":"8f1c","lease_id":"database/creds/accessdb/Xy12","renewable":true,"lease_duration":3600,
  "data":{"username":"v-token-accessdb-8a7","password":"A1a-<tricky>&\\"quoted\\"\\\\pw"},"wrap_info":null,"warnings":null,"auth":null}`;

const KV2 = `{"request_id":"kv","lease_id":"","renewable":false,"lease_duration":0,
  "data":{"data":{"key":"s3cr3t","db-pass":"p","port":5432,"ratio":1.50},
          "metadata":{"created_time":"2026-01-01T00:00:00Z","deletion_time":"","destroyed":false,"version":3}}}`;

async function render(text: string, source: TemplateDataSource, clock?: Clock) {
  return renderTemplate(parseTemplate(text, { name: 'config.ctmpl' }), { source, ...(clock === undefined ? {} : { clock }) });
}

describe('secret (read form)', () => {
  it('renders the database credentials seed template to valid JSON', async () => {
    const { source } = fakeSource({ 'database/creds/accessdb': DB_CREDS });
    const text =
      '{{ with secret "database/creds/accessdb" }} { "host": "database.service.consul", "port": 5432, "username": "{{ .Data.username }}", "password": {{ .Data.password | toJSON }}, "db": "postgres" }{{ end }}';
    const r = await render(text, source);
    assert.equal(
      r.output,
      ' { "host": "database.service.consul", "port": 5432, "username": "v-token-accessdb-8a7", "password": "A1a-\\u003ctricky\\u003e\\u0026\\"quoted\\"\\\\pw", "db": "postgres" }',
    );
    assert.deepEqual(JSON.parse(r.output), {
      host: 'database.service.consul',
      port: 5432,
      username: 'v-token-accessdb-8a7',
      password: 'A1a-<tricky>&"quoted"\\pw',
      db: 'postgres',
    });
  });

  it('reports the read with its lease so the agent can renew it', async () => {
    const { source } = fakeSource({ 'database/creds/accessdb': DB_CREDS });
    const r = await render('{{ with secret "database/creds/accessdb" }}{{ .LeaseID }} {{ .LeaseDuration }} {{ .Renewable }}{{ end }}', source);
    assert.equal(r.output, 'database/creds/accessdb/Xy12 3600 true');
    assert.deepEqual(r.dependencies, [
      { kind: 'read', path: 'database/creds/accessdb', leaseId: 'database/creds/accessdb/Xy12', leaseDuration: 3600, renewable: true },
    ]);
  });

  it('reads KV v2 values under .Data.data and version info under .Data.metadata', async () => {
    const { source } = fakeSource({ 'secret/data/app': KV2 });
    const r = await render(
      '{{ with secret "secret/data/app" }}{{ .Data.data.key }}|{{ index .Data.data "db-pass" }}|{{ .Data.metadata.version }}|{{ .Data.data.port }}|{{ .Data.data.ratio }}{{ end }}',
      source,
    );
    assert.equal(r.output, 's3cr3t|p|3|5432|1.50');
    assert.deepEqual(r.dependencies, [{ kind: 'read', path: 'secret/data/app', leaseId: '', leaseDuration: 0, renewable: false }]);
  });

  it('keeps numbers as json.Number: equal to their text, not to an int', async () => {
    const { source } = fakeSource({ 'secret/data/app': KV2 });
    const r = await render('{{ with secret "secret/data/app" }}{{ eq .Data.data.port "5432" }}{{ end }}', source);
    assert.equal(r.output, 'true');
    await assert.rejects(render('{{ with secret "secret/data/app" }}{{ eq .Data.data.port 5432 }}{{ end }}', source), /incompatible types for comparison/);
  });

  it('reads each path once per render however often the template asks', async () => {
    const { source, calls } = fakeSource({ 'secret/data/app': KV2 });
    const r = await render('{{ with secret "secret/data/app" }}{{ .Data.data.key }}{{ end }}{{ (secret "secret/data/app").Data.data.key }}', source);
    assert.equal(r.output, 's3cr3ts3cr3t');
    assert.equal(calls.length, 1);
    assert.equal(r.dependencies.length, 1);
  });

  it('fails with "no secret exists" when the source has nothing at the path', async () => {
    const { source } = fakeSource({});
    await assert.rejects(render('{{ with secret "secret/data/none" }}x{{ end }}', source), (e: unknown) => {
      assert.ok(e instanceof TemplateError);
      assert.equal(e.message, 'template: config.ctmpl:1:8: executing "config.ctmpl" at <secret "secret/data/none">: error calling secret: no secret exists at secret/data/none');
      return true;
    });
  });

  it('treats a KV v2 version whose deletion time has passed as missing', async () => {
    const deleted = KV2.replace('"deletion_time":""', '"deletion_time":"2026-02-01T00:00:00Z"').replace(/"data":\{"key"[^}]*\}/, '"data":null');
    const { source } = fakeSource({ 'secret/data/app': deleted });
    const clock = createManualClock(Date.UTC(2026, 5, 1));
    await assert.rejects(render('{{ with secret "secret/data/app" }}x{{ end }}', source, clock), /no secret exists at secret\/data\/app/);
    clock.set(Date.UTC(2026, 0, 15));
    assert.equal((await render('{{ with secret "secret/data/app" }}{{ .Data.data }}{{ end }}', source, clock)).output, '<no value>');
  });

  it('exposes Auth and WrapInfo, nil when the response has none', async () => {
    const token = '{"auth":{"client_token":"hvs.x","accessor":"acc","policies":["ci","default"],"metadata":{"a":"b"},"lease_duration":3600,"renewable":true},"data":null}';
    const { source } = fakeSource({ 'auth/token/create': token, 'database/creds/accessdb': DB_CREDS });
    const r = await render(
      '{{ with secret "auth/token/create" "policies=ci" }}{{ .Auth.ClientToken }} {{ .Auth.Policies }} {{ .Auth.Metadata }} {{ .Auth.LeaseDuration }}{{ end }}|{{ with secret "database/creds/accessdb" }}{{ .Auth }}{{ end }}',
      source,
    );
    assert.equal(r.output, 'hvs.x [ci default] map[a:b] 3600|<nil>');
    await assert.rejects(
      render('{{ with secret "database/creds/accessdb" }}{{ .Auth.ClientToken }}{{ end }}', source),
      /nil pointer evaluating \*dependency\.SecretAuth\.ClientToken/,
    );
  });

  it('exposes response wrapping info, CreationTime as a time.Time', async () => {
    const wrapped = '{"wrap_info":{"token":"hvs.w","accessor":"a","ttl":300,"creation_time":"2026-11-27T06:00:00.123456789Z","creation_path":"sys/wrapping/wrap","wrapped_accessor":"wa"},"data":null}';
    const { source } = fakeSource({ 'sys/wrapping/wrap': wrapped });
    const r = await render('{{ with secret "sys/wrapping/wrap" "a=b" }}{{ .WrapInfo.Token }} {{ .WrapInfo.TTL }} {{ .WrapInfo.CreationTime }} {{ .WrapInfo.WrappedAccessor }} {{ .WrapInfo | toJSON }}{{ end }}', source);
    assert.equal(
      r.output,
      'hvs.w 300 2026-11-27 06:00:00.123456789 +0000 UTC wa {"Token":"hvs.w","TTL":300,"CreationTime":"2026-11-27T06:00:00.123456789Z","WrappedAccessor":"wa"}',
    );
  });

  it('prints a whole secret as Go prints the struct', async () => {
    const { source } = fakeSource({ 'secret/data/app': KV2 });
    const r = await render('{{ with secret "secret/data/app" }}{{ .Warnings }} {{ .WrapInfo }} {{ .RequestID }}{{ end }}', source);
    assert.equal(r.output, '[] <nil> kv');
  });
});

describe('secret (write form)', () => {
  it('sends each k=v argument, split on the first = and trimmed, as the body', async () => {
    const { source, calls } = fakeSource({ 'transit/encrypt/app': '{"data":{"ciphertext":"vault:v1:abc"}}' });
    const r = await render('{{ with secret "transit/encrypt/app" (printf "plaintext=%s" ("hello" | base64Encode)) " context = a=b " "" }}{{ .Data.ciphertext }}{{ end }}', source);
    assert.equal(r.output, 'vault:v1:abc');
    assert.deepEqual(calls, [{ path: 'transit/encrypt/app', write: { plaintext: 'aGVsbG8=', context: 'a=b' } }]);
    assert.deepEqual(r.dependencies, [
      { kind: 'write', path: 'transit/encrypt/app', data: { plaintext: 'aGVsbG8=', context: 'a=b' }, leaseId: '', leaseDuration: 0, renewable: false },
    ]);
  });

  it('rejects an argument that is not a k=v pair', async () => {
    const { source } = fakeSource({});
    await assert.rejects(render('{{ secret "auth/token/create" "policies" }}', source), /error calling secret: not k=v pair "policies"/);
  });

  it('returns nil when called with no arguments', async () => {
    const { source } = fakeSource({});
    assert.equal((await render('{{ with secret }}x{{ else }}none{{ end }}', source)).output, 'none');
  });
});

describe('secrets (list)', () => {
  it('ranges over the sorted keys and reads each one', async () => {
    const { source } = fakeSource(
      { 'secret/data/apps/a': '{"data":{"data":{"n":1}}}', 'secret/data/apps/b': '{"data":{"data":{"n":2}}}' },
      { 'secret/metadata/apps/': ['b', 'a', 'dir/'] },
    );
    const text =
      '{{ range secrets "secret/metadata/apps/" }}{{ . }};{{ end }}|{{ range secrets "secret/metadata/apps/" }}{{ if eq (trimSuffix "/" .) . }}{{ with secret (printf "secret/data/apps/%s" .) }}{{ .Data.data | toJSON }}{{ end }}{{ end }}{{ end }}';
    const r = await render(text, source);
    assert.equal(r.output, 'a;b;dir/;|{"n":1}{"n":2}');
    assert.deepEqual(
      r.dependencies.map((d) => `${d.kind}:${d.path}`),
      ['list:secret/metadata/apps/', 'read:secret/data/apps/a', 'read:secret/data/apps/b'],
    );
  });

  it('returns []string, which join accepts', async () => {
    const { source } = fakeSource({}, { 'kv/': ['x', 'y'] });
    assert.equal((await render('{{ secrets "kv/" | join "," }}', source)).output, 'x,y');
  });
});
