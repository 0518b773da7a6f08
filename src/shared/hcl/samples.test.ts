// Real-world documents: Vault server configs, ACL policies and a Vault Agent config
// in the shapes Vault's documentation shows them.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { hclToPlain, parseHcl } from './index.js';

void describe('parseHcl: Vault server config samples', () => {
  void it('reads the documented server config with storage, listener, telemetry and seal', () => {
    const text = `
ui            = true
cluster_addr  = "https://127.0.0.1:8201"
api_addr      = "https://127.0.0.1:8200"
disable_mlock = true

storage "raft" {
  path    = "/path/to/raft/data"
  node_id = "raft_node_id"
}

listener "tcp" {
  address       = "127.0.0.1:8200"
  tls_cert_file = "/path/to/full-chain.pem"
  tls_key_file  = "/path/to/private-key.pem"
}

telemetry {
  statsd_address = "127.0.0.1:8125"
  usage_gauge_period = "10m"
}

seal "awskms" {
  region     = "us-east-1"
  kms_key_id = "REPLACE-ME"
}
`;
    assert.deepEqual(hclToPlain(parseHcl(text, 'vault.hcl')), {
      ui: true,
      cluster_addr: 'https://127.0.0.1:8201',
      api_addr: 'https://127.0.0.1:8200',
      disable_mlock: true,
      storage: { raft: { path: '/path/to/raft/data', node_id: 'raft_node_id' } },
      listener: { tcp: { address: '127.0.0.1:8200', tls_cert_file: '/path/to/full-chain.pem', tls_key_file: '/path/to/private-key.pem' } },
      telemetry: { statsd_address: '127.0.0.1:8125', usage_gauge_period: '10m' },
      seal: { awskms: { region: 'us-east-1', kms_key_id: 'REPLACE-ME' } },
    });
  });

  void it('reads the old backend stanza, durations and a nested retry_join block', () => {
    const text = `backend "consul" {
  address = "127.0.0.1:8500"
  path    = "vault"
}
storage "raft" {
  path = "/vault/data"
  retry_join {
    leader_api_addr = "http://vault-0:8200"
  }
  retry_join {
    leader_api_addr = "http://vault-1:8200"
  }
}
default_lease_ttl = "768h"
max_lease_ttl = 2764800
`;
    const out = hclToPlain(parseHcl(text));
    assert.deepEqual(out['backend'], { consul: { address: '127.0.0.1:8500', path: 'vault' } });
    assert.deepEqual(out['storage'], {
      raft: { path: '/vault/data', retry_join: [{ leader_api_addr: 'http://vault-0:8200' }, { leader_api_addr: 'http://vault-1:8200' }] },
    });
    assert.equal(out['default_lease_ttl'], '768h');
    assert.equal(out['max_lease_ttl'], 2764800);
  });

  void it('reads the same config written as JSON', () => {
    const text = `{
  "storage": { "file": { "path": "/vault/file" } },
  "listener": [{ "tcp": { "address": "0.0.0.0:8200", "tls_disable": true } }],
  "default_lease_ttl": "168h",
  "ui": true
}`;
    assert.deepEqual(hclToPlain(parseHcl(text, 'vault.json')), {
      storage: { file: { path: '/vault/file' } },
      listener: [{ tcp: { address: '0.0.0.0:8200', tls_disable: true } }],
      default_lease_ttl: '168h',
      ui: true,
    });
  });
});

