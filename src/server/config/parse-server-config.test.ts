// Specification of Vault server config parsing: documented samples, defaults, errors, warnings.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CofferError } from '../../shared/index.js';
import { parseServerConfig } from './index.js';

function throwsInvalid(text: string, fileName: string, message: string): void {
  assert.throws(
    () => parseServerConfig(text, fileName),
    (e: unknown) => {
      assert.ok(e instanceof CofferError, 'a CofferError');
      assert.equal(e.code, 'invalid_request');
      assert.equal(e.message, message);
      return true;
    },
  );
}

const DOCUMENTED = `ui            = true
cluster_addr  = "https://127.0.0.1:8201"
api_addr      = "https://127.0.0.1:8200"
disable_mlock = true

storage "file" {
  path = "/opt/vault/data"
}

listener "tcp" {
  address       = "0.0.0.0:8200"
  tls_cert_file = "/opt/vault/tls/tls.crt"
  tls_key_file  = "/opt/vault/tls/tls.key"
  tls_min_version = "tls12"
}

default_lease_ttl = "768h"
max_lease_ttl     = "8760h"
log_level         = "Info"
log_format        = "json"
cluster_name      = "coffer-1"
plugin_directory  = "/opt/vault/plugins"

telemetry {
  statsd_address   = "127.0.0.1:8125"
  disable_hostname = true
}

seal "transit" {
  address    = "https://vault:8200"
  key_name   = "autounseal"
  mount_path = "transit/"
}
`;

