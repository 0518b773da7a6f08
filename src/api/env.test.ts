// Specification of how the client reads its settings from the environment.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { apiOptionsFromEnv, defaultAddress, tokenFilePath } from './index.js';

function home(token?: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coffer-api-home-'));
  if (token !== undefined) fs.writeFileSync(path.join(dir, '.vault-token'), token);
  return dir;
}

describe('apiOptionsFromEnv', () => {
  it('defaults the address to https://127.0.0.1:8200 like vault', () => {
    const opts = apiOptionsFromEnv({ HOME: home() });
    assert.equal(opts.address, defaultAddress);
    assert.equal(defaultAddress, 'https://127.0.0.1:8200');
    assert.equal(opts.token, undefined);
  });

  it('reads VAULT_ADDR, VAULT_TOKEN and VAULT_NAMESPACE', () => {
    const opts = apiOptionsFromEnv({ HOME: home('file-token'), VAULT_ADDR: 'http://h:1', VAULT_TOKEN: 'env-token', VAULT_NAMESPACE: 'ns1' });
    assert.equal(opts.address, 'http://h:1');
    assert.equal(opts.token, 'env-token');
    assert.equal(opts.namespace, 'ns1');
  });

  it('falls back to the trimmed contents of ~/.vault-token', () => {
    const h = home('  hvs.fromfile\n');
    assert.equal(apiOptionsFromEnv({ HOME: h }).token, 'hvs.fromfile');
    assert.equal(tokenFilePath({ HOME: h }), path.join(h, '.vault-token'));
  });

  it('parses VAULT_SKIP_VERIFY with Go ParseBool', () => {
    assert.equal(apiOptionsFromEnv({ HOME: home(), VAULT_SKIP_VERIFY: 'T' }).skipVerify, true);
    assert.equal(apiOptionsFromEnv({ HOME: home(), VAULT_SKIP_VERIFY: '0' }).skipVerify, undefined);
    assert.equal(apiOptionsFromEnv({ HOME: home(), VAULT_SKIP_VERIFY: 'yes' }).skipVerify, undefined);
  });

  it('loads VAULT_CACERT from the named file and fails clearly when it is missing', () => {
    const h = home();
    const ca = path.join(h, 'ca.pem');
    fs.writeFileSync(ca, 'PEM');
    assert.equal(String(apiOptionsFromEnv({ HOME: h, VAULT_CACERT: ca }).caCert), 'PEM');
    assert.throws(() => apiOptionsFromEnv({ HOME: h, VAULT_CACERT: path.join(h, 'nope.pem') }), /ENOENT/);
  });

  it('reads VAULT_WRAP_TTL as the wrap TTL, verbatim', () => {
    assert.equal(apiOptionsFromEnv({ HOME: home(), VAULT_WRAP_TTL: '90s' }).wrapTTL, '90s');
    assert.equal(apiOptionsFromEnv({ HOME: home() }).wrapTTL, undefined);
  });
});
