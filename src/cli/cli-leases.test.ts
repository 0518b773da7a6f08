// Specification of `coffer lease lookup|renew|revoke` and `coffer policy fmt`.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { envelope, startFakeVault } from '../api/testing/index.js';
import type { FakeVault } from '../api/testing/index.js';
import { runCoffer, tempHome } from './testing/cli-harness.js';

let fake: FakeVault;
let home: string;
let env: Record<string, string>;

before(async () => {
  fake = await startFakeVault();
});
after(async () => {
  await fake.close();
});
beforeEach(() => {
  fake.requests.length = 0;
  home = tempHome();
  env = { VAULT_ADDR: fake.url, VAULT_TOKEN: 'hvs.caller', HOME: home };
});

const leaseId = 'database/creds/readonly/27e1b9a1';

describe('coffer lease lookup', () => {
  const lookup = envelope({
    expire_time: '2026-03-17T11:55:50.755313Z',
    id: leaseId,
    issue_time: '2026-03-17T10:55:50.755313Z',
    last_renewal: null,
    renewable: true,
    ttl: 3593,
  });

  it('PUTs the lease id to sys/leases/lookup and prints the Key/Value table with the ttl as a duration', async () => {
    fake.on('PUT', 'sys/leases/lookup', { body: lookup });
    const r = await runCoffer(['lease', 'lookup', leaseId], env);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(fake.requests[0]?.headers['x-vault-token'], 'hvs.caller');
    assert.deepEqual(fake.requests[0]?.body, { lease_id: leaseId });
    assert.equal(
      r.stdout,
      [
        'Key             Value',
        '---             -----',
        'expire_time     2026-03-17T11:55:50.755313Z',
        `id              ${leaseId}`,
        'issue_time      2026-03-17T10:55:50.755313Z',
        'last_renewal    <nil>',
        'renewable       true',
        'ttl             59m53s',
        '',
      ].join('\n'),
    );
  });

  it('prints the response as returned with -format=json', async () => {
    fake.on('PUT', 'sys/leases/lookup', { body: lookup });
    const r = await runCoffer(['lease', 'lookup', '-format=json', leaseId], env);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), lookup);
  });

  it('exits 2 with vault\'s message when the server rejects the lease', async () => {
    fake.on('PUT', 'sys/leases/lookup', { status: 400, body: { errors: ['invalid lease'] } });
    const r = await runCoffer(['lease', 'lookup', 'nope/1'], env);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^error looking up lease id nope\/1: .*invalid lease/s);
    assert.equal(r.stdout, '');
  });

  it('exits 1 without calling the server when the lease id is missing', async () => {
    const r = await runCoffer(['lease', 'lookup'], env);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, 'Not enough arguments (expected 1, got 0)\n');
    assert.equal(fake.requests.length, 0);
  });
});

describe('coffer lease renew', () => {
  const renewed = envelope(null, { lease_id: leaseId, lease_duration: 3600, renewable: true });

  it('PUTs sys/leases/renew with the increment in seconds and prints the renewed lease', async () => {
    fake.on('PUT', 'sys/leases/renew', { body: renewed });
    const r = await runCoffer(['lease', 'renew', '-increment=1h', leaseId], env);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(fake.requests[0]?.body, { lease_id: leaseId, increment: 3600 });
    assert.equal(
      r.stdout,
      `Key                Value\n---                -----\nlease_id           ${leaseId}\nlease_duration     1h\nlease_renewable    true\n`,
    );
  });

  it('accepts the increment as plain seconds and sends 0 when none is asked for, as vault does', async () => {
    fake.on('PUT', 'sys/leases/renew', { body: renewed });
    await runCoffer(['lease', 'renew', '-increment', '90', leaseId], env);
    await runCoffer(['lease', 'renew', leaseId], env);
    assert.deepEqual(
      fake.requests.map((q) => q.body),
      [
        { lease_id: leaseId, increment: 90 },
        { lease_id: leaseId, increment: 0 },
      ],
    );
  });

  it('rejects an unparsable increment with exit 1 before calling the server', async () => {
    const r = await runCoffer(['lease', 'renew', '-increment=soon', leaseId], env);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^invalid value "soon" for flag -increment: /);
    assert.equal(fake.requests.length, 0);
  });

  it('exits 2 with "Error renewing <id>" when the server refuses', async () => {
    fake.on('PUT', 'sys/leases/renew', { status: 400, body: { errors: ['lease not found'] } });
    const r = await runCoffer(['lease', 'renew', leaseId], env);
    assert.equal(r.code, 2);
    assert.match(r.stderr, new RegExp(`^Error renewing ${leaseId}: .*lease not found`, 's'));
  });

  it('prints the renewal as returned with -format=json', async () => {
    fake.on('PUT', 'sys/leases/renew', { body: renewed });
    const r = await runCoffer(['lease', 'renew', '-format=json', leaseId], env);
    assert.deepEqual(JSON.parse(r.stdout), renewed);
  });
});