void describe('parseServerConfig: HCL', () => {
  void it('reads the documented server config into typed settings', () => {
    const c = parseServerConfig(DOCUMENTED, 'config.hcl');
    assert.deepEqual(c.storage, { type: 'file', options: { path: '/opt/vault/data' }, file: 'config.hcl', line: 6 });
    assert.equal(c.haStorage, undefined);
    assert.deepEqual(c.listeners, [
      {
        type: 'tcp',
        address: '0.0.0.0:8200',
        tlsDisable: false,
        tlsCertFile: '/opt/vault/tls/tls.crt',
        tlsKeyFile: '/opt/vault/tls/tls.key',
        tlsMinVersion: 'tls12',
        maxRequestSize: 32 * 1024 * 1024,
        unauthenticatedMetricsAccess: false,
        file: 'config.hcl',
        line: 10,
      },
    ]);
    assert.equal(c.ui, true);
    assert.equal(c.disableMlock, true);
    assert.equal(c.apiAddr, 'https://127.0.0.1:8200');
    assert.equal(c.clusterAddr, 'https://127.0.0.1:8201');
    assert.equal(c.defaultLeaseTtl, 2764800);
    assert.equal(c.maxLeaseTtl, 31536000);
    assert.equal(c.logLevel, 'info');
    assert.equal(c.logFormat, 'json');
    assert.equal(c.clusterName, 'coffer-1');
    assert.equal(c.pluginDirectory, '/opt/vault/plugins');
    assert.deepEqual(c.telemetry, { statsd_address: '127.0.0.1:8125', disable_hostname: true });
    assert.deepEqual(c.seals, [
      { type: 'transit', options: { address: 'https://vault:8200', key_name: 'autounseal', mount_path: 'transit/' }, file: 'config.hcl', line: 29 },
    ]);
    assert.deepEqual(c.warnings, []);
  });

  void it('fills in defaults for an almost empty config', () => {
    const c = parseServerConfig('listener "tcp" {\n  tls_disable = true\n}\n', 'c.hcl');
    assert.equal(c.storage, undefined);
    assert.equal(c.ui, false);
    assert.equal(c.disableMlock, false);
    assert.equal(c.rawStorageEndpoint, false);
    assert.equal(c.defaultLeaseTtl, undefined);
    assert.deepEqual(c.telemetry, {});
    assert.deepEqual(c.seals, []);
    assert.equal(c.listeners[0]!.address, '127.0.0.1:8200');
    assert.equal(c.listeners[0]!.maxRequestSize, 33554432);
    assert.equal(c.listeners[0]!.maxRequestDuration, undefined);
  });

  void it('reads an empty file as no settings at all', () => {
    assert.deepEqual(parseServerConfig('# nothing\n', 'c.hcl').listeners, []);
  });

  void it('accepts the old name backend for storage and ha_backend for ha_storage', () => {
    const c = parseServerConfig('backend "inmem" {}\nha_backend "postgresql" {\n  connection_url = "postgres://x"\n  ha_enabled = true\n}', 'c.hcl');
    assert.deepEqual(c.storage, { type: 'inmem', options: {}, file: 'c.hcl', line: 1 });
    assert.deepEqual(c.haStorage, { type: 'postgresql', options: { connection_url: 'postgres://x', ha_enabled: 'true' }, file: 'c.hcl', line: 2 });
  });

  void it('accepts sqlite and postgresql storage and stringifies option values', () => {
    assert.deepEqual(parseServerConfig('storage "sqlite" { path = "/data/coffer.db" }', 'c.hcl').storage?.options, { path: '/data/coffer.db' });
    const pg = parseServerConfig('storage "postgresql" {\n  connection_url = "postgres://u@h/db"\n  max_parallel = 128\n}', 'c.hcl');
    assert.deepEqual(pg.storage?.options, { connection_url: 'postgres://u@h/db', max_parallel: '128' });
  });

  void it('accumulates several listeners in order', () => {
    const c = parseServerConfig(
      'listener "tcp" {\n  address = "127.0.0.1:8200"\n  tls_disable = 1\n}\nlistener "tcp" {\n  address = "[::1]:8300"\n  tls_disable = "true"\n}\n',
      'c.hcl',
    );
    assert.deepEqual(c.listeners.map((l) => [l.address, l.line]), [['127.0.0.1:8200', 1], ['[::1]:8300', 5]]);
  });

  const tlsDisableSpellings: [string, boolean][] = [
    ['true', true],
    ['"true"', true],
    ['"1"', true],
    ['1', true],
    ['"t"', true],
  ];
  for (const [spelling, want] of tlsDisableSpellings) {
    void it(`reads tls_disable = ${spelling} as ${want}`, () => {
      const c = parseServerConfig(`listener "tcp" {\n  tls_disable = ${spelling}\n}`, 'c.hcl');
      assert.equal(c.listeners[0]!.tlsDisable, want);
    });
  }

  void it('reads tls_disable = false with certificate files as TLS enabled', () => {
    const c = parseServerConfig('listener "tcp" {\n  tls_disable = "0"\n  tls_cert_file = "c.pem"\n  tls_key_file = "k.pem"\n}', 'c.hcl');
    assert.equal(c.listeners[0]!.tlsDisable, false);
  });

  void it('reads request limits and unauthenticated metrics access, flat or in a telemetry block', () => {
    const c = parseServerConfig(
      `listener "tcp" {
  tls_disable = true
  max_request_size = 1048576
  max_request_duration = "90s"
  telemetry {
    unauthenticated_metrics_access = true
  }
}
listener "tcp" {
  tls_disable = true
  max_request_size = "0"
  unauthenticated_metrics_access = "true"
}`,
      'c.hcl',
    );
    assert.equal(c.listeners[0]!.maxRequestSize, 1048576);
    assert.equal(c.listeners[0]!.maxRequestDuration, 90);
    assert.equal(c.listeners[0]!.unauthenticatedMetricsAccess, true);
    assert.equal(c.listeners[1]!.maxRequestSize, 33554432);
    assert.equal(c.listeners[1]!.unauthenticatedMetricsAccess, true);
  });

  const durations: [string, number][] = [
    ['"768h"', 2764800],
    ['3600', 3600],
    ['"1h30m"', 5400],
    ['"45s"', 45],
    ['"600"', 600],
  ];
  for (const [spelling, seconds] of durations) {
    void it(`reads default_lease_ttl = ${spelling} as ${seconds} seconds`, () => {
      assert.equal(parseServerConfig(`default_lease_ttl = ${spelling}`, 'c.hcl').defaultLeaseTtl, seconds);
    });
  }

  void it('reads raw_storage_endpoint, and log_level "warning" as warn', () => {
    const c = parseServerConfig('raw_storage_endpoint = true\nlog_level = "WARNING"', 'c.hcl');
    assert.equal(c.rawStorageEndpoint, true);
    assert.equal(c.logLevel, 'warn');
  });

  void it('lets a repeated setting keep its last value', () => {
    assert.equal(parseServerConfig('api_addr = "http://a:8200"\napi_addr = "http://b:8200"', 'c.hcl').apiAddr, 'http://b:8200');
  });

  void it('accepts stanzas written as object attributes', () => {
    const c = parseServerConfig('storage = { inmem = {} }\ntelemetry = { disable_hostname = true }', 'c.hcl');
    assert.equal(c.storage?.type, 'inmem');
    assert.deepEqual(c.telemetry, { disable_hostname: true });
  });

  void it('keeps several seal stanzas (seal migration) in order', () => {
    const c = parseServerConfig('seal "shamir" {\n  disabled = "true"\n}\nseal "transit" {\n  key_name = "k"\n}', 'c.hcl');
    assert.deepEqual(c.seals.map((s) => [s.type, s.options]), [['shamir', { disabled: 'true' }], ['transit', { key_name: 'k' }]]);
  });
});

