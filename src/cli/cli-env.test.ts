// Specification of the CLI's environment handling, global flags, dispatch and usage errors.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { envelope, startFakeVault } from '../api/testing/index.js';
import type { FakeVault } from '../api/testing/index.js';
import { runCoffer, tempHome } from './testing/cli-harness.js';

let fake: FakeVault;
let home: string;

before(async () => {
  fake = await startFakeVault();
  fake.on('GET', 'secret/app', { body: envelope({ k: 'v' }) });
});
after(async () => {
  await fake.close();
});
beforeEach(() => {
  fake.requests.length = 0;
  home = tempHome();
});

describe('environment', () => {
  it('talks to VAULT_ADDR, and -address overrides it', async () => {
    const r = await runCoffer(['read', 'secret/app'], { VAULT_ADDR: fake.url, HOME: home });
    assert.equal(r.code, 0, r.stderr);
    const o = await runCoffer(['read', `-address=${fake.url}`, 'secret/app'], { VAULT_ADDR: 'http://127.0.0.1:1', HOME: home });
    assert.equal(o.code, 0, o.stderr);
    assert.equal(fake.requests.length, 2);
  });

  it('sends VAULT_TOKEN, else the trimmed ~/.vault-token, else no token', async () => {
    fs.writeFileSync(path.join(home, '.vault-token'), 'hvs.file-token\n');
    await runCoffer(['read', 'secret/app'], { VAULT_ADDR: fake.url, HOME: home, VAULT_TOKEN: 'hvs.env-token' });
    await runCoffer(['read', 'secret/app'], { VAULT_ADDR: fake.url, HOME: home });
    await runCoffer(['read', 'secret/app'], { VAULT_ADDR: fake.url, HOME: tempHome() });
    assert.deepEqual(
      fake.requests.map((r) => r.headers['x-vault-token']),
      ['hvs.env-token', 'hvs.file-token', undefined],
    );
  });

  it('sends VAULT_NAMESPACE as X-Vault-Namespace', async () => {
    await runCoffer(['read', 'secret/app'], { VAULT_ADDR: fake.url, HOME: home, VAULT_NAMESPACE: 'ns1' });
    assert.equal(fake.requests[0]?.headers['x-vault-namespace'], 'ns1');
  });

  it('uses VAULT_FORMAT unless -format is given, and rejects an unknown format', async () => {
    const env = { VAULT_ADDR: fake.url, HOME: home, VAULT_FORMAT: 'json' };
    const j = await runCoffer(['read', 'secret/app'], env);
    assert.deepEqual((JSON.parse(j.stdout) as { data: unknown }).data, { k: 'v' });
    const t = await runCoffer(['read', '-format=table', 'secret/app'], env);
    assert.match(t.stdout, /^Key    Value\n/);
    const y = await runCoffer(['read', '-format=yaml', 'secret/app'], env);
    assert.match(y.stdout, /^data:\n  k: v\n/m);
    const bad = await runCoffer(['read', '-format=xml', 'secret/app'], env);
    assert.equal(bad.code, 1);
    assert.equal(bad.stderr, 'Invalid output format: xml\n');
  });

  it('fails locally (exit 1) when VAULT_CACERT names a missing file', async () => {
    const r = await runCoffer(['read', 'secret/app'], { VAULT_ADDR: fake.url, HOME: home, VAULT_CACERT: path.join(home, 'none.pem') });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^Error loading client configuration: .*ENOENT/);
    assert.equal(fake.requests.length, 0);
  });
});

describe('dispatch and usage', () => {
  const env = (): Record<string, string> => ({ VAULT_ADDR: fake.url, HOME: home });

  it('prints the command list and exits 127 without a command', async () => {
    const r = await runCoffer([], env());
    assert.equal(r.code, 127);
    assert.match(r.stderr, /^Usage: coffer <command> \[args\]/);
  });

  it('prints help and exits 0 for -h, and a command\'s help for "<command> -h"', async () => {
    const top = await runCoffer(['-h'], env());
    assert.equal(top.code, 0);
    assert.match(top.stdout, /Common commands:/);
    const cmd = await runCoffer(['secrets', 'enable', '-h'], env());
    assert.equal(cmd.code, 0);
    assert.match(cmd.stdout, /^Usage: coffer secrets enable \[options\] TYPE/);
    assert.match(cmd.stdout, /-version=<int>/);
  });

  it('lists a group\'s subcommands and exits 127 when the subcommand is missing', async () => {
    const r = await runCoffer(['operator'], env());
    assert.equal(r.code, 127);
    assert.match(r.stderr, /unseal\s+Unseals the server/);
  });

  it('exits 127 for an unknown command', async () => {
    const r = await runCoffer(['frobnicate'], env());
    assert.equal(r.code, 127);
    assert.match(r.stderr, /^Unknown command: frobnicate/);
  });

  it('exits 1 for an undefined flag', async () => {
    const r = await runCoffer(['read', '-bogus', 'secret/app'], env());
    assert.equal(r.code, 1);
    assert.equal(r.stderr, 'flag provided but not defined: -bogus\n');
  });

  it('warns that flags after positional arguments are not parsed, as vault does', async () => {
    const r = await runCoffer(['list', 'secret/', '-format=json'], env());
    assert.match(r.stderr, /^Command flags must be provided before positional arguments\. The following arguments will not be parsed as flags: \[-format=json\]\n/);
    assert.equal(r.code, 1, 'the stray flag then counts as an extra argument');
  });

  it('prints the version', async () => {
    const r = await runCoffer(['version'], env());
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^Coffer v\d+\.\d+\.\d+\n$/);
  });

  it('requires -config or -dev for the server command', async () => {
    const r = await runCoffer(['server'], env());
    assert.equal(r.code, 1);
    assert.equal(r.stderr, 'At least one config path must be specified with -config\n');
  });
});
