// Specification of `coffer status` and `coffer operator …` against a fake server: the requests
// sent, what is printed, and the exit codes.

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
  env = { VAULT_ADDR: fake.url, VAULT_TOKEN: 'root-tok', HOME: tempHome() };
});

const unsealed = {
  type: 'shamir', initialized: true, sealed: false, t: 3, n: 5, progress: 0, nonce: '', version: '1.17.0',
  build_date: '2026-01-01T00:00:00Z', migration: false, cluster_name: 'coffer-cluster', cluster_id: 'c-1',
  recovery_seal: false, storage_type: 'sqlite',
};
const sealed = { ...unsealed, sealed: true, progress: 1, nonce: 'nonce-1', cluster_name: undefined, cluster_id: undefined };
const leader = {
  ha_enabled: false, is_self: false, active_time: '0001-01-01T00:00:00Z', leader_address: '',
  leader_cluster_address: '', performance_standby: false, performance_standby_last_remote_wal: 0,
};

describe('coffer status', () => {
  it('prints the seal status table and exits 0 when unsealed', async () => {
    fake.on('GET', 'sys/seal-status', { body: unsealed });
    fake.on('GET', 'sys/leader', { body: leader });
    const r = await runCoffer(['status'], env);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(fake.requests.map((q) => `${q.method} ${q.path}`), ['GET sys/seal-status', 'GET sys/leader']);
    assert.equal(fake.requests[0]?.headers['x-vault-request'], 'true');
    assert.equal(
      r.stdout,
      [
        'Key             Value',
        '---             -----',
        'Seal Type       shamir',
        'Initialized     true',
        'Sealed          false',
        'Total Shares    5',
        'Threshold       3',
        'Version         1.17.0',
        'Build Date      2026-01-01T00:00:00Z',
        'Storage Type    sqlite',
        'Cluster Name    coffer-cluster',
        'Cluster ID      c-1',
        'HA Enabled      false',
        '',
      ].join('\n'),
    );
  });

  it('shows unseal progress and nonce and exits 2 when sealed', async () => {
    fake.on('GET', 'sys/seal-status', { body: sealed });
    fake.on('GET', 'sys/leader', { status: 503, body: { errors: ['Vault is sealed'] } });
    const r = await runCoffer(['status'], env);
    assert.equal(r.code, 2);
    assert.match(r.stdout, /^Sealed             true$/m);
    assert.match(r.stdout, /^Unseal Progress    1\/3$/m);
    assert.match(r.stdout, /^Unseal Nonce       nonce-1$/m);
    assert.doesNotMatch(r.stdout, /HA Enabled/);
  });

  it('prints the seal status merged with the HA fields as JSON with -format=json', async () => {
    fake.on('GET', 'sys/seal-status', { body: unsealed });
    fake.on('GET', 'sys/leader', { body: leader });
    const r = await runCoffer(['status', '-format=json'], env);
    assert.equal(r.code, 0);
    assert.deepEqual(JSON.parse(r.stdout), { ...unsealed, ha_enabled: false, active_time: '0001-01-01T00:00:00Z' });
    assert.ok(r.stdout.startsWith('{\n  "type": "shamir",'), 'pretty JSON with a 2-space indent');
  });

  it('exits 1 when the server cannot be reached', async () => {
    const r = await runCoffer(['status'], { ...env, VAULT_ADDR: 'http://127.0.0.1:1' });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^Error checking seal status: Error making API request\.\n\nURL: GET http:\/\/127\.0\.0\.1:1\/v1\/sys\/seal-status\nCode: 0\./);
  });
});