void describe('parseServerConfig: JSON', () => {
  void it("reads Vault's JSON shape with a listener list", () => {
    const text = `{
  "storage": {
    "file": { "path": "/vault/file" }
  },
  "listener": [
    { "tcp": { "address": "0.0.0.0:8200", "tls_disable": true } },
    { "tcp": { "address": "0.0.0.0:8300", "tls_disable": "1" } }
  ],
  "default_lease_ttl": "1h",
  "max_lease_ttl": 7200,
  "ui": true
}`;
    const c = parseServerConfig(text, 'config.json');
    assert.deepEqual(c.storage, { type: 'file', options: { path: '/vault/file' }, file: 'config.json', line: 3 });
    assert.deepEqual(c.listeners.map((l) => [l.address, l.tlsDisable, l.line]), [
      ['0.0.0.0:8200', true, 6],
      ['0.0.0.0:8300', true, 7],
    ]);
    assert.equal(c.defaultLeaseTtl, 3600);
    assert.equal(c.maxLeaseTtl, 7200);
    assert.equal(c.ui, true);
  });

  void it('reads a listener given as a single object', () => {
    const c = parseServerConfig('{"listener": {"tcp": {"address": "127.0.0.1:8201", "tls_disable": 1}}}', 'vault.json');
    assert.equal(c.listeners.length, 1);
    assert.equal(c.listeners[0]!.address, '127.0.0.1:8201');
  });

  void it('reads JSON from a file without a .json name when it starts with {', () => {
    const c = parseServerConfig('\n  {"storage": {"inmem": {}}, "telemetry": {"disable_hostname": true}}', 'config');
    assert.equal(c.storage?.type, 'inmem');
    assert.deepEqual(c.telemetry, { disable_hostname: true });
  });

  void it('reports JSON errors with the line of the offending key', () => {
    throwsInvalid('{\n  "ui": true,\n  "listener": {"tcp": {\n    "address": "x:1"\n  }}\n}', 'c.json', 'c.json:3: listener "tcp": tls_cert_file is required when TLS is enabled (set tls_disable = true to serve plain HTTP)');
    throwsInvalid('{\n  "default_lease_ttl": "soon"\n}', 'c.json', 'c.json:2: default_lease_ttl must be a duration such as "768h", not "soon"');
  });

  void it('rejects a .json file that is not a JSON object', () => {
    throwsInvalid('\n\nstorage "inmem" {}', 'c.json', "c.json:3: expected a JSON object starting with '{'");
  });

  void it('reports JSON syntax errors with line and column', () => {
    throwsInvalid('{\n  "ui": true\n  "x": \n}', 'c.json', "c.json:4:1: expected a value, found '}'");
  });
});

