// Specification of `coffer read|write|list|delete|patch` against a fake server.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
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

const kvSecret = envelope({ username: 'app', password: 's3cret', ports: [80, 443] }, { lease_duration: 2764800 });

describe('coffer read', () => {
  beforeEach(() => fake.on('GET', 'secret/app', { body: kvSecret }));

  it('GETs the path with the token and prints refresh_interval then the sorted data keys', async () => {
    const r = await runCoffer(['read', 'secret/app'], env);
    assert.equal(r.code, 0, r.stderr);
    const req = fake.requests[0]!;
    assert.equal(req.method, 'GET');
    assert.equal(req.path, 'secret/app');
    assert.equal(req.headers['x-vault-token'], 'tok-1');
    assert.equal(req.headers['x-vault-request'], 'true');
    assert.equal(
      r.stdout,
      'Key                 Value\n---                 -----\nrefresh_interval    768h\npassword            s3cret\nports               [80 443]\nusername            app\n',
    );
  });

  it('prints exactly the API response as 2-space JSON with -format=json', async () => {
    const r = await runCoffer(['read', '-format=json', 'secret/app'], env);
    assert.equal(r.code, 0);
    assert.equal(r.stdout, JSON.stringify(kvSecret, null, 2) + '\n');
  });

  it('prints one field raw with -field, adding a newline only for a terminal', async () => {
    const r = await runCoffer(['read', '-field=password', 'secret/app'], env);
    assert.equal(r.stdout, 's3cret');
    const tty = await runCoffer(['read', '-field', 'password', 'secret/app'], env, '', true);
    assert.equal(tty.stdout, 's3cret\n');
  });

  it('fails with exit 1 when the -field is not in the secret', async () => {
    const r = await runCoffer(['read', '-field=nope', 'secret/app'], env);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, 'Field "nope" not present in secret\n');
  });

  it('sends extra k=v arguments as query parameters', async () => {
    fake.on('GET', 'secret/data/app', { body: envelope({ data: {} }) });
    await runCoffer(['read', 'secret/data/app', 'version=2'], env);
    assert.deepEqual(fake.requests[0]?.query, { version: '2' });
  });

  it('reports "No value found" and exits 2 on a 404', async () => {
    const r = await runCoffer(['read', '/secret/missing/'], env);
    assert.equal(r.code, 2);
    assert.equal(fake.requests[0]?.path, 'secret/missing');
    assert.equal(r.stderr, 'No value found at secret/missing\n');
  });

  it('reports an API error with vault\'s wording and exits 2', async () => {
    fake.on('GET', 'secret/denied', { status: 403, body: { errors: ['permission denied'] } });
    const r = await runCoffer(['read', 'secret/denied'], env);
    assert.equal(r.code, 2);
    assert.equal(
      r.stderr,
      `Error reading secret/denied: Error making API request.\n\nURL: GET ${fake.url}/v1/secret/denied\nCode: 403. Errors:\n\n* permission denied\n`,
    );
  });

  it('needs a path (exit 1, nothing sent)', async () => {
    const r = await runCoffer(['read'], env);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, 'Not enough arguments (expected 1+, got 0)\n');
    assert.equal(fake.requests.length, 0);
  });
});