describe('coffer lease revoke', () => {
  beforeEach(() => {
    fake.on('PUT', 'sys/leases/revoke', { status: 202 });
    fake.on('PUT', 'sys/leases/revoke-prefix/database/creds/', { status: 204 });
    fake.on('PUT', 'sys/leases/revoke-force/database/creds/', { status: 204 });
  });

  it('PUTs the lease id to sys/leases/revoke and reports the revocation as queued', async () => {
    const r = await runCoffer(['lease', 'revoke', leaseId], env);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(fake.requests[0]?.method, 'PUT');
    assert.equal(fake.requests[0]?.path, 'sys/leases/revoke');
    assert.deepEqual(fake.requests[0]?.body, { lease_id: leaseId, sync: false });
    assert.equal(r.stdout, 'All revocation operations queued successfully!\n');
  });

  it('with -sync asks for a synchronous revocation and says what was revoked', async () => {
    const r = await runCoffer(['lease', 'revoke', '-sync', leaseId], env);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(fake.requests[0]?.body, { lease_id: leaseId, sync: true });
    assert.equal(r.stdout, `Success! Revoked lease: ${leaseId}\n`);
  });

  it('with -prefix PUTs sys/leases/revoke-prefix/<prefix>', async () => {
    const q = await runCoffer(['lease', 'revoke', '-prefix', 'database/creds/'], env);
    assert.equal(q.stdout, 'All revocation operations queued successfully!\n');
    const s = await runCoffer(['lease', 'revoke', '-prefix', '-sync', 'database/creds/'], env);
    assert.equal(s.stdout, 'Success! Revoked any leases with prefix: database/creds/\n');
    assert.deepEqual(
      fake.requests.map((x) => `${x.method} ${x.path} ${JSON.stringify(x.body)}`),
      ['PUT sys/leases/revoke-prefix/database/creds/ {"sync":false}', 'PUT sys/leases/revoke-prefix/database/creds/ {"sync":true}'],
    );
  });

  it('with -force -prefix PUTs sys/leases/revoke-force/<prefix> and warns on stderr', async () => {
    const r = await runCoffer(['lease', 'revoke', '-force', '-prefix', 'database/creds/'], env);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(fake.requests[0]?.path, 'sys/leases/revoke-force/database/creds/');
    assert.match(r.stderr, /^Warning! Force-removing leases/);
    assert.equal(r.stdout, 'Success! Force revoked any leases with prefix: database/creds/\n');
  });

  it('refuses -force without -prefix, exit 1, without calling the server', async () => {
    const r = await runCoffer(['lease', 'revoke', '-force', leaseId], env);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, 'Specifying -force requires also specifying -prefix\n');
    assert.equal(fake.requests.length, 0);
  });

  it('exits 2 with the message for the kind of revocation that failed', async () => {
    fake.on('PUT', 'sys/leases/revoke', { status: 403, body: { errors: ['permission denied'] } });
    fake.on('PUT', 'sys/leases/revoke-prefix/database/creds/', { status: 403, body: { errors: ['permission denied'] } });
    const one = await runCoffer(['lease', 'revoke', leaseId], env);
    assert.equal(one.code, 2);
    assert.match(one.stderr, new RegExp(`^Error revoking lease ${leaseId}: `));
    const prefix = await runCoffer(['lease', 'revoke', '-prefix', 'database/creds/'], env);
    assert.equal(prefix.code, 2);
    assert.match(prefix.stderr, /^Error revoking leases with prefix database\/creds\/: /);
  });
});

describe('coffer lease (group)', () => {
  it('lists its subcommands when given none, exit 127', async () => {
    const r = await runCoffer(['lease'], env);
    assert.equal(r.code, 127);
    assert.match(r.stderr, /^Usage: coffer lease <subcommand>/);
    for (const sub of ['lookup', 'renew', 'revoke']) assert.match(r.stderr, new RegExp(`^    ${sub} `, 'm'));
  });
});

describe('coffer policy fmt', () => {
  it('rewrites the file in place as canonical HCL and says so, without calling a server', async () => {
    const file = path.join(home, 'web.hcl');
    fs.writeFileSync(file, '# web\npath "secret/*" {capabilities=["read","list"]}\npath "sys/mounts" { capabilities = [ "read" ]\n min_wrapping_ttl="1s" }\n');
    const r = await runCoffer(['policy', 'fmt', file], { HOME: home });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, `Success! Formatted policy: ${file}\n`);
    assert.equal(
      fs.readFileSync(file, 'utf8'),
      '# web\npath "secret/*" {\n  capabilities = ["read", "list"]\n}\n\npath "sys/mounts" {\n  capabilities     = ["read"]\n  min_wrapping_ttl = "1s"\n}\n',
    );
    assert.equal(fake.requests.length, 0);
  });

  it('expands a leading ~/ to HOME', async () => {
    fs.writeFileSync(path.join(home, 'p.hcl'), 'path "a" {capabilities=["read"]}');
    const r = await runCoffer(['policy', 'fmt', '~/p.hcl'], { HOME: home });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(fs.readFileSync(path.join(home, 'p.hcl'), 'utf8'), 'path "a" {\n  capabilities = ["read"]\n}\n');
  });

  it('leaves a file that is not valid HCL untouched and exits 1 with the parse error', async () => {
    const file = path.join(home, 'bad.hcl');
    const text = 'path "a" {\n  capabilities = ["read"\n}\n';
    fs.writeFileSync(file, text);
    const r = await runCoffer(['policy', 'fmt', file], { HOME: home });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^failed to parse policy: .*bad\.hcl:3:1: /);
    assert.equal(r.stdout, '');
    assert.equal(fs.readFileSync(file, 'utf8'), text);
  });

  it('exits 1 when the file cannot be read, or without exactly one argument', async () => {
    const missing = await runCoffer(['policy', 'fmt', path.join(home, 'none.hcl')], { HOME: home });
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /^Error reading source file: /);
    const none = await runCoffer(['policy', 'fmt'], { HOME: home });
    assert.equal(none.code, 1);
    assert.equal(none.stderr, 'Not enough arguments (expected 1, got 0)\n');
  });
});
