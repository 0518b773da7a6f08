// Tests of the agent config parser: HCL with labels, the injector's JSON form, defaults and errors.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CofferError } from '../../shared/index.js';
import { parseAgentConfig } from './parse-agent-config.js';
import { loadAgentConfig } from './load-agent-config.js';

const HCL = `
pid_file = "/tmp/agent.pid"
exit_after_auth = false
vault {
  address = "http://127.0.0.1:8200"
  tls_skip_verify = true
  retry { num_retries = 3 }
}
auto_auth {
  method "approle" {
    min_backoff = "500ms"
    config = {
      role_id_file_path = "/etc/role-id"
      secret_id_file_path = "/etc/secret-id"
      remove_secret_id_file_after_reading = false
    }
  }
  sink "file" {
    wrap_ttl = "5m"
    config = { path = "/tmp/token", mode = 0600 }
  }
  sink "file" { config = { path = "/tmp/token2" } }
}
template {
  contents = "{{ with secret \\"database/creds/accessdb\\" }}{{ .Data.username }}{{ end }}"
  destination = "secrets/config.json"
  perms = "0600"
  command = "echo changed"
  error_on_missing_key = true
  left_delimiter = "[["
  right_delimiter = "]]"
}
template {
  source = "/etc/t.tpl"
  destination = "/out/t"
  create_dest_dirs = false
  exec { command = ["/bin/reload", "now"], timeout = "5s" }
}
template_config {
  exit_on_retry_failure = true
  static_secret_render_interval = "10s"
}
api_proxy { use_auto_auth_token = "force" }
listener "tcp" {
  address = "127.0.0.1:8100"
  tls_disable = true
}
`;

const INJECTOR_JSON = `{
  "auto_auth": {
    "method": {"type": "kubernetes", "mount_path": "auth/kubernetes", "config": {"role": "api"}},
    "sink": [{"type": "file", "config": {"path": "/home/vault/.vault-token"}}]
  },
  "exit_after_auth": true,
  "pid_file": "/home/vault/.pid",
  "vault": {"address": "https://vault.vault.svc:8200"},
  "template": [{
    "destination": "/vault/secrets/db",
    "contents": "{{ with secret \\"database/creds/api\\" }}{{ .Data.username }}{{ end }}",
    "left_delimiter": "{{", "right_delimiter": "}}"
  }],
  "template_config": {"exit_on_retry_failure": true, "static_secret_render_interval": "2m", "lease_renewal_threshold": 0.85},
  "listener": [{"type": "tcp", "address": "127.0.0.1:8200", "tls_disable": true, "agent_api": {"enable_quit": true}}],
  "cache": {"use_auto_auth_token": "true"}
}`;