describe('coffer write', () => {
  beforeEach(() => fake.on('PUT', 'secret/app', { status: 204 }));

  it('PUTs k=v pairs as a JSON object and prints Success on 204', async () => {
    const r = await runCoffer(['write', 'secret/app', 'a=1', 'b=two words'], env);
    assert.equal(r.code, 0, r.stderr);
    const req = fake.requests[0]!;
    assert.equal(req.method, 'PUT');
    assert.equal(req.headers['content-type'], 'application/json');
    assert.deepEqual(req.body, { a: '1', b: 'two words' });
    assert.equal(r.stdout, 'Success! Data written to: secret/app\n');
  });

  it('reads k=@file from a file and k=- from stdin', async () => {
    const file = path.join(env['HOME']!, 'cert.pem');
    fs.writeFileSync(file, 'PEM DATA\n');
    const r = await runCoffer(['write', 'secret/app', `cert=@${file}`, 'key=-'], env, 'from stdin');
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(fake.requests[0]?.body, { cert: 'PEM DATA\n', key: 'from stdin' });
  });

  it('reads a JSON object from stdin when the only data argument is "-"', async () => {
    const r = await runCoffer(['write', 'secret/app', '-'], env, '{"n":3,"nested":{"x":true}}');
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(fake.requests[0]?.body, { n: 3, nested: { x: true } });
  });

  it('refuses to write nothing unless -force is given', async () => {
    const r = await runCoffer(['write', 'secret/app'], env);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, 'Must supply data or use -force\n');
    assert.equal(fake.requests.length, 0);
    const forced = await runCoffer(['write', '-force', 'secret/app'], env);
    assert.equal(forced.code, 0);
    assert.equal(fake.requests[0]?.rawBody, '{}');
  });

  it('rejects an argument that is not key=value (exit 1)', async () => {
    const r = await runCoffer(['write', 'secret/app', 'oops'], env);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /invalid key\/value pair "oops"/);
  });

  it('prints the returned secret (token rows for an auth response)', async () => {
    fake.on('PUT', 'auth/token/create', {
      body: envelope(null, {
        auth: { client_token: 'hvs.child', accessor: 'acc', policies: ['default'], token_policies: ['default'], metadata: null, lease_duration: 3600, renewable: true },
      }),
    });
    const r = await runCoffer(['write', 'auth/token/create', 'ttl=1h'], env);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^token                hvs\.child$/m);
    assert.match(r.stdout, /^token_duration       1h$/m);
    assert.match(r.stdout, /^token_policies       \["default"\]$/m);
    assert.match(r.stdout, /^token_renewable      true$/m);
    const field = await runCoffer(['write', '-field=token', 'auth/token/create', 'ttl=1h'], env);
    assert.equal(field.stdout, 'hvs.child');
  });

  it('prints server warnings on stderr', async () => {
    fake.on('PUT', 'sys/x', { body: envelope(null, { warnings: ['be careful'] }) });
    const r = await runCoffer(['write', 'sys/x', 'a=b'], env);
    assert.equal(r.code, 0);
    assert.match(r.stderr, /\* be careful/);
    assert.equal(r.stdout, 'Success! Data written to: sys/x\n');
  });
});

describe('coffer patch', () => {
  it('PATCHes with the merge-patch content type', async () => {
    fake.on('PATCH', 'secret/app', { status: 204 });
    const r = await runCoffer(['patch', 'secret/app', 'a=2'], env);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(fake.requests[0]?.method, 'PATCH');
    assert.equal(fake.requests[0]?.headers['content-type'], 'application/merge-patch+json');
    assert.deepEqual(fake.requests[0]?.body, { a: '2' });
  });
});

describe('coffer list', () => {
  beforeEach(() => fake.on('LIST', 'secret/', { body: envelope({ keys: ['app', 'team/'] }) }));

  it('lists with GET ?list=true and prints a Keys table', async () => {
    const r = await runCoffer(['list', 'secret'], env);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(fake.requests[0]?.path, 'secret/');
    assert.equal(fake.requests[0]?.query['list'], 'true');
    assert.equal(r.stdout, 'Keys\n----\napp\nteam/\n');
  });

  it('prints just the key array with -format=json, like vault', async () => {
    const r = await runCoffer(['list', '-format=json', 'secret/'], env);
    assert.equal(r.stdout, '[\n  "app",\n  "team/"\n]\n');
  });

  it('reports "No value found" and exits 2 for an empty list (404)', async () => {
    const r = await runCoffer(['list', 'empty'], env);
    assert.equal(r.code, 2);
    assert.equal(r.stderr, 'No value found at empty/\n');
  });
});

describe('coffer delete', () => {
  it('DELETEs the path and prints Success', async () => {
    fake.on('DELETE', 'secret/app', { status: 204 });
    const r = await runCoffer(['delete', 'secret/app'], env);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(fake.requests[0]?.method, 'DELETE');
    assert.equal(r.stdout, 'Success! Data deleted (if it existed) at: secret/app\n');
  });

  it('exits 2 when the server refuses', async () => {
    fake.on('DELETE', 'secret/app', { status: 403, body: { errors: ['permission denied'] } });
    const r = await runCoffer(['delete', 'secret/app'], env);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^Error deleting secret\/app: Error making API request\./);
  });
});
