// Specification of `coffer secrets …` and `coffer auth …` against a fake server.

import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { envelope, startFakeVault } from '../api/testing/index.js';
import type { FakeVault } from '../api/testing/index.js';
import { runCoffer, tempHome } from './testing/cli-harness.js';

let fake: FakeVault;
let env: Record<string, string>;

before(async () => {
  fake = await startFakeVault();
});
after(async () => {
  await fake.close();
});
beforeEach(() => {
  fake.requests.length = 0;
  env = { VAULT_ADDR: fake.url, VAULT_TOKEN: 'tok-1', HOME: tempHome() };
});

const mounts = {
  'secret/': {
    type: 'kv', description: 'key/value secret storage', accessor: 'kv_aaa', uuid: 'u-1', local: false, seal_wrap: false,
    external_entropy_access: false, options: { version: '2' }, config: { default_lease_ttl: 0, max_lease_ttl: 0, force_no_cache: false },
    plugin_version: '', running_plugin_version: 'v0.1.0+builtin', running_sha256: '', deprecation_status: 'supported',
  },
  'cubbyhole/': {
    type: 'cubbyhole', description: 'per-token private secret storage', accessor: 'cubbyhole_bbb', uuid: 'u-2', local: true,
    seal_wrap: false, external_entropy_access: false, options: null, config: { default_lease_ttl: 3600, max_lease_ttl: 0, force_no_cache: false },
    plugin_version: '', running_plugin_version: '', running_sha256: '', deprecation_status: '',
  },
};

describe('coffer secrets enable', () => {
  beforeEach(() => {
    fake.on('POST', 'sys/mounts/kv', { status: 204 });
    fake.on('POST', 'sys/mounts/kv2', { status: 204 });
  });

  it('mounts at the type name by default and sends only the type', async () => {
    const r = await runCoffer(['secrets', 'enable', 'kv'], env);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(fake.requests[0]?.method, 'POST');
    assert.equal(fake.requests[0]?.path, 'sys/mounts/kv');
    assert.deepEqual(fake.requests[0]?.body, { type: 'kv' });
    assert.equal(r.stdout, 'Success! Enabled the kv secrets engine at: kv/\n');
  });

  it('maps -path, -description, TTLs, -options and -version=2 onto the mount request', async () => {
    const r = await runCoffer(
      ['secrets', 'enable', '-path=kv2', '-description', 'team kv', '-default-lease-ttl=1h', '-max-lease-ttl=48h', '-options', 'foo=bar', '-version=2', 'kv'],
      env,
    );
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(fake.requests[0]?.body, {
      type: 'kv',
      description: 'team kv',
      config: { default_lease_ttl: '1h0m0s', max_lease_ttl: '48h0m0s' },
      options: { foo: 'bar', version: '2' },
    });
    assert.equal(r.stdout, 'Success! Enabled the kv secrets engine at: kv2/\n');
  });

  it('rejects an unparsable TTL before sending anything (exit 1)', async () => {
    const r = await runCoffer(['secrets', 'enable', '-default-lease-ttl=soon', 'kv'], env);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /invalid value "soon" for flag -default-lease-ttl/);
    assert.equal(fake.requests.length, 0);
  });

  it('reports a path conflict from the server and exits 2', async () => {
    fake.on('POST', 'sys/mounts/kv', { status: 400, body: { errors: ['path is already in use at kv/'] } });
    const r = await runCoffer(['secrets', 'enable', 'kv'], env);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^Error enabling: Error making API request\.[\s\S]*\* path is already in use at kv\/\n$/);
  });
});

