// Tests of runAgent, the entry point of `coffer agent`: config loading errors, -exit-after-auth,
// and the built-in template engine.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runAgent } from './run-agent.js';
import { startFakeVault } from './testing/fake-vault.js';

function capture(): { write(s: string): boolean; text: () => string } {
  let buf = '';
  return { write: (s: string) => ((buf += s), true), text: () => buf };
}

describe('runAgent', () => {
  it('exits 0 after auth with -exit-after-auth, having written the sink (token_file method)', async () => {
    const vault = await startFakeVault();
    try {
      vault.route('GET', 'auth/token/lookup-self', { body: { data: { ttl: 0, renewable: false } } });
      const dir = mkdtempSync(join(tmpdir(), 'run-agent-'));
      writeFileSync(join(dir, 'in'), 'root-token');
      const cfg = join(dir, 'agent.hcl');
      writeFileSync(cfg, `auto_auth {\n method "token_file" { config = { token_file_path = "${join(dir, 'in')}" } }\n sink "file" { config = { path = "${join(dir, 'out')}" } }\n}`);
      const err = capture();
      const code = await runAgent({ configPaths: [cfg], exitAfterAuth: true, logLevel: 'warn', stderr: err, env: { VAULT_ADDR: vault.url } });
      assert.equal(code, 0, err.text());
      assert.equal(readFileSync(join(dir, 'out'), 'utf8'), 'root-token');
    } finally {
      await vault.close();
    }
  });

  it('exits 1 naming the file and line of a config error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'run-agent-'));
    const cfg = join(dir, 'bad.hcl');
    writeFileSync(cfg, 'auto_auth {\n  method "ldap" {}\n}');
    const err = capture();
    assert.equal(await runAgent({ configPaths: [cfg], stderr: err, env: {} }), 1);
    assert.match(err.text(), /Error loading configuration: .*bad\.hcl:2: auto_auth\.method: unsupported type "ldap"/);
  });

  it('renders templates with the built-in Go template engine by default', async () => {
    const vault = await startFakeVault();
    try {
      vault.route('GET', 'kv/app', { text: '{"lease_id":"","lease_duration":0,"renewable":false,"data":{"port":8080,"name":"a<b"}}' });
      const dir = mkdtempSync(join(tmpdir(), 'run-agent-'));
      const cfg = join(dir, 'tpl.hcl');
      const dest = join(dir, 'out.json');
      writeFileSync(cfg, `exit_after_auth = true\ntemplate {\n contents = "{{ with secret \\"kv/app\\" }}{{ .Data.port }} {{ .Data.name | toJSON }}{{ end }}"\n destination = "${dest}"\n}`);
      const err = capture();
      assert.equal(await runAgent({ configPaths: [cfg], stderr: err, logLevel: 'warn', env: { VAULT_ADDR: vault.url, VAULT_TOKEN: 't' } }), 0, err.text());
      assert.equal(readFileSync(dest, 'utf8'), '8080 "a\\u003cb"');
    } finally {
      await vault.close();
    }
  });
});