void describe('parseHcl: ACL policy samples', () => {
  void it('reads a policy with capabilities, parameter constraints and wrapping TTLs', () => {
    const text = `# Allow a token to manage its own secrets
path "secret/*" {
  capabilities = ["create", "read", "update", "delete", "list"]
}

path "secret/super-secret" {
  capabilities = ["deny"]
}

path "secret/restricted" {
  capabilities = ["create"]
  allowed_parameters = {
    "foo" = []
    "bar" = ["zip", "zap"]
    "*"   = ["a*"]
  }
  denied_parameters = {
    "baz" = []
  }
  required_parameters = ["bar"]
  min_wrapping_ttl = "1s"
  max_wrapping_ttl = "90s"
}

path "auth/token/lookup-self" { capabilities = ["read"] }
`;
    const body = parseHcl(text, 'policy.hcl');
    assert.equal(body.blocks.length, 4);
    assert.deepEqual(body.blocks.map((b) => b.labels[0]), ['secret/*', 'secret/super-secret', 'secret/restricted', 'auth/token/lookup-self']);
    const out = hclToPlain(body);
    assert.deepEqual(out['path'], [
      { 'secret/*': { capabilities: ['create', 'read', 'update', 'delete', 'list'] } },
      { 'secret/super-secret': { capabilities: ['deny'] } },
      {
        'secret/restricted': {
          capabilities: ['create'],
          allowed_parameters: { foo: [], bar: ['zip', 'zap'], '*': ['a*'] },
          denied_parameters: { baz: [] },
          required_parameters: ['bar'],
          min_wrapping_ttl: '1s',
          max_wrapping_ttl: '90s',
        },
      },
      { 'auth/token/lookup-self': { capabilities: ['read'] } },
    ]);
  });

  void it('reads a whole policy rule on one line', () => {
    const text = 'path "secret/*" { capabilities = ["read","list"] allowed_parameters = { "foo" = ["a*"] } }';
    assert.deepEqual(hclToPlain(parseHcl(text)), {
      path: { 'secret/*': { capabilities: ['read', 'list'], allowed_parameters: { foo: ['a*'] } } },
    });
  });

  void it('reads templated policy paths literally', () => {
    const text = `path "secret/data/{{identity.entity.id}}/*" {
  capabilities = ["create", "update", "read"]
}
path "kv/\${user}" { capabilities = ["read"] }`;
    const labels = parseHcl(text).blocks.map((b) => b.labels[0]);
    assert.deepEqual(labels, ['secret/data/{{identity.entity.id}}/*', 'kv/${user}']);
  });

  void it('reads a JSON policy', () => {
    const text = '{"path": {"secret/*": {"capabilities": ["read", "list"]}, "sys/*": {"capabilities": ["deny"]}}}';
    assert.deepEqual(hclToPlain(parseHcl(text)), {
      path: { 'secret/*': { capabilities: ['read', 'list'] }, 'sys/*': { capabilities: ['deny'] } },
    });
  });
});

void describe('parseHcl: Vault Agent config sample', () => {
  void it('reads auto_auth, sinks, templates with heredocs and a listener', () => {
    const text = `pid_file = "./pidfile"

vault {
  address = "https://vault.example.com:8200"
  retry {
    num_retries = 5
  }
}

auto_auth {
  method "approle" {
    mount_path = "auth/approle"
    config = {
      role_id_file_path = "/etc/vault/role-id"
      remove_secret_id_file_after_reading = false
    }
  }

  sink "file" {
    config = {
      path = "/tmp/vault-token"
    }
  }
}

template {
  destination = "/etc/app/config.env"
  contents = <<-EOT
    {{ with secret "secret/data/app" }}
    PASSWORD="{{ .Data.data.password }}"
    {{ end }}
  EOT
}

listener "tcp" {
  address = "127.0.0.1:8100"
  tls_disable = true
}
`;
    const out = hclToPlain(parseHcl(text, 'agent.hcl'));
    assert.deepEqual(out['auto_auth'], {
      method: {
        approle: {
          mount_path: 'auth/approle',
          config: { role_id_file_path: '/etc/vault/role-id', remove_secret_id_file_after_reading: false },
        },
      },
      sink: { file: { config: { path: '/tmp/vault-token' } } },
    });
    assert.deepEqual(out['template'], {
      destination: '/etc/app/config.env',
      contents: '{{ with secret "secret/data/app" }}\nPASSWORD="{{ .Data.data.password }}"\n{{ end }}\n',
    });
    assert.deepEqual(out['vault'], { address: 'https://vault.example.com:8200', retry: { num_retries: 5 } });
  });
});