describe('coffer operator init', () => {
  const initRes = { keys: ['0a', '0b', '0c', '0d', '0e'], keys_base64: ['Cg==', 'Cw==', 'DA==', 'DQ==', 'Dg=='], root_token: 'hvs.ROOT' };

  beforeEach(() => {
    fake.on('GET', 'sys/seal-status', { body: { ...sealed, initialized: false, t: 0, n: 0 } });
    fake.on('PUT', 'sys/init', { body: initRes });
  });

  it('sends 5 shares and a threshold of 3 by default and prints the keys and root token', async () => {
    const r = await runCoffer(['operator', 'init'], env);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(fake.requests.at(-1)?.body, { secret_shares: 5, secret_threshold: 3 });
    assert.ok(r.stdout.startsWith('Unseal Key 1: Cg==\nUnseal Key 2: Cw==\nUnseal Key 3: DA==\nUnseal Key 4: DQ==\nUnseal Key 5: Dg==\n\nInitial Root Token: hvs.ROOT\n\n'));
    assert.match(r.stdout, /5 key shares and a key threshold of 3/);
  });

  it('honours -key-shares and -key-threshold and prints vault\'s JSON shape with -format=json', async () => {
    const r = await runCoffer(['operator', 'init', '-key-shares=1', '-key-threshold', '1', '-format=json'], env);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(fake.requests.at(-1)?.body, { secret_shares: 1, secret_threshold: 1 });
    assert.deepEqual(JSON.parse(r.stdout), {
      unseal_keys_b64: initRes.keys_base64,
      unseal_keys_hex: initRes.keys,
      unseal_shares: 1,
      unseal_threshold: 1,
      recovery_keys_b64: [],
      recovery_keys_hex: [],
      recovery_keys_shares: 0,
      recovery_keys_threshold: 0,
      root_token: 'hvs.ROOT',
    });
  });

  it('reports an API error on stderr and exits 2', async () => {
    fake.on('PUT', 'sys/init', { status: 400, body: { errors: ['Vault is already initialized'] } });
    const r = await runCoffer(['operator', 'init'], env);
    assert.equal(r.code, 2);
    assert.equal(r.stdout, '');
    assert.equal(
      r.stderr,
      `Error initializing: Error making API request.\n\nURL: PUT ${fake.url}/v1/sys/init\nCode: 400. Errors:\n\n* Vault is already initialized\n`,
    );
  });
});

describe('coffer operator unseal', () => {
  beforeEach(() => {
    fake.on('PUT', 'sys/unseal', { body: { ...sealed, progress: 2 } });
    fake.on('GET', 'sys/leader', { status: 503, body: { errors: ['Vault is sealed'] } });
  });

  it('sends the key given as an argument and prints the progress', async () => {
    const r = await runCoffer(['operator', 'unseal', 'Cg=='], env);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(fake.requests[0]?.body, { key: 'Cg==' });
    assert.match(r.stdout, /^Unseal Progress    2\/3$/m);
  });

  it('reads the key from stdin when no argument is given', async () => {
    const r = await runCoffer(['operator', 'unseal'], env, 'Cw==\n');
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(fake.requests[0]?.body, { key: 'Cw==' });
  });

  it('sends {reset:true} with -reset', async () => {
    const r = await runCoffer(['operator', 'unseal', '-reset'], env);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(fake.requests[0]?.body, { reset: true });
  });

  it('fails locally when stdin is empty', async () => {
    const r = await runCoffer(['operator', 'unseal'], env, '');
    assert.equal(r.code, 1);
    assert.equal(fake.requests.length, 0);
  });
});

describe('coffer operator seal, step-down, key-status, rotate', () => {
  it('seals with PUT sys/seal and the token', async () => {
    fake.on('PUT', 'sys/seal', { status: 204 });
    const r = await runCoffer(['operator', 'seal'], env);
    assert.equal(r.code, 0);
    assert.equal(fake.requests[0]?.headers['x-vault-token'], 'root-tok');
    assert.equal(r.stdout, 'Success! Server is sealed.\n');
  });

  it('exits 2 when sealing is denied', async () => {
    fake.on('PUT', 'sys/seal', { status: 403, body: { errors: ['permission denied'] } });
    const r = await runCoffer(['operator', 'seal'], env);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^Error sealing: Error making API request\.[\s\S]*\* permission denied\n$/);
  });

  it('steps down with PUT sys/step-down', async () => {
    fake.on('PUT', 'sys/step-down', { status: 204 });
    const r = await runCoffer(['operator', 'step-down'], env);
    assert.equal(r.code, 0);
    assert.equal(fake.requests[0]?.method, 'PUT');
    assert.equal(r.stdout, `Success! Stepped down: ${fake.url}\n`);
  });

  it('prints the key term and install time (RFC 822, UTC) without a header, like vault', async () => {
    fake.on('GET', 'sys/key-status', { body: envelope({ term: 3, install_time: '2026-02-03T04:05:06Z', encryptions: 42 }) });
    const r = await runCoffer(['operator', 'key-status'], env);
    assert.equal(r.code, 0);
    assert.equal(
      r.stdout,
      'Key Term            3\nInstall Time        03 Feb 26 04:05 UTC\nEncryption Count    42\n',
    );
  });

  it('rotates with PUT sys/rotate and then shows the new term', async () => {
    fake.on('PUT', 'sys/rotate', { status: 204 });
    fake.on('GET', 'sys/key-status', { body: envelope({ term: 4, install_time: '2026-02-03T04:05:06Z' }) });
    const r = await runCoffer(['operator', 'rotate'], env);
    assert.equal(r.code, 0);
    assert.deepEqual(fake.requests.map((q) => `${q.method} ${q.path}`), ['PUT sys/rotate', 'GET sys/key-status']);
    assert.match(r.stdout, /^Success! Rotated key\n\nKey Term        4\nInstall Time    03 Feb 26 04:05 UTC\n$/);
  });
});