void describe('parseServerConfig: errors name file, line and field', () => {
  const cases: [string, string, string][] = [
    ['an unsupported storage type', '\nstorage "raft" {\n  path = "/x"\n}', 'config.hcl:2: storage "raft": unsupported storage type "raft"; supported types are inmem, sqlite, file, postgresql'],
    ['an unsupported backend type', 'backend "consul" {}', 'config.hcl:1: backend "consul": unsupported storage type "consul"; supported types are inmem, sqlite, file, postgresql'],
    ['file storage without a path', 'storage "file" {}', 'config.hcl:1: storage "file": path is required'],
    ['sqlite storage with an empty path', 'storage "sqlite" {\n  path = ""\n}', 'config.hcl:1: storage "sqlite": path is required'],
    ['a storage option that is a list', 'storage "file" {\n  path = ["/x"]\n}', 'config.hcl:2: storage "file": path must be a string, number or boolean, not a list'],
    ['two storage stanzas in one file', 'storage "inmem" {}\n\nstorage "file" { path = "/x" }', 'config.hcl:3: storage "file": only one storage stanza is allowed per file (another is at line 1)'],
    ['storage and backend in one file', 'backend "inmem" {}\nstorage "inmem" {}', 'config.hcl:2: storage "inmem": only one storage stanza is allowed per file (another is at line 1)'],
    ['two ha_storage stanzas in one file', 'ha_storage "inmem" {}\nha_backend "inmem" {}', 'config.hcl:2: ha_backend "inmem": only one ha_storage stanza is allowed per file (another is at line 1)'],
    ['a storage stanza without a type', 'storage {\n  path = "/x"\n}', 'config.hcl:1: storage: expected a type label such as storage "TYPE" { ... }'],
    ['a stanza with two labels', 'listener "tcp" "x" {}', 'config.hcl:1: listener: too many labels ("tcp" "x")'],
    ['a unix listener', 'listener "unix" {\n  address = "/run/vault.sock"\n}', 'config.hcl:1: listener "unix": unsupported listener type "unix"; only "tcp" is supported'],
    [
      'TLS enabled without a certificate',
      'ui = true\n\n\n\n\n\nlistener "tcp" {\n  address = "0.0.0.0:8200"\n}',
      'config.hcl:7: listener "tcp": tls_cert_file is required when TLS is enabled (set tls_disable = true to serve plain HTTP)',
    ],
    [
      'TLS enabled without a key',
      'listener "tcp" {\n  tls_cert_file = "c.pem"\n}',
      'config.hcl:1: listener "tcp": tls_key_file is required when TLS is enabled (set tls_disable = true to serve plain HTTP)',
    ],
    ['a tls_disable that is not a boolean', 'listener "tcp" {\n  tls_disable = "yes"\n}', 'config.hcl:2: listener "tcp": tls_disable must be a boolean, not "yes"'],
    ['a tls_disable of 2', 'listener "tcp" {\n  tls_disable = 2\n}', 'config.hcl:2: listener "tcp": tls_disable must be a boolean, not a number'],
    ['an address that is not a string', 'listener "tcp" {\n  tls_disable = true\n  address = 8200\n}', 'config.hcl:3: listener "tcp": address must be a string, not a number'],
    ['an address without a port', 'listener "tcp" {\n  tls_disable = true\n  address = "localhost"\n}', 'config.hcl:3: listener "tcp": address must be host:port, not "localhost"'],
    ['an unknown tls_min_version', 'listener "tcp" {\n  tls_disable = true\n  tls_min_version = "ssl3"\n}', 'config.hcl:3: listener "tcp": tls_min_version must be one of tls10, tls11, tls12, tls13, not "ssl3"'],
    ['a max_request_size that is not an integer', 'listener "tcp" {\n  tls_disable = true\n  max_request_size = "1MB"\n}', 'config.hcl:3: listener "tcp": max_request_size must be an integer, not "1MB"'],
    ['a bad max_request_duration', 'listener "tcp" {\n  tls_disable = true\n  max_request_duration = "forever"\n}', 'config.hcl:3: listener "tcp": max_request_duration must be a duration such as "768h", not "forever"'],
    ['a bad duration', 'default_lease_ttl = "10x"', 'config.hcl:1: default_lease_ttl must be a duration such as "768h", not "10x"'],
    ['a negative duration', 'max_lease_ttl = -5', 'config.hcl:1: max_lease_ttl must not be negative'],
    ['a duration that is a list', 'max_lease_ttl = ["1h"]', 'config.hcl:1: max_lease_ttl must be a duration such as "768h", not a list'],
    ['an api_addr that is not a string', 'api_addr = true', 'config.hcl:1: api_addr must be a string, not a bool'],
    ['a ui that is not a boolean', 'ui = "sure"', 'config.hcl:1: ui must be a boolean, not "sure"'],
    ['a setting written as a block', 'ui {\n}', 'config.hcl:1: ui must be a value (ui = ...), not a block'],
    ['an unknown log_level', 'log_level = "loud"', 'config.hcl:1: log_level must be one of trace, debug, info, warn, error, not "loud"'],
    ['an unknown log_format', 'log_format = "xml"', 'config.hcl:1: log_format must be "standard" or "json", not "xml"'],
    ['a listener that is a string', 'listener = "tcp"', 'config.hcl:1: listener: expected a block or object, found a string'],
    ['a malformed file', 'storage "file" {\n  path = /x\n}', 'config.hcl:2:10: unexpected character "/"'],
  ];
  for (const [name, text, message] of cases) {
    void it(`rejects ${name}`, () => throwsInvalid(text, 'config.hcl', message));
  }
});