describe('coffer secrets disable, list, tune, move', () => {
  it('disables with DELETE sys/mounts/<path>', async () => {
    fake.on('DELETE', 'sys/mounts/kv', { status: 204 });
    const r = await runCoffer(['secrets', 'disable', 'kv/'], env);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(fake.requests[0]?.method, 'DELETE');
    assert.equal(r.stdout, 'Success! Disabled the secrets engine (if it existed) at: kv/\n');
  });

  it('lists mounts as a table sorted by path', async () => {
    fake.on('GET', 'sys/mounts', { body: { ...mounts, ...envelope(mounts) } });
    const r = await runCoffer(['secrets', 'list'], env);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(
      r.stdout,
      [
        'Path          Type         Accessor         Description',
        '----          ----         --------         -----------',
        'cubbyhole/    cubbyhole    cubbyhole_bbb    per-token private secret storage',
        'secret/       kv           kv_aaa           key/value secret storage',
        '',
      ].join('\n'),
    );
  });

  it('adds TTLs, replication and options with -detailed', async () => {
    fake.on('GET', 'sys/mounts', { body: envelope(mounts) });
    const r = await runCoffer(['secrets', 'list', '-detailed'], env);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.split('\n');
    assert.match(lines[0]!, /^Path\s+Plugin\s+Accessor\s+Default TTL\s+Max TTL\s+Force No Cache\s+Replication/);
    assert.match(lines[2]!, /^cubbyhole\/\s+cubbyhole\s+cubbyhole_bbb\s+1h\s+system\s+false\s+local\s/);
    assert.match(lines[3]!, /\sreplicated\s.*map\[version:2\]/);
  });

  it('prints the mount map as JSON with -format=json', async () => {
    fake.on('GET', 'sys/mounts', { body: envelope(mounts) });
    const r = await runCoffer(['secrets', 'list', '-format=json'], env);
    assert.deepEqual(JSON.parse(r.stdout), mounts);
  });

  it('tunes with POST sys/mounts/<path>/tune, sending only the flags given', async () => {
    fake.on('POST', 'sys/mounts/secret/tune', { status: 204 });
    const r = await runCoffer(['secrets', 'tune', '-max-lease-ttl=2h', '-description=new', '-options=version=2', 'secret/'], env);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(fake.requests[0]?.body, { max_lease_ttl: '2h0m0s', description: 'new', options: { version: '2' } });
    assert.equal(r.stdout, 'Success! Tuned the secrets engine at: secret/\n');
  });

  it('moves with POST sys/remount and reports the migration id', async () => {
    fake.on('POST', 'sys/remount', { body: envelope({ migration_id: 'mig-7' }) });
    const r = await runCoffer(['secrets', 'move', 'secret/', 'kv-new'], env);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(fake.requests[0]?.body, { from: 'secret', to: 'kv-new' });
    assert.equal(r.stdout, 'Started moving secrets engine secret/ to kv-new/, with migration ID mig-7\n');
  });

  it('needs both a source and a destination to move', async () => {
    const r = await runCoffer(['secrets', 'move', 'secret/'], env);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, 'Not enough arguments (expected 2, got 1)\n');
  });
});

describe('coffer auth', () => {
  it('enables an auth method at the type name, or -path', async () => {
    fake.on('POST', 'sys/auth/userpass', { status: 204 });
    fake.on('POST', 'sys/auth/people', { status: 204 });
    const r = await runCoffer(['auth', 'enable', 'userpass'], env);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(fake.requests[0]?.body, { type: 'userpass' });
    assert.equal(r.stdout, 'Success! Enabled userpass auth method at: userpass/\n');
    const p = await runCoffer(['auth', 'enable', '-path=people', '-description=humans', 'userpass'], env);
    assert.equal(p.code, 0, p.stderr);
    assert.equal(fake.requests[1]?.path, 'sys/auth/people');
    assert.deepEqual(fake.requests[1]?.body, { type: 'userpass', description: 'humans' });
  });

  it('disables with DELETE sys/auth/<path>', async () => {
    fake.on('DELETE', 'sys/auth/userpass', { status: 204 });
    const r = await runCoffer(['auth', 'disable', 'userpass'], env);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'Success! Disabled the auth method (if it existed) at: userpass/\n');
  });

  it('lists auth methods', async () => {
    fake.on('GET', 'sys/auth', {
      body: envelope({ 'token/': { type: 'token', description: 'token based credentials', accessor: 'auth_token_1', config: { token_type: 'default-service' } } }),
    });
    const r = await runCoffer(['auth', 'list'], env);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(
      r.stdout,
      'Path      Type     Accessor        Description                Version\n' +
        '----      ----     --------        -----------                -------\n' +
        'token/    token    auth_token_1    token based credentials    n/a\n',
    );
  });

  it('exits 2 when enabling is denied', async () => {
    fake.on('POST', 'sys/auth/userpass', { status: 403, body: { errors: ['permission denied'] } });
    const r = await runCoffer(['auth', 'enable', 'userpass'], env);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^Error enabling userpass auth: /);
  });
});