describe('parseAgentConfig', () => {
  it('reads an HCL config with labelled method and sinks, templates and a listener', () => {
    const c = parseAgentConfig(HCL, 'agent.hcl');
    assert.deepEqual(c.warnings, []);
    assert.equal(c.pidFile, '/tmp/agent.pid');
    assert.equal(c.vault.address, 'http://127.0.0.1:8200');
    assert.equal(c.vault.tlsSkipVerify, true);
    assert.equal(c.vault.retry.numRetries, 3);
    const m = c.autoAuth?.method;
    assert.equal(m?.type, 'approle');
    assert.equal(m?.mountPath, 'auth/approle');
    assert.equal(m?.minBackoffMs, 500);
    assert.equal(m?.maxBackoffMs, 300_000);
    assert.equal(m?.config['remove_secret_id_file_after_reading'], false);
    assert.deepEqual(c.autoAuth?.sinks.map((s) => [s.path, s.mode, s.wrapTtlSeconds]), [
      ['/tmp/token', 0o600, 300],
      ['/tmp/token2', 0o640, undefined],
    ]);
    const [t1, t2] = c.templates;
    assert.equal(t1?.destination, 'secrets/config.json');
    assert.equal(t1?.perms, 0o600);
    assert.equal(t1?.command, 'echo changed');
    assert.equal(t1?.errorOnMissingKey, true);
    assert.equal(t1?.leftDelimiter, '[[');
    assert.equal(t1?.createDestDirs, true);
    assert.equal(t1?.backup, false);
    assert.equal(t2?.source, '/etc/t.tpl');
    assert.equal(t2?.createDestDirs, false);
    assert.deepEqual(t2?.command, ['/bin/reload', 'now']);
    assert.equal(t2?.commandTimeoutMs, 5000);
    assert.deepEqual(c.templateConfig, { exitOnRetryFailure: true, staticSecretRenderIntervalMs: 10_000, leaseRenewalThreshold: 0.9 });
    assert.equal(c.useAutoAuthToken, 'force');
    assert.deepEqual(c.listeners, [{ type: 'tcp', address: '127.0.0.1:8100', tlsDisable: true, requireRequestHeader: false, enableQuit: false }]);
  });

  it('reads the JSON the Kubernetes injector writes (method with type, sink array)', () => {
    const c = parseAgentConfig(INJECTOR_JSON, 'config.json');
    assert.deepEqual(c.warnings, []);
    assert.equal(c.autoAuth?.method.type, 'kubernetes');
    assert.equal(c.autoAuth?.method.config['role'], 'api');
    assert.equal(c.autoAuth?.sinks[0]?.path, '/home/vault/.vault-token');
    assert.equal(c.exitAfterAuth, true);
    assert.equal(c.templates[0]?.destination, '/vault/secrets/db');
    assert.equal(c.templateConfig.staticSecretRenderIntervalMs, 120_000);
    assert.equal(c.templateConfig.leaseRenewalThreshold, 0.85);
    assert.equal(c.listeners[0]?.enableQuit, true);
    assert.equal(c.useAutoAuthToken, true);
  });

  it('accepts an unlabelled method block with a type key and JSON label objects', () => {
    const c = parseAgentConfig('auto_auth { method { type = "jwt"\n config = { role = "r", path = "/jwt" } } }', 'a.hcl');
    assert.equal(c.autoAuth?.method.type, 'jwt');
    const j = parseAgentConfig('{"auto_auth": {"method": [{"token_file": {"config": {"token_file_path": "/t"}}}], "sink": {"file": {"config": {"path": "/s"}}}}}', 'a.json');
    assert.equal(j.autoAuth?.method.type, 'token_file');
    assert.equal(j.autoAuth?.sinks[0]?.path, '/s');
  });

  it('reads env_template and exec for process-supervisor mode', () => {
    const c = parseAgentConfig(
      `env_template "DB_PASSWORD" { contents = "x" }
       exec { command = ["/bin/app", "--serve"], restart_stop_signal = "sighup" }`,
      'a.hcl',
    );
    assert.deepEqual(c.envTemplates.map((e) => e.name), ['DB_PASSWORD']);
    assert.deepEqual(c.exec, { command: ['/bin/app', '--serve'], restartOnSecretChanges: 'always', restartStopSignal: 'SIGHUP' });
  });

  it('reads backup and wait (block, or "min:max" text; max defaults to 4 × min)', () => {
    const c = parseAgentConfig('template {\n contents = "x"\n destination = "/d"\n wait { min = "2s" }\n backup = true\n}', 'w.hcl');
    assert.deepEqual(c.warnings, []);
    assert.equal(c.templates[0]?.backup, true);
    assert.deepEqual(c.templates[0]?.wait, { minMs: 2000, maxMs: 8000 });
    const block = parseAgentConfig('template {\n contents = "x"\n destination = "/d"\n wait {\n min = "5s"\n max = "1m"\n }\n}', 'w.hcl');
    assert.deepEqual(block.templates[0]?.wait, { minMs: 5000, maxMs: 60_000 });
    const text = parseAgentConfig('{"template": [{"contents": "x", "destination": "/d", "wait": "3s:10s"}]}', 'w.json');
    assert.deepEqual(text.templates[0]?.wait, { minMs: 3000, maxMs: 10_000 });
    assert.equal(parseAgentConfig('template {\n contents = "x"\n destination = "/d"\n}', 'w.hcl').templates[0]?.wait, undefined);
    const owned = parseAgentConfig('template {\n contents = "x"\n destination = "/d"\n user = "app"\n group = "1001"\n}', 'w.hcl');
    assert.deepEqual([owned.templates[0]?.user, owned.templates[0]?.group, owned.warnings], ['app', '1001', []]);
  });

  it('reads sandbox_path', () => {
    const c = parseAgentConfig('template {\n contents = "x"\n destination = "/d"\n sandbox_path = "/s"\n}', 'w.hcl');
    assert.deepEqual(c.warnings, []);
    assert.equal(c.templates[0]?.sandboxPath, '/s');
  });

  it('warns about unknown keys instead of failing', () => {
    const c = parseAgentConfig('colour = "blue"\ntemplate {\n contents = "x"\n destination = "/d"\n wobble = 1\n}', 'w.hcl');
    assert.deepEqual(c.warnings, [
      'w.hcl:1: colour: unknown or unsupported setting ignored',
      'w.hcl:5: template: wobble: unknown or unsupported setting ignored',
    ]);
  });

  const errors: [string, string, RegExp][] = [
    ['an unsupported method type', 'auto_auth {\n method "ldap" {}\n}', /^bad\.hcl:2: auto_auth\.method: unsupported type "ldap"/],
    ['a missing role_id_file_path', 'auto_auth {\n method "approle" { config = {} }\n}', /^bad\.hcl:2: auto_auth\.method "approle": config\.role_id_file_path is required/],
    ['a template without destination', 'template {\n  contents = "x"\n}', /^bad\.hcl:1: template: destination is required/],
    ['a template with both source and contents', 'template {\n source = "a"\n contents = "b"\n destination = "c"\n}', /mutually exclusive/],
    ['a sink mode that is not octal', 'auto_auth {\n method "token_file" { config = { token_file_path = "/t" } }\n sink "file" { config = {\n path = "/p"\n mode = "rw" } }\n}', /^bad\.hcl:5: auto_auth\.sink "file"\.config: mode must be an octal file mode/],
    ['a bad duration', 'template_config {\n static_secret_render_interval = "soon"\n}', /^bad\.hcl:2: template_config: static_secret_render_interval must be a duration/],
    ['a boolean of the wrong type', 'exit_after_auth = "maybe"', /^bad\.hcl:1: exit_after_auth must be a boolean/],
    ['env_template without exec', 'env_template "A" { contents = "x" }', /needs an exec block/],
    ['a listener with TLS but no certificate', 'listener "tcp" { address = "127.0.0.1:1" }', /tls_cert_file and tls_key_file are required/],
    ['a wrapped login combined with templates', 'auto_auth {\n method "approle" {\n wrap_ttl = "5m"\n config = { role_id_file_path = "/r" } }\n}\ntemplate {\n contents = "x"\n destination = "/d"\n}', /^bad\.hcl:2: auto_auth\.method: wrap_ttl cannot be used with templates/],
    ['an unknown log_format', 'log_format = "xml"', /^bad\.hcl:1: log_format must be "standard" or "json"/],
    ['a syntax error', 'vault {\n address = \n}', /^bad\.hcl:3/],
    ['a template wait whose max is below its min', 'template {\n contents = "x"\n destination = "/d"\n wait {\n min = "10s"\n max = "2s"\n }\n}', /^bad\.hcl:4: template\.wait: max must not be less than min/],
    ['a template wait that is not a duration', 'template {\n contents = "x"\n destination = "/d"\n wait = "soon"\n}', /^bad\.hcl:4: template: wait must be a duration/],
  ];
  for (const [what, text, re] of errors) {
    it(`rejects ${what} naming file, line and field`, () => {
      assert.throws(() => parseAgentConfig(text, 'bad.hcl'), (e: unknown) => e instanceof CofferError && e.code === 'invalid_request' && re.test(e.message));
    });
  }
});

describe('loadAgentConfig', () => {
  it('merges several files: lists concatenate, later single settings win', () => {
    const dir = mkdtempSync(join(tmpdir(), 'agent-cfg-'));
    writeFileSync(join(dir, 'a.hcl'), 'pid_file = "/a"\ntemplate {\n contents = "1"\n destination = "/one"\n}');
    writeFileSync(join(dir, 'b.json'), '{"pid_file": "/b", "template": [{"contents": "2", "destination": "/two"}]}');
    const c = loadAgentConfig([join(dir, 'a.hcl'), join(dir, 'b.json')]);
    assert.equal(c.pidFile, '/b');
    assert.deepEqual(c.templates.map((t) => t.destination), ['/one', '/two']);
    assert.deepEqual(loadAgentConfig([dir]).templates.length, 2);
    assert.throws(() => loadAgentConfig([join(dir, 'missing.hcl')]), /error loading configuration/);
  });
});