void describe('parseServerConfig: warnings', () => {
  void it('warns about unknown top-level stanzas and settings instead of failing', () => {
    const c = parseServerConfig(
      'service_registration "kubernetes" {}\nentropy "seal" {\n  mode = "augmentation"\n}\nreplication {}\npid_file = "/run/v.pid"\nui = true',
      'c.hcl',
    );
    assert.equal(c.ui, true);
    assert.deepEqual(c.warnings, [
      'c.hcl:1: unknown or unsupported setting "service_registration" ignored',
      'c.hcl:2: unknown or unsupported setting "entropy" ignored',
      'c.hcl:5: unknown or unsupported setting "replication" ignored',
      'c.hcl:6: unknown or unsupported setting "pid_file" ignored',
    ]);
  });

  void it('warns about unknown keys and blocks inside listener and storage stanzas', () => {
    const c = parseServerConfig(
      `listener "tcp" {
  tls_disable = true
  cluster_address = "0.0.0.0:8201"
  telemetry {
    other = 1
  }
  profiling {
    unauthenticated_pprof_access = true
  }
}
storage "file" {
  path = "/x"
  node_id = "n1"
}`,
      'c.hcl',
    );
    assert.equal(c.storage?.options['node_id'], 'n1');
    assert.deepEqual(c.warnings, [
      'c.hcl:3: listener "tcp": unknown key "cluster_address" ignored',
      'c.hcl:5: listener "tcp": telemetry: unknown key "other" ignored',
      'c.hcl:7: listener "tcp": unknown block "profiling" ignored',
      'c.hcl:13: storage "file": unknown option "node_id" ignored',
    ]);
  });
});
